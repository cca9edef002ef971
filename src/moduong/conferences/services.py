"""Every write of the conferences app: the points' import, a point's report through its link,
closing the reporting, the warning about points not linked before the start."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.core import vntext
from moduong.core.services import per_address, rate_limit_exceeded
from moduong.core.uploads import check_image, check_size, without_location
from moduong.units.selectors import provinces_list

from . import events, selectors
from .excel import points_read
from .links import PointLink
from .models import (
    AttendanceCategory,
    Conference,
    ConnectionPoint,
    Delegate,
    LinkTest,
    PointReport,
)

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
#: Reports (and refused links) per client address in a minute. A point sends a few; a whole
#: district's points behind one address may send a few dozen on the day. Above that it is a
#: script writing rows and photos through a leaked link, or guessing links.
REPORT_RATE_PER_MINUTE = 60
_IMPORTED = (
    "name",
    "host_unit",
    "province",
    "commune",
    "address",
    "capacity",
    "connection_type",
    "contact_name",
    "contact_phone",
    "expected_attendance",
)
_RELATED = {"host_unit", "province", "commune"}


def report_rate_exceeded(*, request: HttpRequest) -> bool:
    return rate_limit_exceeded(
        request=request,
        action="conference-report",
        rate=per_address(REPORT_RATE_PER_MINUTE, "m"),
    )


class ConferenceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PointsImport:
    created: int
    updated: int
    errors: list[tuple[int, str]]


@transaction.atomic
def conference_points_import(*, conference: Conference, data: bytes) -> PointsImport:
    """Connection points from an Excel file in the template's format. All or nothing: one wrong
    row imports nothing, and every wrong row is reported. A code already in the conference
    updates that point (its reports are kept), so importing one file twice changes nothing."""
    read = points_read(data, provinces=provinces_list())
    if read.errors:
        return PointsImport(created=0, updated=0, errors=read.errors)
    existing = {p.code: p for p in ConnectionPoint.objects.filter(conference=conference)}
    created = updated = 0
    new: list[ConnectionPoint] = []
    for row in read.rows:
        point = existing.get(row.code)
        if point is None:
            point = ConnectionPoint(conference=conference, code=row.code)
        changed = False
        for name in _IMPORTED:
            value = getattr(row, name)
            if name in _RELATED:  # compared by id: a new point has no related row to read
                if getattr(point, f"{name}_id") != (value.pk if value else None):
                    setattr(point, name, value)
                    changed = True
            elif getattr(point, name) != value:
                setattr(point, name, value)
                changed = True
        if point.pk is None:
            new.append(point)
            created += 1
        elif changed:
            point.save(update_fields=list(_IMPORTED))
            updated += 1
    ConnectionPoint.objects.bulk_create(new, batch_size=500)
    log.info("conference %s: %d points imported, %d updated", conference.slug, created, updated)
    events.rollup_outdated.send(sender=Conference, conference_id=conference.pk)
    return PointsImport(created=created, updated=updated, errors=[])


@dataclass(frozen=True)
class ReportInput:
    link_test: str | None = None  # None: unchanged
    link_test_note: str | None = None
    linked: bool | None = None
    attendance: dict[int, int] | None = None  # category id → people
    photo: bytes | None = None


def _photo_checked(data: bytes) -> tuple[bytes, str]:
    """The picture without its location data, and its file extension (from its bytes)."""
    stream = BytesIO(data)
    check_size(stream, size=len(data), limit=MAX_PHOTO_BYTES)
    mime, _width, _height = check_image(stream)
    return without_location(data) or data, mime.split("/")[1].replace("jpeg", "jpg")


def point_report_submit(
    *,
    link: PointLink,
    report: ReportInput,
    by: str = "điểm cầu",
    categories: Collection[int] | None = None,
) -> bool:
    """A point's report through its link. Checked before anything is written (a closed
    reporting, attendance below 0 or above the room's capacity, a photo that is not one); the
    point's row is locked while it changes, so two phones reporting at once are applied one
    after the other: the last one's values stay, and both are in the history. `categories`:
    the ids of the link's conference's categories when the caller has just read them; without
    them the one statement below checks the report's categories itself (no read before it).

    On the day 600 points send two reports each within a minute: the write is the locked
    read, one UPDATE and one history row. The UPDATE is a queryset's, so no post_save runs
    (Wagtail's reference index would queue a task per report for references a report never
    changes), and nothing is sent to the roll-up: a report raises the point's revision, which
    the roll-up's poll compares (selectors.rollup), so a report costs no cache round trip. On
    PostgreSQL a report without a photo is all of that in one statement
    (_report_write_in_one_statement). True when something changed."""
    if report.link_test is not None and report.link_test not in LinkTest.values:
        raise ConferenceError(_("Please choose how the link test went."))
    attendance = None
    one_statement = not report.photo and connection.vendor == "postgresql"
    if report.attendance is not None:
        if categories is None and not one_statement:
            categories = set(
                AttendanceCategory.objects.filter(conference_id=link.conference_id).values_list(
                    "pk", flat=True
                )
            )
        if categories is not None and set(report.attendance) - set(categories):
            raise ConferenceError(_not_a_category())
        if any(value < 0 for value in report.attendance.values()):
            raise ConferenceError(_("The number of people cannot be negative."))
        attendance = {str(k): int(v) for k, v in sorted(report.attendance.items())}
    photo = None
    if report.photo:
        try:
            photo = _photo_checked(report.photo)
        except ValidationError as error:
            raise ConferenceError(" ".join(error.messages)) from error
    if one_statement:
        return _report_write_in_one_statement(
            link=link,
            report=report,
            attendance=attendance,
            by=by,
            check_categories=categories is None,
        )
    with transaction.atomic():
        point = (
            ConnectionPoint.objects.select_for_update(of=("self",))
            .filter(pk=link.point_id, conference_id=link.conference_id)
            .first()
        )
        if point is None:
            raise ConferenceError(_("This link is not valid."))
        if point.link_version != link.version:
            raise ConferenceError(_("This link has been revoked."))
        if _reporting_closed_held(link.conference_id):
            raise ConferenceError(_closed())
        changes: dict[str, list[Any]] = {}

        def change(name: str, value: Any, shown: Any = None) -> None:
            before = getattr(point, name)
            if before != value:
                changes[name] = [
                    before.isoformat() if hasattr(before, "isoformat") else before,
                    shown if shown is not None else value,
                ]
                setattr(point, name, value)

        if report.link_test is not None:
            change("link_test", report.link_test)
        if report.link_test_note is not None:
            change("link_test_note", vntext.clean_line(report.link_test_note)[:500])
        if report.linked is not None:
            if report.linked and point.linked_at is None:
                now = timezone.now()
                change("linked_at", now, now.isoformat())
            elif not report.linked and point.linked_at is not None:
                change("linked_at", None)
        if attendance is not None:
            total = sum(attendance.values())
            if total > point.capacity:
                raise ConferenceError(_over_capacity(total, point.capacity))
            change("attendance", attendance)
            change("attendance_total", total)
        if photo is not None:
            old = point.photo.name if point.photo else ""
            content, extension = photo
            point.photo.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
            changes["photo"] = [old, point.photo.name]
        if not changes:
            return False
        point.revision += 1
        point.reported_at = timezone.now()
        ConnectionPoint.objects.filter(pk=point.pk).update(
            link_test=point.link_test,
            link_test_note=point.link_test_note,
            linked_at=point.linked_at,
            attendance=point.attendance,
            attendance_total=point.attendance_total,
            photo=point.photo.name or "",
            reported_at=point.reported_at,
            revision=point.revision,
        )
        PointReport.objects.create(point=point, by=by, changes=changes, revision=point.revision)
    log.info("conference point %s reported: %s", point.pk, ", ".join(changes))
    return True


def _reporting_closed_held(conference_id: int) -> bool:
    """Whether the organisers closed the reporting, read with the conference's row held shared
    (reports do not wait for each other) until the report commits. Closing takes the row for
    update, so a report is either committed before the closing or sees it; without the hold a
    report that read "open" could commit after the closing. SQLite writes one transaction at a
    time: no hold there."""
    if connection.vendor != "postgresql":
        return Conference.objects.filter(pk=conference_id, reporting_closed=True).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT reporting_closed FROM {Conference._meta.db_table}"  # noqa: S608 (our table)
            " WHERE id = %s FOR SHARE",
            [conference_id],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _not_a_category() -> str:
    return _("An attendance category is not this conference's.")


def _closed() -> str:
    return _("The organisers have closed the reporting of this conference.")


def _over_capacity(total: int, capacity: int) -> str:
    return _("%(n)s people is more than the room's capacity of %(c)s.") % {
        "n": vntext.format_number(total),
        "c": vntext.format_number(capacity),
    }


#: A report without a photo on PostgreSQL, in one statement (no BEGIN, no COMMIT: one round
#: trip): the function conference_point_report (migration conferences/0005, where its
#: statement is) locks the point (FOR UPDATE: a second phone's statement waits there, then
#: reads what the first wrote) and holds the conference's row shared (FOR SHARE: closing the
#: reporting takes that row for update, so it waits for a report under way, and a report
#: waiting behind a closing reads the closed row), checks the report's categories are the
#: conference's (when the caller has not), works out the new values and what changed, and,
#: when the link's version, the closing and the capacity allow it and something changed,
#: UPDATEs the point and INSERTs the history row. It returns what the checks need, so a
#: refusal is explained as on SQLite, and the changes written (NULL: nothing written); no row
#: when the link's point is not the conference's. A function and not the statement itself:
#: plpgsql keeps the statement's plan for the connection's life, where the statement sent
#: as SQL was planned again at each report (about half of its cost on the database), and a
#: prepared statement breaks behind pgbouncer in transaction mode.
_REPORT_SQL = (
    "SELECT * FROM conference_point_report(%s::bigint, %s::bigint, %s::integer, %s::varchar,"
    " %s::varchar, %s::boolean, %s::timestamptz, %s::text, %s::jsonb, %s::integer, %s::varchar,"
    " %s::bigint[])"
)


def _report_write_in_one_statement(
    *,
    link: PointLink,
    report: ReportInput,
    attendance: dict[str, int] | None,
    by: str,
    check_categories: bool,
) -> bool:
    """point_report_submit's write on PostgreSQL, for a report without a photo: the same checks
    and messages, the same point row and history row, in one statement (see _REPORT_SQL)."""
    now = timezone.now()
    total = sum(attendance.values()) if attendance is not None else None
    note = report.link_test_note
    params = (
        link.point_id,
        link.conference_id,
        link.version,
        report.link_test,
        vntext.clean_line(note)[:500] if note is not None else None,
        report.linked,
        now,
        now.isoformat(),
        json.dumps(attendance) if attendance is not None else None,
        total,
        by,
        [int(k) for k in attendance] if check_categories and attendance is not None else None,
    )
    with connection.cursor() as cursor:
        cursor.execute(_REPORT_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise ConferenceError(_("This link is not valid."))
    version, closed, capacity, categories_ok, changes = row
    if not categories_ok:
        raise ConferenceError(_not_a_category())
    if version != link.version:
        raise ConferenceError(_("This link has been revoked."))
    if closed:
        raise ConferenceError(_closed())
    if total is not None and total > capacity:
        raise ConferenceError(_over_capacity(total, capacity))
    if changes is None:
        return False
    log.info("conference point %s reported: %s", link.point_id, ", ".join(json.loads(changes)))
    return True


@transaction.atomic
def conference_reporting_set(*, conference: Conference, closed: bool) -> Conference:
    """Close (or reopen) the reporting. The conference's row is taken for update first: a
    report under way holds it shared (see _REPORT_SQL), so the closing waits for it to commit,
    and a report after the closing's commit is refused."""
    Conference.objects.select_for_update().filter(pk=conference.pk).values_list("pk").first()
    conference.reporting_closed = closed
    conference.save(update_fields=["reporting_closed"])
    log.info("conference %s: reporting %s", conference.slug, "closed" if closed else "opened")
    return conference


