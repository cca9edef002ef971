"""Public read endpoints for mobile apps and partner sites: an exchange's published answers
(what the page polls for, as JSON) and the published letters with their replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from moduong.core.selectors import public_q

from . import selectors
from .models import LettersPage

router = Router(tags=["community"])
PAGE_SIZE = 20
# Readers' and moderators' words are kept as plain text: a client must escape them as text, and
# none of them is HTML to be inserted as it is.
PLAIN = "Plain text, never HTML: no tags, entities already decoded. Escape it when showing it."


def plain(description: str) -> Any:
    return Field(description=f"{description}. {PLAIN}")


class AnswerOut(Schema):
    id: int
    sequence: int
    question: str = plain("The reader's question")
    asker: str = plain("The reader's name as shown on the page")
    place: str = plain("Where the reader wrote from")
    guest: str
    answer: str = plain("The guest's answer")
    answered_at: dt.datetime | None


class AnswersOut(Schema):
    version: int
    answers: list[AnswerOut]


@router.get("/exchanges/{exchange_id}/answers", response=AnswersOut)
def exchange_answers(
    request: HttpRequest, response: HttpResponse, exchange_id: int, after: int = 0
) -> dict[str, object]:
    """Answers published after number `after` (0: all), in the order they were published.
    Poll with the `version` of the last reply as the next `after`."""
    version = selectors.answers_version(exchange_id=exchange_id)
    if version is None:
        raise HttpError(404, _("There is no such exchange."))
    answers = (
        selectors.answers_after(exchange_id=exchange_id, after=max(0, after))
        if after < version
        else []
    )
    response["Cache-Control"] = "no-cache"
    return {
        "version": version,
        "answers": [
            {
                "id": q.pk,
                "sequence": q.sequence,
                "question": q.text,
                "asker": q.name,
                "place": q.place,
                "guest": q.guest.name if q.guest else "",
                "answer": q.answer,
                "answered_at": q.answered_at,
            }
            for q in answers
        ],
    }


class LetterOut(Schema):
    id: int
    subject: str = plain("The letter's subject")
    writer: str
    message: str = plain("The reader's letter")
    reply: str = plain("The publisher's reply, empty until the letter is answered")
    published_at: dt.datetime | None
    url: str


class MessageOut(Schema):
    message: str


@router.get("/letters", response={200: list[LetterOut], 404: MessageOut})
def letters(request: HttpRequest, page: int = Query(1, ge=1, le=1000)) -> list[dict[str, object]]:
    """Published readers' letters, newest first, 20 a page; writers by initials only."""
    letters_page = LettersPage.objects.filter(public_q()).first()
    if letters_page is None or page < 1 or page > 1000:
        raise HttpError(404, _("There is no such page of letters."))
    start = (page - 1) * PAGE_SIZE
    found = selectors.letters_public(page=letters_page)[start : start + PAGE_SIZE]
    return [
        {
            "id": letter.pk,
            "subject": letter.subject,
            "writer": letter.masked_name,
            "message": letter.message,
            "reply": letter.reply if letter.status == letter.Status.ANSWERED else "",
            "published_at": letter.published_at,
            "url": f"{letters_page.url}thu/{letter.pk}/",
        }
        for letter in found
    ]
