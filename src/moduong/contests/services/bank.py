"""The question bank: importing it, and freezing a round's copy of it (contests.paper, where
the first read of a round's paper freezes it too)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from moduong.core import vntext

from ..excel import bank_read
from ..models import Contest, Option, Question


@dataclass
class BankImport:
    created: int
    errors: list[tuple[int, str]]


@transaction.atomic
def question_bank_import(*, contest: Contest, data: bytes) -> BankImport:
    """Questions from an Excel file in the template's format. All or nothing: if any row is
    wrong, nothing is imported and every wrong row is reported with its number. A question
    whose code is already in the bank is replaced (rounds already frozen keep their copy)."""
    read = bank_read(data)
    if read.errors:
        return BankImport(created=0, errors=read.errors)
    for row in read.rows:
        question = None
        if row.code:
            question = Question.objects.filter(contest=contest, code=row.code).first()
        if question is None:
            question = Question(contest=contest, code=row.code)
        question.text = vntext.normalize(row.text)
        question.topic = row.topic
        question.difficulty = row.difficulty
        question.is_active = True
        question.save()
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(
                question=question,
                text=vntext.normalize(text),
                is_correct=index == row.correct,
                sort_order=index,
            )
            for index, text in enumerate(row.options)
        )
    return BankImport(created=len(read.rows), errors=[])