def conference_alert_send(*, conference_id: int) -> int:
    """Email the organisers the points not linked yet, once, when the warning's minutes
    before the start have come. Returns how many points were listed (0: nothing sent)."""
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=conference_id)
        if conference.alert_sent_at is not None or not selectors.alert_due(conference=conference):
            return 0
        missing = list(selectors.points_not_linked(conference=conference))
        recipients = [e.strip() for e in conference.alert_emails.splitlines() if e.strip()]
        if not missing or not recipients:
            return 0
        conference.alert_sent_at = timezone.now()
        conference.save(update_fields=["alert_sent_at"])
    lines = [f"{p.code} – {p.name} – {p.contact_name} {p.contact_phone}".strip() for p in missing]
    send_mail(
        _("%(n)d connection points are not linked yet: %(t)s")
        % {"n": len(missing), "t": conference.title},
        _("Starts at %(s)s. Points not linked yet:")
        % {"s": vntext.format_datetime(conference.starts_at)}
        + "\n\n"
        + "\n".join(lines),
        None,
        recipients,
    )
    log.info("conference %s: warning about %d points sent", conference.slug, len(missing))
    return len(missing)


def point_link_reissue(*, point: ConnectionPoint, by: str) -> ConnectionPoint:
    """Revoke every link the point was given (a leaked one, a lost sheet) and make the next:
    the version signed into the links goes up by one. Written in the point's history."""
    with transaction.atomic():
        locked = ConnectionPoint.objects.select_for_update().get(pk=point.pk)
        before = locked.link_version
        locked.link_version = before + 1
        locked.save(update_fields=["link_version"])
        PointReport.objects.create(
            point=locked,
            by=by,
            changes={"link_version": [before, locked.link_version]},
            revision=locked.revision,
        )
    log.info("conference point %s: links before version %d revoked", point.pk, before + 1)
    point.link_version = locked.link_version
    return point


