"""An attempt's ticket: what saving an answer and submitting need to know of a started attempt,
signed into a token that the start gives its owner.

A participant's app, and the answer page's script, send the token back in the
`X-Attempt-Token` header. The server then needs neither the session, nor the user's row, nor
the attempt's row to place an answer or to score a submission: the ticket holds the owner, the
round, the attempt's number, its drawn questions and option order, and its times, all as
written in the attempt's row at the start, which never change. It carries no answer key (the
process's copy of the round's paper gives it). It grants one thing, answering that one
attempt, under the same rules as the session: nothing once submitted, and after the deadline
and its grace only a late submit, refused or capped as the round says. Logging out or a new
password does not withdraw it (the attempt's time limit ends it); a deactivated account's
token answers nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core import signing

if TYPE_CHECKING:
    from .models import Attempt

_SALT = "moduong.contests.attempt-ticket"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Ticket(NamedTuple):
    attempt_id: int
    user_id: int
    round_id: int
    seq: int
    draw: list[list[Any]]  # [[question id, [option ids in the shown order]], …]
    started_at: dt.datetime
    deadline: dt.datetime


def _micros(value: dt.datetime) -> int:
    return (value - _EPOCH) // dt.timedelta(microseconds=1)


def ticket_sign(ticket: Ticket) -> str:
    payload = [
        ticket.attempt_id,
        ticket.user_id,
        ticket.round_id,
        ticket.seq,
        ticket.draw,
        _micros(ticket.started_at),
        _micros(ticket.deadline),
    ]
    return signing.dumps(payload, salt=_SALT, compress=True)


def attempt_token(attempt: Attempt) -> str:
    """The token of an attempt, from its row or from the start's answer."""
    return ticket_sign(
        Ticket(
            attempt.pk,
            attempt.user_id,
            attempt.round_id,
            attempt.seq,
            attempt.questions,
            attempt.started_at,
            attempt.deadline,
        )
    )


def ticket_read(token: str) -> Ticket | None:
    """The ticket a token carries, or None for anything not signed by this site."""
    try:
        attempt_id, user_id, round_id, seq, draw, started, deadline = signing.loads(
            token, salt=_SALT
        )
        return Ticket(
            int(attempt_id),
            int(user_id),
            int(round_id),
            int(seq),
            draw,
            _EPOCH + dt.timedelta(microseconds=started),
            _EPOCH + dt.timedelta(microseconds=deadline),
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None
