"""The round's paper: its settings, its frozen bank and its answer key, read by the hot path
from this process's copy or the shared cache, never by a per-request query of the bank."""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import ContestError
from .models import Option, Question, Round

PAPER_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class PaperQuestion:
    id: int
    text: str
    topic: str
    difficulty: int
    options: tuple[tuple[int, str], ...]  # (option id, text), in the bank's order
    correct: int  # index of the correct option in `options`


@dataclass(frozen=True)
class Paper:
    round_id: int
    contest_id: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    questions_per_attempt: int
    time_limit_seconds: int
    attempts_allowed: int
    grace_seconds: int
    late_policy: str
    reveal_answers: bool
    essay_max_chars: int
    has_prediction: bool
    has_essay: bool
    questions: dict[int, PaperQuestion]
    quotas: tuple[tuple[str, int], ...]
    by_topic: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Each question as a start's answer shows it, JSON-encoded once per paper: its `"id":…,
    # "text":…` members, and each option's object by option id. Every start of a rush sends
    # the same texts in its own order (api._started_body joins them).
    shown: dict[int, tuple[bytes, dict[int, bytes]]] = field(default_factory=dict, repr=False)

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def answers_may_show(self, now: dt.datetime) -> bool:
        # Not at the close itself: an attempt whose deadline is the close may still be
        # submitted (or, capped, saved) during the grace seconds, and the same person's other
        # attempt, already submitted, would show it the key.
        return self.reveal_answers and now >= self.closes_at + dt.timedelta(
            seconds=self.grace_seconds
        )


#: This process's copies: round id → (version, paper). A copy serves a request only while
#: its version is the round's current one, checked at every load (one small cache read).
_local_papers: dict[int, tuple[str, Paper]] = {}
_local_lock = threading.Lock()


def _paper_cache_key(round_id: int) -> str:
    return f"contests:paper:{round_id}"


def _version_cache_key(round_id: int) -> str:
    return f"contests:paper-version:{round_id}"


def paper_version_key(*, round_id: int) -> str:
    """Where the round's paper version is kept in the cache, for a caller that reads it in a
    round trip of its own (the API's start, with its rate limit) and hands it to
    round_paper_load."""
    return _version_cache_key(round_id)


def _version_of(updated_at: dt.datetime | None) -> str:
    return updated_at.isoformat() if updated_at else "0"


def round_paper_version(*, round_id: int, cached: str | None = None) -> str | None:
    """The round's current paper version: the time of its last save (the bank's freeze is a
    save), from the shared cache (`cached`: as the caller read it from there in this
    request), else from its row. None when the round does not exist."""
    version = cached if cached is not None else cache.get(_version_cache_key(round_id))
    if version is None:
        found = Round.objects.filter(pk=round_id).values_list("updated_at", flat=True).first()
        if found is None:
            return None
        version = _version_of(found)
        cache.set(_version_cache_key(round_id), version, PAPER_CACHE_SECONDS)
    return str(version)


def round_paper_forget(*, round_id: int) -> None:
    """After an organiser saves a round: every process's copy is out of date at its next
    load, which reads the version again."""
    cache.delete_many([_paper_cache_key(round_id), _version_cache_key(round_id)])
    with _local_lock:
        _local_papers.pop(round_id, None)


def bank_snapshot_build(contest_id: int) -> dict[str, Any]:
    questions = []
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(
        question__contest_id=contest_id, question__is_active=True
    ).order_by("question_id", "sort_order", "id"):
        options.setdefault(option.question_id, []).append(option)
    for question in Question.objects.filter(contest_id=contest_id, is_active=True).order_by("id"):
        opts = options.get(question.pk, [])
        correct = [i for i, o in enumerate(opts) if o.is_correct]
        if not 2 <= len(opts) <= 6 or len(correct) != 1:
            continue  # an incomplete question never reaches a participant
        questions.append(
            {
                "id": question.pk,
                "text": question.text,
                "topic": question.topic,
                "difficulty": question.difficulty,
                "options": [[o.pk, o.text] for o in opts],
                "correct": correct[0],
            }
        )
    return {"questions": questions}


