"""Every write to letters and exchange questions goes through here."""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.core.selectors import public_q
from moduong.core.services import page_cache_invalidate

from . import events
from .models import (
    ANONYMOUS_WRITER,
    ExchangeGuest,
    ExchangePage,
    Letter,
    LettersPage,
    Question,
    private_storage,
)
from .selectors import ANSWERS_VERSION_KEY, HIDDEN, local_versions

logger = logging.getLogger("moduong.community")


class Duplicate(Exception):
    """The same letter from the same writer, or the same question to the same exchange."""


class ModerationError(Exception):
    """The action does not fit the letter or question as it is now."""


def text_key(*parts: str) -> str:
    """The same words, however they were typed (marks, case, spacing, tone placement, NFD)."""
    folded = " ".join(vntext.fold(part) for part in parts)
    return hashlib.sha256(" ".join(folded.split()).encode()).hexdigest()


def writer_key(*, user: User | None, email: str) -> str:
    return f"u:{user.pk}" if user is not None else f"e:{email.strip().lower()}"


def letter_create(
    *,
    page: LettersPage,
    user: User | None,
    name: str,
    email: str,
    phone: str,
    subject: str,
    message: str,
    attachment: UploadedFile | None = None,
    attachment_type: str = "",
) -> Letter:
    """Store a letter for moderation; Duplicate when this writer already sent it."""
    letter = Letter(
        page=page,
        user=user,
        name=name,
        email=email,
        phone=phone,
        subject=subject,
        message=message,
        writer_key=writer_key(user=user, email=email),
        text_key=text_key(subject, message),
        attachment_type=attachment_type if attachment else "",
    )
    if Letter.objects.filter(
        page=page, writer_key=letter.writer_key, text_key=letter.text_key
    ).exists():
        raise Duplicate
    try:
        with transaction.atomic():
            if attachment is not None:
                letter.attachment.save(attachment.name or "tep", attachment, save=False)
            letter.save()
    except IntegrityError as error:  # the same letter sent twice at the same moment
        if letter.attachment:
            letter.attachment.delete(save=False)
        raise Duplicate from error
    logger.info("letter %s received", letter.pk)
    return letter


def _moderated(letter_id: int, *allowed: str) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    if letter.status not in allowed:
        raise ModerationError(letter.status)
    # What readers see of the letters changes: anonymous pages cached before are stale.
    transaction.on_commit(page_cache_invalidate, robust=True)
    return letter


@transaction.atomic
def letter_approve(*, letter: Letter) -> Letter:
    letter = _moderated(letter.pk, Letter.Status.PENDING, Letter.Status.REJECTED)
    letter.status = Letter.Status.APPROVED
    letter.reject_reason = ""
    letter.published_at = letter.published_at or timezone.now()
    letter.save(update_fields=["status", "reject_reason", "published_at"])
    return letter


@transaction.atomic
def letter_reject(*, letter: Letter, reason: str) -> Letter:
    reason = vntext.plain_text(reason)
    if not reason:
        raise ModerationError("reason")
    letter = _moderated(letter.pk, Letter.Status.PENDING, Letter.Status.APPROVED)
    letter.status = Letter.Status.REJECTED
    letter.reject_reason = reason
    letter.save(update_fields=["status", "reject_reason"])
    return letter


@transaction.atomic
def letter_reply(*, letter: Letter, reply: str, moderator: User, answered: bool) -> Letter:
    """Save the publisher's reply; with `answered` the letter is published with it and the
    writer is emailed once the transaction has committed."""
    reply = vntext.plain_text(reply)
    if not reply:
        raise ModerationError("reply")
    letter = _moderated(
        letter.pk, Letter.Status.PENDING, Letter.Status.APPROVED, Letter.Status.ANSWERED
    )
    letter.reply = reply
    letter.replied_by = moderator
    fields = ["reply", "replied_by"]
    if answered:
        first_answer = letter.status != Letter.Status.ANSWERED
        letter.status = Letter.Status.ANSWERED
        letter.answered_at = timezone.now()
        letter.published_at = letter.published_at or letter.answered_at
        fields += ["status", "answered_at", "published_at"]
        if first_answer:
            transaction.on_commit(
                partial(events.letter_answered.send, sender=Letter, letter_id=letter.pk),
                robust=True,
            )
    letter.save(update_fields=fields)
    return letter


