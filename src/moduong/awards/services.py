"""Writes of the awards app. Every refusal is an AwardError with a Vietnamese sentence and
leaves nothing behind: checks run before the first write, inside one transaction.

Limits that count rows (an author's entries, a unit's entries in a category) are checked with
the award's row locked, so two entries sent at the same instant cannot both slip under a limit.
Scores are saved one criterion at a time with the sheet's row locked: a save and a submit of
the same sheet are ordered, and two judges never touch the same row."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.units.models import Unit

from . import selectors
from .files import file_kind
from .models import (
    METHODS,
    Assignment,
    Award,
    Conflict,
    Entry,
    EntryFile,
    Judge,
    Prize,
    Round,
    Score,
    ScoreLog,
    ScoreSheet,
)


class AwardError(Exception):
    """A refusal shown as it is: a sentence in Vietnamese. Nothing was changed."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class EntryData:
    category_id: int
    title: str
    authors: str
    outlet: str
    published_on: dt.date
    published_url: str = ""
    link: str = ""
    statement: str = ""


def _clean(data: EntryData) -> EntryData:
    authors = "\n".join(
        vntext.clean_line(a) for a in vntext.clean_input(data.authors).splitlines() if a.strip()
    )
    return EntryData(
        category_id=data.category_id,
        title=vntext.clean_line(data.title),
        authors=authors,
        outlet=vntext.clean_line(data.outlet),
        published_on=data.published_on,
        published_url=data.published_url.strip(),
        link=data.link.strip(),
        statement=vntext.clean_input(data.statement).strip(),
    )


_URL_MAX = Entry._meta.get_field("link").max_length or 200
_web_address = URLValidator(schemes=["http", "https"])


def _is_web_address(address: str) -> bool:
    try:
        _web_address(address)
    except ValidationError:
        return False
    return True


def _check_entry(
    *,
    award: Award,
    data: EntryData,
    unit: Unit | None,
    files: list[UploadedFile],
    has_files: bool,
    now: dt.datetime,
    exclude: int | None = None,
) -> list[tuple[UploadedFile, str]]:
    if now < award.entries_open_at:
        raise AwardError(_("Entries are not open yet."), "not_open")
    if now >= award.entries_close_at:
        raise AwardError(_("The deadline for entries has passed."), "closed")
    if not award.categories.filter(pk=data.category_id).exists():
        raise AwardError(_("Please choose one of the award's categories."), "category")
    if not data.title or not data.authors or not data.outlet:
        raise AwardError(_("Please give the title, the authors and the outlet."), "required")
    if not data.statement:
        raise AwardError(_("Please confirm the statement of authorship."), "statement")
    if not award.published_from <= data.published_on <= award.published_until:
        raise AwardError(
            _("The work must have been published between %(start)s and %(end)s.")
            % {
                "start": vntext.format_date(award.published_from),
                "end": vntext.format_date(award.published_until),
            },
            "period",
        )
    for address in (data.published_url, data.link):
        # Shown as a link to judges: a script (javascript:, data:) in its place would run there.
        if address and (len(address) > _URL_MAX or not _is_web_address(address)):
            raise AwardError(
                _("%(address)s is not a web address (one starting with http:// or https://).")
                % {"address": address[:_URL_MAX]},
                "address",
            )
    if not files and not has_files and not data.link:
        raise AwardError(_("Please attach the work's files or give a link to it."), "no_work")
    checked = []
    for upload in files:
        try:
            kind = file_kind(upload, name=upload.name or "", size=upload.size or 0)
        except ValidationError as error:
            raise AwardError(" ".join(error.messages), "file") from error
        checked.append((upload, kind))
    others = award.entries.exclude(status=Entry.INELIGIBLE)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    limit = award.author_max_entries
    counts: dict[str, int] = {}
    for text in others.values_list("authors", flat=True):
        for name in {vntext.fold(a) for a in text.splitlines() if a.strip()}:
            counts[name] = counts.get(name, 0) + 1
    for author in data.authors.splitlines():
        if counts.get(vntext.fold(author), 0) >= limit:
            raise AwardError(
                _("%(name)s already has %(n)d entries in this award, the most allowed.")
                % {"name": author, "n": limit},
                "author_limit",
            )
    if unit is not None:
        used = others.filter(unit=unit, category_id=data.category_id).count()
        if used >= award.unit_max_per_category:
            raise AwardError(
                _("%(unit)s already has %(n)d entries in this category, the most allowed.")
                % {"unit": unit.name, "n": award.unit_max_per_category},
                "unit_limit",
            )
    return checked


