"""Reads of the contests app. Nothing here reveals a correct answer unless the round allows it
(closed, and `reveal_answers`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

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
    Suspicion,
)
from .paper import Paper, paper_version_key, round_paper_load


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


#: The round id this process last found for each (contest slug, round number): only a guess,
#: which says which paper version a start may read beside the round's id (start_reads).
_round_ids_seen: dict[tuple[str, int], int] = {}


def round_id_published(*, slug: str, number: int, cached: Any = None) -> int | None:
    """The id of a published contest's round, from the cache (the start of an attempt needs
    nothing else from those rows: the rest comes from the round's cached paper). Saving a
    contest or a round forgets it (signals). `cached`: the cache's value as the caller read
    it in this request (None: not there, or not read)."""
    key = round_id_key(slug, number)
    found = cached if cached is not None else cache.get(key)
    if found is None:
        found = (
            Round.objects.filter(contest__slug=slug, contest__is_published=True, number=number)
            .values_list("pk", flat=True)
            .first()
            or 0
        )
        cache.set(key, found, ROUND_ID_SECONDS)
    if found:
        _round_ids_seen[(slug, number)] = int(found)
    return int(found) or None


@dataclass(frozen=True)
class StartReads:
    """What the API's start reads from the cache in its rate limit's round trip: the round's
    id and, for the round this process found last under that address, its paper version."""

    round_key: str
    guessed_round: int | None
    version_key: str | None

    @property
    def keys(self) -> list[str]:
        return [self.round_key] + ([self.version_key] if self.version_key else [])


def start_reads(*, slug: str, number: int) -> StartReads:
    guessed = _round_ids_seen.get((slug, number))
    return StartReads(
        round_key=round_id_key(slug, number),
        guessed_round=guessed,
        version_key=paper_version_key(round_id=guessed) if guessed else None,
    )


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


def attempt_view(
    *, attempt: Attempt, now: dt.datetime | None = None, paper: Paper | None = None
) -> AttemptView:
    """An attempt as its owner sees it: questions and options in the drawn order, the saved
    choices, and the correct options only once the round has closed and allows it. `paper`:
    the round's paper when the request loaded it already (a start: its version is read once)."""
    if paper is None or paper.round_id != attempt.round_id:
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


def _ranking(rnd: Round) -> QuerySet[RankingEntry]:
    """The round's last ranking, in order, without the entries whose attempt is gone: its
    account was deleted (with its attempts) after or while the ranking was made. The table
    has no key checked by the database (models.RankingEntry), and a ranking made while an
    account is deleted may still list it; the next ranking, which the deletion queues, drops
    it. An attempt that exists has its person (a key the database checks)."""
    return (
        RankingEntry.objects.filter(round=rnd)
        .filter(models.Exists(Attempt.objects.filter(pk=models.OuterRef("attempt_id"))))
        .order_by("position")
    )


def _prize_entries(rnd: Round, prizes_won: dict[int, int], limit: int | None) -> list[RankingEntry]:
    """A round's prize-winning entries from its last ranking: one prize per person, even
    where the round ranks every attempt, and nobody who has won `limit` prizes already. An
    entry whose person is gone wins nothing: the next one in the ranking takes the prize."""
    entries: list[RankingEntry] = []
    seen: set[int] = set()
    if rnd.prize_count <= 0:
        return entries
    for entry in _ranking(rnd).iterator():
        if entry.user_id in seen or (limit and prizes_won.get(entry.user_id, 0) >= limit):
            continue
        seen.add(entry.user_id)
        entries.append(entry)
        if len(entries) >= rnd.prize_count:
            break
    return entries


