"""Reads of the contests app. Nothing here reveals a correct answer unless the round allows it
(closed, and `reveal_answers`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone

from moduong.accounts.models import User
from moduong.core import vntext

from . import events, scoring
from .models import (
    Attempt,
    Certificate,
    Contest,
    Disqualification,
    ParticipantProfile,
    RankingEntry,
    Round,
    RoundJob,
)
from .paper import Paper, round_paper_load


def contest_list_published() -> QuerySet[Contest]:
    return Contest.objects.filter(is_published=True).order_by("-created_at")


def contest_get_published(*, slug: str) -> Contest | None:
    return Contest.objects.filter(slug=slug, is_published=True).first()


def round_list(*, contest: Contest) -> list[Round]:
    return list(contest.rounds.order_by("number"))


def round_get(*, contest: Contest, number: int) -> Round | None:
    return contest.rounds.filter(number=number).first()


ROUND_ID_SECONDS = 60


def round_id_key(slug: str, number: int) -> str:
    return f"contests:round-id:{slug}:{number}"


def round_id_published(*, slug: str, number: int) -> int | None:
    """The id of a published contest's round, from the cache (the start of an attempt needs
    nothing else from those rows: the rest comes from the round's cached paper). Saving a
    contest or a round forgets it (signals)."""
    key = round_id_key(slug, number)
    found = cache.get(key)
    if found is None:
        found = (
            Round.objects.filter(contest__slug=slug, contest__is_published=True, number=number)
            .values_list("pk", flat=True)
            .first()
            or 0
        )
        cache.set(key, found, ROUND_ID_SECONDS)
    return int(found) or None


def profile_get(*, contest: Contest, user: User) -> ParticipantProfile | None:
    if not user.is_authenticated:
        return None
    return ParticipantProfile.objects.filter(contest=contest, user=user).first()


@dataclass(frozen=True)
class ShownOption:
    id: int
    text: str
    chosen: bool
    correct: bool | None  # None while the answers may not be shown


@dataclass(frozen=True)
class ShownQuestion:
    number: int
    id: int
    text: str
    options: list[ShownOption]
    answered: bool


@dataclass(frozen=True)
class AttemptView:
    attempt: Attempt
    paper: Paper
    questions: list[ShownQuestion]
    is_open: bool  # answers may still be saved / the attempt submitted
    seconds_left: int
    show_answers: bool
    answered: int


def attempt_view(*, attempt: Attempt, now: dt.datetime | None = None) -> AttemptView:
    """An attempt as its owner sees it: questions and options in the drawn order, the saved
    choices, and the correct options only once the round has closed and allows it."""
    paper = round_paper_load(round_id=attempt.round_id)
    now = now or timezone.now()
    show = paper.answers_may_show(now) and attempt.submitted_at is not None
    questions = []
    answered = 0
    for number, ((qid, order), chosen) in enumerate(
        zip(attempt.questions, attempt.answers, strict=True), start=1
    ):
        question = paper.questions[qid]
        texts = dict(question.options)
        right = question.options[question.correct][0]
        chosen_id = order[int(chosen)] if chosen != "-" else None
        answered += chosen_id is not None
        questions.append(
            ShownQuestion(
                number=number,
                id=qid,
                text=question.text,
                options=[
                    ShownOption(
                        id=oid,
                        text=texts[oid],
                        chosen=oid == chosen_id,
                        correct=(oid == right) if show else None,
                    )
                    for oid in order
                ],
                answered=chosen_id is not None,
            )
        )
    left = int((attempt.deadline - now).total_seconds())
    return AttemptView(
        attempt=attempt,
        paper=paper,
        questions=questions,
        is_open=attempt.submitted_at is None
        and now <= attempt.deadline + dt.timedelta(seconds=paper.grace_seconds),
        seconds_left=max(0, left),
        show_answers=show,
        answered=answered,
    )


def attempt_get_own(*, user: User, attempt_id: int) -> Attempt | None:
    if not user.is_authenticated:
        return None
    return Attempt.objects.filter(pk=attempt_id, user=user).select_related("round").first()


def attempt_list_own(*, user: User, contest: Contest | None = None) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(user=user).select_related("round", "round__contest")
    if contest is not None:
        attempts = attempts.filter(round__contest=contest)
    return attempts.order_by("-started_at").defer("questions", "essay")


def mask_name(full_name: str) -> str:
    """Nguyễn Văn An → Nguyễn V. A.: the family name, then initials."""
    parts = vntext.clean_line(full_name).split()
    if not parts:
        return ""
    return " ".join([parts[0], *(p[0].upper() + "." for p in parts[1:])])


def mask_phone(phone: str) -> str:
    """0912345678 → 09xx xxx 678."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 6:
        return ""
    return f"{digits[:2]}xx xxx {digits[-3:]}"


@dataclass(frozen=True)
class Winner:
    position: int
    name: str
    phone: str
    unit: str
    score: int
    total: int
    duration: str