def _store_files(entry: Entry, checked: list[tuple[UploadedFile, str]]) -> None:
    for upload, kind in checked:
        EntryFile.objects.create(
            entry=entry,
            file=upload,
            kind=kind,
            name=vntext.clean_line(upload.name or "")[:255],
            size=upload.size or 0,
        )


@transaction.atomic
def entry_submit(
    *,
    award: Award,
    user: User,
    data: EntryData,
    files: list[UploadedFile],
    now: dt.datetime | None = None,
) -> Entry:
    now = now or timezone.now()
    award = Award.objects.select_for_update().get(pk=award.pk)
    unit = selectors.unit_of(user=user)
    data = _clean(data)
    checked = _check_entry(award=award, data=data, unit=unit, files=files, has_files=False, now=now)
    entry = Entry.objects.create(
        award=award,
        category_id=data.category_id,
        title=data.title,
        authors=data.authors,
        outlet=data.outlet,
        published_on=data.published_on,
        published_url=data.published_url,
        link=data.link,
        statement=data.statement,
        submitted_by=user,
        unit=unit,
        submitted_at=now,
    )
    _store_files(entry, checked)
    return entry


@transaction.atomic
def entry_correct(
    *,
    entry: Entry,
    user: User,
    data: EntryData,
    files: list[UploadedFile],
    now: dt.datetime | None = None,
) -> Entry:
    """A returned entry, corrected by its submitter before the deadline: back to screening.
    New files replace the old ones; with none the old ones stay."""
    now = now or timezone.now()
    award = Award.objects.select_for_update().get(pk=entry.award_id)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.submitted_by_id != user.pk or entry.status != Entry.RETURNED:
        raise AwardError(_("Only an entry returned for correction can be changed."), "locked")
    data = _clean(data)
    checked = _check_entry(
        award=award,
        data=data,
        unit=entry.unit,
        files=files,
        has_files=entry.files.exists(),
        now=now,
        exclude=entry.pk,
    )
    for name in (
        "title",
        "authors",
        "outlet",
        "published_on",
        "published_url",
        "link",
        "statement",
    ):
        setattr(entry, name, getattr(data, name))
    entry.category_id = data.category_id
    entry.status = Entry.SUBMITTED
    entry.save()
    if checked:
        entry.files.all().delete()
        _store_files(entry, checked)
    return entry


@transaction.atomic
def entry_screen(
    *, entry: Entry, status: str, reason: str, by: User, now: dt.datetime | None = None
) -> Entry:
    """The secretariat's decision: eligible, not eligible (with its reason), or returned for
    correction (with what to correct; only while entries are still open)."""
    now = now or timezone.now()
    reason = vntext.clean_input(reason).strip()
    if status not in {Entry.ELIGIBLE, Entry.INELIGIBLE, Entry.RETURNED}:
        raise AwardError(_("Unknown decision."), "status")
    if status != Entry.ELIGIBLE and not reason:
        raise AwardError(_("Please give the reason, for the submitter to read."), "reason")
    if status == Entry.RETURNED and now >= entry.award.entries_close_at:
        raise AwardError(
            _("The deadline has passed: the entry can no longer be corrected."), "closed"
        )
    if entry.assignments.exists() and status != Entry.ELIGIBLE:
        raise AwardError(_("This entry is already with the judges."), "judged")
    entry.status = status
    entry.screening_reason = reason
    entry.save(update_fields=["status", "screening_reason", "updated_at"])
    return entry