def _paper_build(rnd: Round) -> Paper:
    snapshot = rnd.bank_snapshot or {"questions": []}
    questions = {
        q["id"]: PaperQuestion(
            id=q["id"],
            text=q["text"],
            topic=q["topic"],
            difficulty=q["difficulty"],
            options=tuple((o[0], o[1]) for o in q["options"]),
            correct=q["correct"],
        )
        for q in snapshot["questions"]
    }
    by_topic: dict[str, list[int]] = {}
    for q in questions.values():
        by_topic.setdefault(q.topic, []).append(q.id)
    # A frozen bank keeps the quotas and the size it was frozen with (older snapshots have
    # neither: the round's own).
    if "quotas" in snapshot:
        quotas = tuple((t, c) for t, c in snapshot["quotas"])
    else:
        quotas = tuple((q.topic, q.count) for q in rnd.quotas.all())
    return Paper(
        round_id=rnd.pk,
        contest_id=rnd.contest_id,
        opens_at=rnd.opens_at,
        closes_at=rnd.closes_at,
        questions_per_attempt=snapshot.get("questions_per_attempt", rnd.questions_per_attempt),
        time_limit_seconds=rnd.time_limit_seconds,
        attempts_allowed=rnd.attempts_allowed,
        grace_seconds=rnd.grace_seconds,
        late_policy=rnd.late_policy,
        reveal_answers=rnd.reveal_answers,
        essay_max_chars=rnd.essay_max_chars,
        has_prediction=bool(rnd.prediction_question),
        has_essay=bool(rnd.essay_prompt),
        questions=questions,
        quotas=quotas,
        by_topic={k: tuple(v) for k, v in by_topic.items()},
        shown={q.id: _question_shown(q) for q in questions.values()},
    )


def _question_shown(question: PaperQuestion) -> tuple[bytes, dict[int, bytes]]:
    members = json.dumps({"id": question.id, "text": question.text})[1:-1].encode()
    options = {
        oid: json.dumps({"id": oid, "text": text, "chosen": False, "correct": None}).encode()
        for oid, text in question.options
    }
    return members, options


def round_paper_load(*, round_id: int, version: str | None = None) -> Paper:
    """The round's paper: this process's copy while its version is current (checked at every
    call, so a save in another process is seen at the next request), else the shared cache's,
    else built from the database. A round whose bank is not frozen has no questions: no
    attempt starts before the organiser freezes it (services.round_bank_freeze)."""
    version = round_paper_version(round_id=round_id, cached=version)
    if version is None:
        raise ContestError(_("This round does not exist."), "not_found")
    with _local_lock:
        found = _local_papers.get(round_id)
    if found and found[0] == version:
        return found[1]
    cached = cache.get(_paper_cache_key(round_id))
    if cached is not None and cached[0] == version:
        paper: Paper = cached[1]
    else:
        try:
            rnd = Round.objects.prefetch_related("quotas").get(pk=round_id)
        except Round.DoesNotExist as error:
            raise ContestError(_("This round does not exist."), "not_found") from error
        paper = _paper_build(rnd)
        version = _version_of(rnd.updated_at)
        cache.set(_paper_cache_key(round_id), (version, paper), PAPER_CACHE_SECONDS)
    with _local_lock:
        _local_papers[round_id] = (version, paper)
    return paper


def round_paper_held(*, round_id: int) -> Paper:
    """This process's copy of the round's paper whatever its version, without the cache's
    round trip that round_paper_load makes to check it (else round_paper_load). Only for a
    caller whose statement checks against the round's row whatever it takes from the copy
    that a save can change (the submit with a ticket: grace seconds and essay limit; the
    frozen bank, whose answer key the statement compares with the attempt's own)."""
    with _local_lock:
        found = _local_papers.get(round_id)
    return found[1] if found else round_paper_load(round_id=round_id)


def paper_draw(paper: Paper, rng: random.Random | None = None) -> list[list[Any]]:
    """Questions for one attempt: each topic quota first, the rest from the whole bank, then
    the questions and each question's options shuffled."""
    # One generator per attempt, seeded with 128 fresh bits from the operating system: an
    # attempt's draw, which its participant sees whole anyway, tells nothing of any other's,
    # and the ~100 picks cost no system call each (SystemRandom's did).
    rng = rng or random.Random(secrets.randbits(128))  # noqa: S311
    chosen: list[int] = []
    taken: set[int] = set()
    for topic, count in paper.quotas:
        pool = [q for q in paper.by_topic.get(topic, ()) if q not in taken]
        picked = rng.sample(pool, min(count, len(pool)))
        chosen += picked
        taken.update(picked)
    remaining = paper.questions_per_attempt - len(chosen)
    if remaining > 0:
        pool = [q for q in paper.questions if q not in taken]
        chosen += rng.sample(pool, min(remaining, len(pool)))
    chosen = chosen[: paper.questions_per_attempt]
    rng.shuffle(chosen)
    draw = []
    for qid in chosen:
        order = [o[0] for o in paper.questions[qid].options]
        rng.shuffle(order)
        draw.append([qid, order])
    return draw
