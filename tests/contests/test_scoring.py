"""One table of answer sheets, scored by every path that scores: contests.scoring's Python and
SQL (see its docstring) must agree wherever an attempt is scored or right answers counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from moduong.contests import scoring, selectors
from moduong.contests.models import Attempt, Round
from moduong.contests.services import attempt_answer_save, attempt_start, attempt_submit
from moduong.contests.tickets import attempt_token, ticket_read

from .factories import open_round, participant

pytestmark = pytest.mark.django_db

# R: the right option, W: a wrong one, -: none chosen. Five questions per attempt.
TABLE = [
    ("RRRRR", 5),
    ("WWWWW", 0),
    ("-----", 0),
    ("RWRWR", 3),
    ("R-W-R", 2),
    ("WRRRR", 4),
]
PATHS = ["ticket", "posted", "saved", "late-capped"]


def _sheet(attempt: Attempt, pattern: str) -> list[tuple[int, int]]:
    """(question id, option id) pairs that answer `attempt` as `pattern` says."""
    answers = []
    for (qid, order), right_index, mark in zip(
        attempt.questions, attempt.key, pattern, strict=True
    ):
        right = order[int(right_index)]
        if mark == "R":
            answers.append((qid, right))
        elif mark == "W":
            answers.append((qid, next(o for o in order if o != right)))
    return answers


def _submit(path: str, attempt: Attempt, user: Any, sheet: list[tuple[int, int]]) -> int:
    if path == "ticket":  # the hot path where every question is posted, else the row's
        ticket = ticket_read(attempt_token(attempt))
        return attempt_submit(ticket=ticket, attempt_id=attempt.pk, answers=sheet).score
    if path == "posted":  # PostgreSQL's one UPDATE, SQLite's read-then-update
        return attempt_submit(user=user, attempt_id=attempt.pk, answers=sheet).score
    for qid, oid in sheet:
        attempt_answer_save(user=user, attempt_id=attempt.pk, question_id=qid, option_id=oid)
    if path == "saved":
        return attempt_submit(user=user, attempt_id=attempt.pk).score
    # late-capped: only what was saved by the deadline counts
    late = attempt.deadline + dt.timedelta(minutes=5)
    return attempt_submit(user=user, attempt_id=attempt.pk, answers=[], now=late).score


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("pattern", "expected"), TABLE)
def test_every_scoring_path_agrees_with_the_table(path: str, pattern: str, expected: int) -> None:
    rnd = open_round(late_policy=Round.LATE_CAP, grace_seconds=0)
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    sheet = _sheet(attempt, pattern)

    assert _submit(path, attempt, user, sheet) == expected
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.score == expected
    # The Python scorer on the stored strings, and the statistics' SQL count of right answers.
    assert scoring.score(stored.answers, stored.key) == expected
    figures = selectors.dashboard_compute(round=rnd)
    assert sum(row[3] for row in figures["questions"]) == expected