@dataclass
class AssignReport:
    created: int = 0
    short: list[str] = field(default_factory=list)


def _assign(round: Round, entries: list[Entry], report: AssignReport) -> None:
    judges = list(round.panel.select_related("unit", "user"))
    lines = {j.pk: selectors.unit_line(j.unit) for j in judges}
    declared: dict[int, set[int]] = {j.pk: set() for j in judges}
    for judge_id, entry_id in Conflict.objects.filter(judge__in=judges).values_list(
        "judge_id", "entry_id"
    ):
        declared[judge_id].add(entry_id)
    load = dict.fromkeys((j.pk for j in judges), 0)
    for row in (
        Assignment.objects.filter(round=round, status=Assignment.ACTIVE)
        .values("judge")
        .annotate(n=Count("id"))
    ):
        if row["judge"] in load:
            load[row["judge"]] = row["n"]
    for entry in entries:
        existing = list(round.assignments.filter(entry=entry))
        active = sum(1 for a in existing if a.status == Assignment.ACTIVE)
        taken = {a.judge_id for a in existing}
        needed = round.judges_per_entry - active
        if needed <= 0:
            continue
        candidates = [
            j
            for j in judges
            if j.pk not in taken
            and not selectors.conflict_reason(
                judge=j, entry=entry, line=lines[j.pk], declared=declared[j.pk]
            )
        ]
        # The least loaded first; among equals, an order that differs from entry to entry so
        # that the same judges are not always paired.
        candidates.sort(key=lambda j: (load[j.pk], (j.pk * 7919 + entry.pk * 104729) % 1000003))
        for judge in candidates[:needed]:
            assignment = Assignment.objects.create(round=round, entry=entry, judge=judge)
            ScoreSheet.objects.create(assignment=assignment)
            load[judge.pk] += 1
            report.created += 1
        if len(candidates) < needed:
            report.short.append(entry.title)