def _duration(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60} phút {seconds % 60:02d} giây"


def winners(*, round: Round) -> list[Winner]:
    """The round's prize winners, personal data masked, from the last ranking: one prize per
    person, even where the round ranks every attempt."""
    entries: list[RankingEntry] = []
    seen: set[int] = set()
    for entry in RankingEntry.objects.filter(round=round).order_by("position").iterator():
        if entry.user_id not in seen:
            seen.add(entry.user_id)
            entries.append(entry)
            if len(entries) >= round.prize_count:
                break
    profiles = {
        p.user_id: p
        for p in ParticipantProfile.objects.filter(
            contest_id=round.contest_id, user_id__in=[e.user_id for e in entries]
        ).select_related("unit")
    }
    result: list[Winner] = []
    for entry in entries:
        profile = profiles.get(entry.user_id)
        result.append(
            Winner(
                position=len(result) + 1,
                name=mask_name(profile.full_name) if profile else "",
                phone=mask_phone(profile.phone) if profile else "",
                unit=profile.unit.name if profile and profile.unit else "",
                score=entry.score,
                total=round.questions_per_attempt,
                duration=_duration(entry.duration_ms),
            )
        )
    return result


def ranking_rows(*, round: Round, limit: int | None = None) -> QuerySet[RankingEntry]:
    rows = RankingEntry.objects.filter(round=round).order_by("position")
    return rows[:limit] if limit else rows


# --- Dashboard: aggregates computed in SQL, kept in the cache for a minute --------------------

DASHBOARD_SECONDS = 60
DASHBOARD_KEEP_SECONDS = 86400


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def dashboard_compute(*, round: Round) -> dict[str, Any]:
    """The dashboard's figures, each one aggregate query over the round's attempts."""
    rid = round.pk
    people, attempts, submitted = _rows(
        "SELECT COUNT(DISTINCT user_id), COUNT(*), COUNT(submitted_at)"
        " FROM contests_attempt WHERE round_id = %s",
        [rid],
    )[0]
    if connection.vendor == "postgresql":
        hour = "date_trunc('hour', started_at AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    else:
        hour = "strftime('%%Y-%%m-%%d %%H:00', started_at, '+7 hours')"
    per_hour = _rows(
        f"SELECT {hour} AS h, COUNT(*) FROM contests_attempt WHERE round_id = %s"  # noqa: S608
        " GROUP BY h ORDER BY h",
        [rid],
    )
    scores = _rows(
        "SELECT score, COUNT(*) FROM contests_attempt WHERE round_id = %s"
        " AND score IS NOT NULL GROUP BY score ORDER BY score",
        [rid],
    )
    units = _rows(
        "SELECT u.name, u.headcount, COUNT(DISTINCT a.user_id)"
        " FROM contests_attempt a"
        " JOIN contests_participantprofile p ON p.user_id = a.user_id AND p.contest_id = %s"
        " JOIN units_unit u ON u.id = p.unit_id"
        " WHERE a.round_id = %s GROUP BY u.name, u.headcount ORDER BY 3 DESC LIMIT 200",
        [round.contest_id, rid],
    )
    places = _rows(
        "SELECT pr.name, cm.name, COUNT(DISTINCT a.user_id)"
        " FROM contests_attempt a"
        " JOIN contests_participantprofile p ON p.user_id = a.user_id AND p.contest_id = %s"
        " JOIN units_province pr ON pr.id = p.province_id"
        " LEFT JOIN units_commune cm ON cm.id = p.commune_id"
        " WHERE a.round_id = %s GROUP BY pr.name, cm.name ORDER BY 3 DESC LIMIT 300",
        [round.contest_id, rid],
    )
    return {
        "people": people,
        "attempts": attempts,
        "submitted": submitted,
        "places": places,
        "questions": _question_difficulty(round),
        "per_hour": [(str(h)[:16], n) for h, n in per_hour],
        "scores": [(s, n) for s, n in scores],
        "units": [
            (name, headcount, n, (n * 100.0 / headcount) if headcount else None)
            for name, headcount, n in units
        ],
        "computed_at": timezone.now(),
    }


def _question_difficulty(round: Round) -> list[tuple[int, str, int, int, float]]:
    """Per question of the round's bank: (id, text, times answered, times right, share right),
    hardest first. Counted in SQL per question over the submitted attempts, each answer against
    the attempt's own key."""
    if connection.vendor == "postgresql":
        qid, pos = "(q.value->>0)::bigint", "q.n::int"
        each = "jsonb_array_elements(a.questions) WITH ORDINALITY q(value, n)"
    else:
        qid, pos = "json_extract(q.value, '$[0]')", "q.key + 1"
        each = "json_each(a.questions) q"
    sql = (
        f"SELECT {qid}, SUM(CASE WHEN SUBSTR(a.answers, {pos}, 1) <> '-' THEN 1 ELSE 0 END),"  # noqa: S608
        f" SUM(CASE WHEN {scoring.sql_right(f'SUBSTR(a.answers, {pos}, 1)', 'a.key', pos)}"
        " THEN 1 ELSE 0 END)"
        f" FROM contests_attempt a, {each}"
        " WHERE a.round_id = %s AND a.submitted_at IS NOT NULL GROUP BY 1"
    )
    paper = round_paper_load(round_id=round.pk, freeze=False)
    rows = [
        (
            int(q),
            paper.questions[int(q)].text,
            int(asked),
            int(right),
            int(right) * 100.0 / int(asked) if asked else 0.0,
        )
        for q, asked, right in _rows(sql, [round.pk])
        if int(q) in paper.questions
    ]
    return sorted(rows, key=lambda r: r[4])