def winners(*, round: Round) -> list[Winner]:
    """The round's prize winners, personal data masked, from the last ranking. Where the
    contest limits prizes per person, the earlier rounds' winners are chosen first, in order,
    and whoever has reached the limit is passed over (the next in the ranking wins)."""
    limit = (
        Contest.objects.filter(pk=round.contest_id)
        .values_list("prizes_per_person", flat=True)
        .first()
    )
    prizes_won: dict[int, int] = {}
    if limit:
        earlier = Round.objects.filter(contest_id=round.contest_id, number__lt=round.number)
        for rnd in earlier.order_by("number"):
            for entry in _prize_entries(rnd, prizes_won, limit):
                prizes_won[entry.user_id] = prizes_won.get(entry.user_id, 0) + 1
    entries = _prize_entries(round, prizes_won, limit)
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


def rounds_ranked_with(*, user_id: int) -> list[int]:
    """The rounds whose ranking may list this person: ranked, or being ranked (a first
    ranking under way has no ranked_at yet, and may have read their attempts), and with an
    attempt of theirs (read by the attempts' (user, round) index, not the ranking's
    entries)."""
    ranking = RoundJob.objects.filter(kind=RoundJob.RANK, state__in=RoundJob.ACTIVE)
    return list(
        Attempt.objects.filter(user_id=user_id)
        .filter(Q(round__ranked_at__isnull=False) | Q(round_id__in=ranking.values("round_id")))
        .values_list("round_id", flat=True)
        .distinct()
    )


def ranking_rows(*, round: Round, limit: int | None = None) -> QuerySet[RankingEntry]:
    rows = _ranking(round)
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
    provinces = _rows(
        "SELECT pr.name, h.headcount, COUNT(DISTINCT a.user_id)"
        " FROM contests_attempt a"
        " JOIN contests_participantprofile p ON p.user_id = a.user_id AND p.contest_id = %s"
        " JOIN units_province pr ON pr.id = p.province_id"
        " LEFT JOIN contests_placeheadcount h ON h.contest_id = p.contest_id"
        "  AND h.province_id = pr.id AND h.commune_id IS NULL"
        " WHERE a.round_id = %s GROUP BY pr.name, h.headcount ORDER BY 3 DESC LIMIT 100",
        [round.contest_id, rid],
    )
    communes = _rows(
        "SELECT pr.name || ' – ' || cm.name, h.headcount, COUNT(DISTINCT a.user_id)"
        " FROM contests_attempt a"
        " JOIN contests_participantprofile p ON p.user_id = a.user_id AND p.contest_id = %s"
        " JOIN units_commune cm ON cm.id = p.commune_id"
        " JOIN units_province pr ON pr.id = cm.province_id"
        " LEFT JOIN contests_placeheadcount h ON h.contest_id = p.contest_id"
        "  AND h.commune_id = cm.id"
        " WHERE a.round_id = %s GROUP BY pr.name, cm.name, h.headcount ORDER BY 3 DESC LIMIT 300",
        [round.contest_id, rid],
    )
    return {
        "people": people,
        "attempts": attempts,
        "submitted": submitted,
        "provinces": [_share_row(*row) for row in provinces],
        "communes": [_share_row(*row) for row in communes],
        "questions": _question_difficulty(round),
        "per_hour": [(str(h)[:16], n) for h, n in per_hour],
        "scores": [(s, n) for s, n in scores],
        "units": [_share_row(*row) for row in units],
        "computed_at": timezone.now(),
    }


def _share_row(name: str, headcount: int | None, n: int) -> tuple[str, int | None, int, Any]:
    """(place or unit, headcount, people, share of the headcount in % or None)."""
    return (name, headcount, n, (n * 100.0 / headcount) if headcount else None)