@transaction.atomic
def writer_forget(*, user_id: int) -> int:
    """Remove the name, email, phone and attachments from a reader's letters and questions;
    the texts the office published stay. Returns how many letters and questions were changed."""
    letters = Letter.objects.filter(user_id=user_id)
    # An attachment is often a scan with the writer's own papers: it goes with the account.
    attached = list(letters.exclude(attachment="").values_list("attachment", flat=True))
    changed = letters.update(
        name=ANONYMOUS_WRITER, email="", phone="", attachment="", attachment_type=""
    )
    if attached:
        transaction.on_commit(partial(attachments_delete, names=attached), robust=True)
    questions = Question.objects.filter(user_id=user_id).update(name=ANONYMOUS_WRITER, place="")
    return changed + questions


def attachments_delete(*, names: list[str]) -> None:
    """Remove letters' attachment files, once the rows that named them are gone or changed."""
    storage = private_storage()
    for name in names:
        storage.delete(name)


# --- Exchanges ------------------------------------------------------------------------------


def question_create(
    *, exchange: ExchangePage, user: User | None, name: str, place: str, text: str
) -> Question:
    """Store a question for moderation; Duplicate when the exchange already has it, from
    anyone (the moderators need it once)."""
    try:
        # The unique constraint decides, so two readers sending it at the same moment cannot
        # both get through a check made before the insert.
        with transaction.atomic():
            return Question.objects.create(
                exchange=exchange,
                user=user,
                name=name,
                place=place,
                text=text,
                text_key=text_key(text),
            )
    except IntegrityError as error:
        raise Duplicate from error


@transaction.atomic
def question_reject(*, question: Question) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Question.Status.ANSWERED:
        raise ModerationError(question.status)
    question.status = Question.Status.REJECTED
    question.save(update_fields=["status"])
    return question


@transaction.atomic
def question_pick(*, question: Question, guest: ExchangeGuest) -> Question:
    """The moderator takes the question and hands it to a guest of the same exchange."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if guest.page_id != question.exchange_id:
        raise ModerationError("guest")
    if question.status not in (Question.Status.PENDING, Question.Status.PICKED):
        raise ModerationError(question.status)
    question.status = Question.Status.PICKED
    question.guest = guest
    question.save(update_fields=["status", "guest"])
    return question


@transaction.atomic
def answer_publish(*, question: Question, answer: str) -> Question:
    """Publish the guest's answer: it gets the exchange's next number, and readers' pages
    show it at their next poll."""
    answer = vntext.plain_text(answer)
    if not answer:
        raise ModerationError("answer")
    # Lock the exchange's row so two answers published at once get different numbers.
    ExchangePage.objects.select_for_update().filter(pk=question.exchange_id).exists()
    question = Question.objects.select_for_update().get(pk=question.pk)
    # Only a picked question (or a published one, to correct its answer): a rejected one stays
    # off the page even if a guest had been assigned before the rejection.
    if question.status not in (Question.Status.PICKED, Question.Status.ANSWERED):
        raise ModerationError(question.status)
    if question.guest_id is None:
        raise ModerationError("guest")
    question.answer = answer
    fields = ["answer"]
    if question.status != Question.Status.ANSWERED:
        last = Question.objects.filter(exchange_id=question.exchange_id).aggregate(
            last=Max("sequence")
        )["last"]
        question.sequence = (last or 0) + 1
        question.status = Question.Status.ANSWERED
        question.answered_at = timezone.now()
        fields += ["sequence", "status", "answered_at"]
    question.save(update_fields=fields)
    transaction.on_commit(
        partial(answers_version_refresh, exchange_id=question.exchange_id), robust=True
    )
    # Polls bring the answer to open pages; a page without a form (the archived transcript)
    # sits in the anonymous page cache and would not show it until that entry expired.
    transaction.on_commit(page_cache_invalidate, robust=True)
    return question


ANSWERS_VERSION_SECONDS = 3600


def answers_version_refresh(*, exchange_id: int) -> int:
    """Readers' polls read the number of the newest answer from the cache: put the committed
    one there, so every poll from now on sees the new answer."""
    last = Question.objects.filter(exchange_id=exchange_id).aggregate(last=Max("sequence"))
    version = last["last"] or 0
    if not ExchangePage.objects.filter(public_q(), pk=exchange_id).exists():
        version = HIDDEN  # answered in a private exchange: its polls still answer nothing
    cache.set(ANSWERS_VERSION_KEY.format(exchange_id), version, ANSWERS_VERSION_SECONDS)
    local_versions.pop(exchange_id, None)
    return version


def answers_version_forget(*, exchange_id: int) -> None:
    """An exchange taken off the site: its polls must stop at once, not when the kept number
    expires an hour later (other processes' own copies last a second)."""
    cache.delete(ANSWERS_VERSION_KEY.format(exchange_id))
    local_versions.pop(exchange_id, None)