@dataclass(frozen=True)
class CheckIn:
    delegate: Delegate
    already: bool  # checked in before (a second scan of one badge): nothing changed


def delegate_check_in(*, conference: Conference, code: str, by: str) -> CheckIn:
    """A delegate at the main hall's door, by the code of its badge (scanned or typed). A code
    of another conference, or of nobody, is refused; a second scan changes nothing and says
    when the first was."""
    code = "".join(code.split()).upper()
    with transaction.atomic():
        # No select_related: PostgreSQL locks no row of an outer join's nullable side.
        delegate = (
            Delegate.objects.select_for_update().filter(conference=conference, code=code).first()
        )
        if delegate is None:
            raise ConferenceError(
                _("No delegate of this conference has the code %(code)s.") % {"code": code[:16]}
            )
        if delegate.checked_in_at is not None:
            return CheckIn(delegate=delegate, already=True)
        delegate.checked_in_at = timezone.now()
        delegate.checked_in_by = by[:150]
        delegate.save(update_fields=["checked_in_at", "checked_in_by"])
    log.info("conference %s: delegate %s checked in", conference.slug, delegate.pk)
    events.rollup_outdated.send(sender=Conference, conference_id=conference.pk)
    return CheckIn(delegate=delegate, already=False)


@transaction.atomic
def delegate_register(
    *,
    conference: Conference,
    full_name: str,
    position: str = "",
    organisation: str = "",
    category: AttendanceCategory | None = None,
    seat: str = "",
) -> Delegate:
    full_name = vntext.clean_line(full_name)
    if not full_name:
        raise ConferenceError(_("Please enter the delegate's full name."))
    if category is not None and category.conference_id != conference.pk:
        raise ConferenceError(_("This category is not this conference's."))
    delegate = Delegate.objects.create(
        conference=conference,
        full_name=full_name[:150],
        position=vntext.clean_line(position)[:200],
        organisation=vntext.clean_line(organisation)[:255],
        category=category,
        seat=seat.strip()[:20],
    )
    events.rollup_outdated.send(sender=Conference, conference_id=conference.pk)
    return delegate