def _question_difficulty(round: Round) -> list[tuple[int, str, int, int, float, float]]:
    """Per question of the round's bank: (id, text, times answered, times right, share right,
    mean seconds spent), hardest first. Counted in SQL per question over the submitted
    attempts, each answer against the attempt's own key. An attempt keeps no time per
    question, so the time spent on a question is the mean, over the attempts that drew it,
    of their time divided by their number of questions."""
    if connection.vendor == "postgresql":
        qid, pos = "(q.value->>0)::bigint", "q.n::int"
        each = "jsonb_array_elements(a.questions) WITH ORDINALITY q(value, n)"
        size = "jsonb_array_length(a.questions)"
    else:
        qid, pos = "json_extract(q.value, '$[0]')", "q.key + 1"
        each = "json_each(a.questions) q"
        size = "json_array_length(a.questions)"
    sql = (
        f"SELECT {qid}, SUM(CASE WHEN SUBSTR(a.answers, {pos}, 1) <> '-' THEN 1 ELSE 0 END),"  # noqa: S608
        f" SUM(CASE WHEN {scoring.sql_right(f'SUBSTR(a.answers, {pos}, 1)', 'a.key', pos)}"
        f" THEN 1 ELSE 0 END), AVG(a.duration_ms * 1.0 / {size})"
        f" FROM contests_attempt a, {each}"
        " WHERE a.round_id = %s AND a.submitted_at IS NOT NULL GROUP BY 1"
    )
    paper = round_paper_load(round_id=round.pk)
    rows = [
        (
            int(q),
            paper.questions[int(q)].text,
            int(asked),
            int(right),
            int(right) * 100.0 / int(asked) if asked else 0.0,
            float(ms or 0) / 1000,
        )
        for q, asked, right, ms in _rows(sql, [round.pk])
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
    disqualified = disqualifications_active(round=rnd).filter(
        models.Q(attempt_ref__isnull=True) | models.Q(attempt_ref=attempt.pk),
        user_id=attempt.user_id,
    )
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


# --- Fair winners: the disqualification log, the suspicious-attempts report --------------------


def disqualification_log(*, round: Round) -> QuerySet[Disqualification]:
    """Every entry of the round's log, newest first."""
    return Disqualification.objects.filter(round=round).select_related("user").order_by("-id")


def disqualifications_active(*, round: Round) -> QuerySet[Disqualification]:
    """The disqualifications in force: entries that disqualify and are their case's latest."""
    later = Disqualification.objects.filter(
        round_id=models.OuterRef("round_id"),
        case_key=models.OuterRef("case_key"),
        id__gt=models.OuterRef("id"),
    )
    return (
        Disqualification.objects.filter(round=round, action=Disqualification.DISQUALIFY)
        .exclude(models.Exists(later))
        .select_related("user")
        .order_by("-id")
    )


@dataclass(frozen=True)
class Flag:
    """One finding of the suspicious-attempts report: `key` names it in the staff's
    decisions (never a phone number or an address: a hash of it)."""

    kind: str
    key: str
    title: str
    detail: str
    accounts: tuple[tuple[str, int | None], ...]  # (username, attempt id or None)
    count: int


SUSPICION_SECONDS = 600
_FLAG_ACCOUNTS = 50


def _flag_hash(kind: str, value: str) -> str:
    return salted_hmac("moduong.contests.flag", f"{kind}:{value}", algorithm="sha256").hexdigest()[
        :20
    ]


def _user_table() -> str:
    return str(User._meta.db_table)


def _fast_flags(rnd: Round) -> list[Flag]:
    rows = _rows(
        f"SELECT a.id, u.username, a.duration_ms FROM contests_attempt a"  # noqa: S608
        f" JOIN {_user_table()} u ON u.id = a.user_id"
        " WHERE a.round_id = %s AND a.submitted_at IS NOT NULL AND a.duration_ms < %s"
        " ORDER BY a.duration_ms, a.id LIMIT 500",
        [rnd.pk, rnd.min_human_seconds * 1000],
    )
    return [
        Flag(
            kind="fast",
            key=f"fast:{attempt_id}",
            title=_("Finished faster than a person can"),
            detail=_("%(seconds)s seconds for %(n)d questions (the least a person needs: %(min)d).")
            % {
                "seconds": vntext.format_number(round(ms / 1000, 1)),
                "n": rnd.questions_per_attempt,
                "min": rnd.min_human_seconds,
            },
            accounts=((username, attempt_id),),
            count=1,
        )
        for attempt_id, username, ms in rows
    ]


def _twin_flags(rnd: Round) -> list[Flag]:
    """Accounts whose submitted answers are the same string, in the same whole second: with
    every attempt's own shuffled order, equal strings across accounts are what a script or
    one person with many accounts leaves, not chance."""
    rows = _rows(
        "WITH g AS ("  # noqa: S608
        "  SELECT answers, duration_ms / 1000 AS secs FROM contests_attempt"
        "  WHERE round_id = %s AND submitted_at IS NOT NULL AND REPLACE(answers, '-', '') <> ''"
        "  GROUP BY answers, duration_ms / 1000 HAVING COUNT(DISTINCT user_id) > 1"
        "  ORDER BY COUNT(*) DESC LIMIT 200)"
        " SELECT a.answers, a.duration_ms / 1000, a.id, u.username FROM contests_attempt a"
        " JOIN g ON g.answers = a.answers AND g.secs = a.duration_ms / 1000"
        f" JOIN {_user_table()} u ON u.id = a.user_id"
        " WHERE a.round_id = %s AND a.submitted_at IS NOT NULL ORDER BY 1, 2, 3",
        [rnd.pk, rnd.pk],
    )
    groups: dict[tuple[str, int], list[tuple[str, int | None]]] = {}
    for answers, secs, attempt_id, username in rows:
        groups.setdefault((answers, int(secs)), []).append((username, attempt_id))
    return [
        Flag(
            kind="twins",
            key=f"twins:{_flag_hash('twins', f'{answers}:{secs}')}",
            title=_("Identical answers and time across accounts"),
            detail=_("%(n)d attempts chose the same options in %(seconds)d seconds.")
            % {"n": len(members), "seconds": secs},
            accounts=tuple(members[:_FLAG_ACCOUNTS]),
            count=len(members),
        )
        for (answers, secs), members in groups.items()
    ]


def _contact_flags(rnd: Round, kind: str, column: str, limit: int) -> list[Flag]:
    rows = _rows(
        "WITH p AS ("  # noqa: S608
        f"  SELECT DISTINCT p.user_id, p.{column} AS v FROM contests_participantprofile p"
        "  JOIN contests_attempt a ON a.user_id = p.user_id AND a.round_id = %s"
        f"  WHERE p.contest_id = %s AND p.{column} <> ''"
        "), g AS (SELECT v FROM p GROUP BY v HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC"
        "  LIMIT 200)"
        f" SELECT p.v, u.username FROM p JOIN g ON g.v = p.v JOIN {_user_table()} u"
        " ON u.id = p.user_id ORDER BY 1, 2",
        [rnd.pk, rnd.contest_id, limit],
    )
    groups: dict[str, list[tuple[str, int | None]]] = {}
    for value, username in rows:
        groups.setdefault(value, []).append((username, None))
    titles = {
        "phone": _("Many accounts with one phone number"),
        "id": _("Many accounts with one ID number"),
        "address": _("Many accounts registered from one address"),
    }
    shown = {
        "phone": mask_phone,
        "id": lambda v: f"…{v[-4:]}",
        "address": lambda v: _("hash %(start)s…") % {"start": v[:8]},
    }
    return [
        Flag(
            kind=kind,
            key=f"{kind}:{_flag_hash(kind, value)}",
            title=titles[kind],
            detail=_("%(n)d accounts share %(value)s.")
            % {"n": len(members), "value": shown[kind](value)},
            accounts=tuple(members[:_FLAG_ACCOUNTS]),
            count=len(members),
        )
        for value, members in groups.items()
    ]


def _minute_start(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite: the text of the UTC minute
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def _burst_flags(rnd: Round, per_minute: int) -> list[Flag]:
    """Minutes in which more of the round's participants registered for the contest than
    `per_minute`."""
    if connection.vendor == "postgresql":
        minute = "date_trunc('minute', p.created_at)"
    else:
        minute = "strftime('%%Y-%%m-%%d %%H:%%M', p.created_at)"
    rows = _rows(
        "WITH p AS ("  # noqa: S608
        f"  SELECT DISTINCT p.user_id, {minute} AS m FROM contests_participantprofile p"
        "  JOIN contests_attempt a ON a.user_id = p.user_id AND a.round_id = %s"
        "  WHERE p.contest_id = %s"
        "), g AS (SELECT m FROM p GROUP BY m HAVING COUNT(*) >= %s ORDER BY m LIMIT 200)"
        f" SELECT p.m, u.username FROM p JOIN g ON g.m = p.m JOIN {_user_table()} u"
        " ON u.id = p.user_id ORDER BY 1, 2",
        [rnd.pk, rnd.contest_id, per_minute],
    )
    groups: dict[dt.datetime, list[tuple[str, int | None]]] = {}
    for value, username in rows:
        groups.setdefault(_minute_start(value), []).append((username, None))
    return [
        Flag(
            kind="burst",
            key=f"burst:{minute_at.strftime('%Y%m%d%H%M')}",
            title=_("Registrations in a burst"),
            detail=_("%(n)d registrations in the minute from %(when)s.")
            % {"n": len(members), "when": vntext.format_datetime(minute_at, weekday=False)},
            accounts=tuple(members[:_FLAG_ACCOUNTS]),
            count=len(members),
        )
        for minute_at, members in groups.items()
    ]


def suspicion_report_compute(*, round: Round) -> dict[str, Any]:
    """The round's suspicious attempts, each kind one SQL query over the closed round."""
    contest = Contest.objects.get(pk=round.contest_id)
    limit = contest.same_contact_limit
    flags = [
        *_fast_flags(round),
        *_twin_flags(round),
        *_contact_flags(round, "phone", "phone", limit),
        *_contact_flags(round, "id", "id_number", limit),
        *_contact_flags(round, "address", "address_hash", limit),
        *_burst_flags(round, contest.burst_per_minute),
    ]
    return {"flags": flags, "computed_at": timezone.now()}


def _suspicion_key(round: Round) -> str:
    return f"contests:suspicion:{round.pk}"


def suspicion_report_refresh(*, round: Round) -> dict[str, Any]:
    report = suspicion_report_compute(round=round)
    cache.set(_suspicion_key(round), report, DASHBOARD_KEEP_SECONDS)
    return report


def suspicion_report(*, round: Round) -> dict[str, Any] | None:
    """The report as last computed (a background task computes it after the close, again at
    most every SUSPICION_SECONDS), or None before the close or while the first one is made."""
    if timezone.now() < round.closes_at:
        return None
    key = _suspicion_key(round)
    report: dict[str, Any] | None = cache.get(key)
    stale = (
        report is None
        or report["computed_at"] < round.closes_at
        or ((timezone.now() - report["computed_at"]).total_seconds() > SUSPICION_SECONDS)
    )
    if stale and cache.add(f"{key}:queued", 1, SUSPICION_SECONDS):
        events.suspicion_report_outdated.send(sender=Round, round_id=round.pk)
        report = cache.get(key)  # filled already where tasks run at once
    return report


def suspicion_decisions(*, round: Round) -> dict[str, Suspicion]:
    """The latest staff decision of each flag of the round."""
    latest: dict[str, Suspicion] = {}
    for decision in Suspicion.objects.filter(round=round).order_by("id"):
        latest[decision.flag] = decision
    return latest


def suspicion_log(*, round: Round) -> QuerySet[Suspicion]:
    return Suspicion.objects.filter(round=round).order_by("-id")


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