def _dashboard_key(round: Round) -> str:
    return f"contests:dashboard:{round.pk}"


def dashboard_refresh(*, round: Round) -> dict[str, Any]:
    figures = dashboard_compute(round=round)
    cache.set(_dashboard_key(round), figures, DASHBOARD_KEEP_SECONDS)
    return figures


def dashboard(*, round: Round) -> dict[str, Any] | None:
    """The figures as last computed, or None while the first ones are being computed. Staff
    never wait for the aggregates (seconds over a million attempts): a background task
    computes them, at most once a minute, and the page shows the last ones meanwhile."""
    key = _dashboard_key(round)
    figures: dict[str, Any] | None = cache.get(key)
    stale = figures is None or (
        (timezone.now() - figures["computed_at"]).total_seconds() > DASHBOARD_SECONDS
    )
    if stale and cache.add(f"{key}:queued", 1, DASHBOARD_SECONDS):
        events.dashboard_outdated.send(sender=Round, round_id=round.pk)
        figures = cache.get(key)  # filled already where tasks run at once
    return figures


def certificate_code_clean(code: str) -> str:
    """A code as printed ("ABCD-EFGH-JKLM") from however it was typed: any case, spaces,
    dashes or none."""
    raw = "".join(
        ch for ch in vntext.clean_input(code or "").upper() if ch.isascii() and ch.isalnum()
    )
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4)) if len(raw) == 12 else ""


@dataclass(frozen=True)
class CertificateView:
    code: str
    masked_name: str
    contest_title: str
    round_title: str
    score: int
    total: int
    issued_at: dt.datetime


def certificate_verify(*, code: str) -> CertificateView | None:
    """What the public verification page confirms: the holder's name masked, the contest, the
    round and the score; None for a code that was never issued or whose attempt was
    disqualified."""
    cleaned = certificate_code_clean(code)
    if not cleaned:
        return None
    certificate = (
        Certificate.objects.filter(code=cleaned)
        .select_related("attempt__round__contest", "attempt__user")
        .first()
    )
    if certificate is None:
        return None
    attempt = certificate.attempt
    rnd = attempt.round
    disqualified = Disqualification.objects.filter(
        round=rnd, user_id=attempt.user_id, lifted=False
    ).filter(models.Q(attempt__isnull=True) | models.Q(attempt=attempt))
    if attempt.score is None or disqualified.exists():
        return None
    profile = ParticipantProfile.objects.filter(
        contest=rnd.contest, user_id=attempt.user_id
    ).first()
    name = (profile.full_name if profile else "") or attempt.user.display_name
    return CertificateView(
        code=certificate.code,
        masked_name=mask_name(name),
        contest_title=rnd.contest.title,
        round_title=rnd.title,
        score=attempt.score,
        total=len(attempt.questions),
        issued_at=certificate.issued_at,
    )


@dataclass(frozen=True)
class RoundJobs:
    """What the dashboard shows of the round's background work."""

    ranking: RoundJob | None  # the latest ranking job
    exports: list[RoundJob]  # the latest job of each export (report and format)

    @property
    def busy(self) -> bool:
        """Something is queued or running: the page refreshes itself to show the progress."""
        return bool(self.ranking and self.ranking.active) or any(j.active for j in self.exports)


def round_jobs(*, round: Round) -> RoundJobs:
    jobs = RoundJob.objects.filter(round=round).select_related("requested_by")
    ranking = jobs.filter(kind=RoundJob.RANK).order_by("-created_at", "-id").first()
    latest: dict[tuple[str, str], RoundJob] = {}
    exports = jobs.filter(kind=RoundJob.EXPORT).order_by("-created_at", "-id")[:50]
    for job in exports:
        latest.setdefault((job.report, job.format), job)
    return RoundJobs(
        ranking=ranking, exports=sorted(latest.values(), key=lambda j: (j.report, j.format))
    )


def export_job_for_download(*, job_id: int) -> RoundJob | None:
    """A finished export with its file, or None."""
    return (
        RoundJob.objects.filter(pk=job_id, kind=RoundJob.EXPORT, state=RoundJob.DONE)
        .exclude(file="")
        .first()
    )