@transaction.atomic
def round_assign(*, round: Round) -> AssignReport:
    """Gives every entry of the round the set number of judges, none in conflict with it,
    balancing the load; running it again only fills gaps."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    report = AssignReport()
    _assign(round, list(selectors.round_entries(round=round)), report)
    return report


@transaction.atomic
def conflict_declare(*, judge: Judge, entry: Entry, reason: str, by: User) -> AssignReport:
    """A judge declares a conflict with an entry: their assignments of it end, any sheet they
    filled is set aside (kept, but counted nowhere), and the entry gets another judge."""
    reason = vntext.clean_input(reason).strip()
    if not reason:
        raise AwardError(_("Please say what the conflict of interest is."), "reason")
    Conflict.objects.get_or_create(judge=judge, entry=entry, defaults={"reason": reason})
    report = AssignReport()
    for assignment in Assignment.objects.select_for_update().filter(
        judge=judge, entry=entry, status=Assignment.ACTIVE
    ):
        assignment.status = Assignment.RECUSED
        assignment.save(update_fields=["status"])
        sheet = ScoreSheet.objects.select_for_update().get(assignment=assignment)
        sheet.set_aside = True
        sheet.save(update_fields=["set_aside"])
        ScoreLog.objects.create(sheet=sheet, action=ScoreLog.SET_ASIDE, text=reason, by=by)
        _assign(assignment.round, [entry], report)
    return report


def _open_sheet(assignment: Assignment) -> ScoreSheet:
    sheet = ScoreSheet.objects.select_for_update().get(assignment_id=assignment.pk)
    if sheet.submitted_at is not None:
        raise AwardError(_("This score sheet has been submitted and can no longer be changed."))
    if sheet.set_aside:
        raise AwardError(_("This score sheet has been set aside."))
    return sheet


@transaction.atomic
def score_save(*, assignment: Assignment, criterion_id: int, value: str, by: User) -> Score:
    criterion = assignment.round.criteria.filter(pk=criterion_id).first()
    if criterion is None:
        raise AwardError(_("This criterion is not part of the round."), "criterion")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise AwardError(_("Please type a number."), "number") from error
    if not number.is_finite() or not criterion.min_score <= number <= criterion.max_score:
        raise AwardError(
            _("%(name)s: the score must be from %(low)s to %(high)s.")
            % {"name": criterion.name, "low": criterion.min_score, "high": criterion.max_score},
            "scale",
        )
    number = number.quantize(Decimal("0.01"))
    sheet = _open_sheet(assignment)
    score, _created = Score.objects.update_or_create(
        sheet=sheet, criterion=criterion, defaults={"value": number}
    )
    ScoreLog.objects.create(
        sheet=sheet, action=ScoreLog.SAVED, criterion=criterion, value=number, by=by
    )
    return score


@transaction.atomic
def comment_save(*, assignment: Assignment, text: str, by: User) -> None:
    sheet = _open_sheet(assignment)
    text = vntext.clean_input(text).strip()
    if text == sheet.comment:
        return
    sheet.comment = text
    sheet.save(update_fields=["comment"])
    ScoreLog.objects.create(sheet=sheet, action=ScoreLog.COMMENT, text=text, by=by)


@transaction.atomic
def sheet_submit(*, assignment: Assignment, by: User, now: dt.datetime | None = None) -> None:
    sheet = _open_sheet(assignment)
    missing = assignment.round.criteria.exclude(
        pk__in=sheet.scores.values_list("criterion_id", flat=True)
    )
    if missing.exists():
        raise AwardError(
            _("Please score every criterion first: %(names)s.")
            % {"names": ", ".join(c.name for c in missing)},
            "incomplete",
        )
    sheet.submitted_at = now or timezone.now()
    sheet.save(update_fields=["submitted_at"])
    ScoreLog.objects.create(sheet=sheet, action=ScoreLog.SUBMITTED, by=by)


@transaction.atomic
def round_advance(*, round: Round, method: str) -> int:
    """The best `advance_per_category` entries of each category go on to the next round."""
    if method not in METHODS:
        raise AwardError(_("Unknown method."), "method")
    found = selectors.award_results(award=round.award, round=round)
    if found is None or not round.advance_per_category:
        return 0
    moving = [r.entry for r in found.rankings[method] if r.rank <= round.advance_per_category]
    return Entry.objects.filter(pk__in=moving, reached_round__lte=round.number).update(
        reached_round=round.number + 1
    )


@transaction.atomic
def award_results_confirm(
    *, award: Award, method: str, by: User, now: dt.datetime | None = None
) -> list[Prize]:
    """The council's decision: prizes follow `method`, within each category's counts. Made
    once; each prize gets its certificate number and a verification code."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if method not in METHODS:
        raise AwardError(_("Unknown method."), "method")
    if award.confirmed_method:
        raise AwardError(_("The results have already been confirmed."), "confirmed")
    found = selectors.award_results(award=award)
    if found is None:
        raise AwardError(_("The award has no round to take results from."), "no_round")
    pending = ScoreSheet.objects.filter(
        assignment__round=found.round,
        assignment__status=Assignment.ACTIVE,
        submitted_at__isnull=True,
    )
    if pending.exists():
        raise AwardError(_("Some judges have not submitted their sheets yet."), "pending")
    winners = [r for r in found.rankings[method] if r.prize]
    prizes = []
    for number, row in enumerate(sorted(winners, key=lambda r: (r.category, r.rank)), start=1):
        prizes.append(
            Prize.objects.create(
                award=award,
                entry_id=row.entry,
                level=row.prize,
                rank=row.rank,
                score=row.score,
                number=number,
                code=secrets.token_hex(5).upper(),
            )
        )
    award.confirmed_method = method
    award.confirmed_at = now or timezone.now()
    award.confirmed_by = by
    award.save(update_fields=["confirmed_method", "confirmed_at", "confirmed_by"])
    return prizes
