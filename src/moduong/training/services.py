"""Every write of the training app."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.core.services import per_address, rate_limit_exceeded
from moduong.units.models import Unit

from . import checkin, events, excel
from .models import (
    Attendance,
    Certificate,
    DuplicateFlag,
    Enrolment,
    Learner,
    Session,
    TrainingClass,
)

logger = logging.getLogger("moduong.training")

#: A check-in this long after the session starts is marked late.
LATE_AFTER = dt.timedelta(minutes=15)

#: Public reads per client address in a minute. The verification page answers with a
#: person's name and year of birth, so guessing codes must be slow; the roll-up is the
#: heaviest query of the app and nobody needs it more than a few times a minute.
VERIFY_RATE_PER_MINUTE = 30
REPORT_RATE_PER_MINUTE = 20


def verify_rate_exceeded(*, request: HttpRequest) -> bool:
    return rate_limit_exceeded(
        request=request,
        action="training-verify",
        rate=per_address(VERIFY_RATE_PER_MINUTE, "m"),
    )


def report_rate_exceeded(*, request: HttpRequest) -> bool:
    return rate_limit_exceeded(
        request=request,
        action="training-report",
        rate=per_address(REPORT_RATE_PER_MINUTE, "m"),
    )


class TrainingError(Exception):
    """A refusal shown as it is: a sentence in Vietnamese. Nothing was changed."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    flagged: list[tuple[int, str]] = field(default_factory=list)
    learners_created: int = 0
    learners_matched: int = 0
    enrolled: int = 0
    already_enrolled: int = 0

    def lines(self) -> list[tuple[int, str, str]]:
        return sorted(
            [(n, "Lỗi", m) for n, m in self.errors]
            + [(n, "Cần xem xét", m) for n, m in self.flagged]
            + [(n, "Ghi chú", m) for n, m in self.notes],
            key=lambda line: line[0],
        )


def enrolment_import(
    *, training_class: TrainingClass, data: bytes, today: dt.date | None = None
) -> ImportReport:
    """Enrol the learners of an Excel list in a class. People are matched by identifier; a new
    record with the folded name and date of birth of another is flagged for a person to decide.
    All or nothing: a file with any wrong row changes nothing, and importing it twice enrols
    nobody twice."""
    report = ImportReport()
    parsed = excel.learners_read(data, today=today or timezone.localdate())
    report.errors.extend(parsed.errors)
    units = {vntext.fold(u.name): u for u in Unit.objects.all()}
    rows: list[excel.LearnerRow] = []
    first_line: dict[str, excel.LearnerRow] = {}
    for row in parsed.rows:
        if row.unit_name and vntext.fold(row.unit_name) not in units:
            report.errors.append(
                (row.line, _("The unit %(u)s is not in the list of units.") % {"u": row.unit_name})
            )
            continue
        earlier = first_line.get(row.identifier)
        if earlier is not None:
            if vntext.fold(earlier.full_name) != vntext.fold(row.full_name):
                report.errors.append(
                    (
                        row.line,
                        _("The identifier is also on row %(r)d, with another name (%(n)s).")
                        % {"r": earlier.line, "n": earlier.full_name},
                    )
                )
            else:
                report.notes.append(
                    (
                        row.line,
                        _("The same person as row %(r)d: enrolled once.") % {"r": earlier.line},
                    )
                )
            continue
        first_line[row.identifier] = row
        rows.append(row)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _enrol(training_class=training_class, rows=rows, units=units, report=report)
    except TrainingError as error:
        report.errors.append((0, error.message))
        report.learners_created = report.enrolled = report.learners_matched = 0
        report.flagged.clear()
    return report


def _enrol(
    *,
    training_class: TrainingClass,
    rows: list[excel.LearnerRow],
    units: Mapping[str, Unit],
    report: ImportReport,
) -> None:
    TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()
    existing = {
        learner.identifier: learner
        for learner in Learner.objects.filter(identifier__in=[r.identifier for r in rows])
    }
    new = [r for r in rows if r.identifier not in existing]
    for row in rows:
        learner = existing.get(row.identifier)
        if learner is not None and learner.name_key != vntext.fold(row.full_name):
            report.notes.append(
                (
                    row.line,
                    _("The identifier belongs to %(n)s already; that record is used.")
                    % {"n": learner.full_name},
                )
            )
    created = Learner.objects.bulk_create(
        [
            Learner(
                full_name=r.full_name,
                name_key=vntext.fold(r.full_name),
                date_of_birth=r.date_of_birth,
                identifier=r.identifier,
                unit=units.get(vntext.fold(r.unit_name)) if r.unit_name else None,
            )
            for r in new
        ]
    )
    if not created or created[0].pk is None:  # backends that return no keys
        created = list(Learner.objects.filter(identifier__in=[r.identifier for r in new]))
    by_identifier = {**existing, **{learner.identifier: learner for learner in created}}
    report.learners_created = len(new)
    report.learners_matched = len(rows) - len(new)
    _flag_near_duplicates(
        rows={r.identifier: r for r in new}, by_identifier=by_identifier, report=report
    )
    enrolled = set(
        Enrolment.objects.filter(
            training_class=training_class, learner__identifier__in=by_identifier
        ).values_list("learner__identifier", flat=True)
    )
    to_enrol = [r for r in rows if r.identifier not in enrolled]
    report.already_enrolled = len(rows) - len(to_enrol)
    for row in rows:
        if row.identifier in enrolled:
            report.notes.append((row.line, _("Already enrolled in this class.")))
    total = Enrolment.objects.filter(training_class=training_class).count() + len(to_enrol)
    if total > training_class.capacity:
        raise TrainingError(
            _("The class holds %(c)d learners; this file would make it %(n)d.")
            % {"c": training_class.capacity, "n": total}
        )
    Enrolment.objects.bulk_create(
        [
            Enrolment(training_class=training_class, learner=by_identifier[r.identifier])
            for r in to_enrol
        ]
    )
    report.enrolled = len(to_enrol)
    events.rollup_outdated.send(sender=Enrolment)


def _flag_near_duplicates(
    *,
    rows: Mapping[str, excel.LearnerRow],
    by_identifier: Mapping[str, Learner],
    report: ImportReport,
) -> None:
    keys = {vntext.fold(r.full_name) for r in rows.values()}
    if not keys:
        return
    candidates: dict[tuple[str, dt.date], list[Learner]] = {}
    for learner in Learner.objects.filter(name_key__in=keys):
        candidates.setdefault((learner.name_key, learner.date_of_birth), []).append(learner)
    flags = []
    for identifier, row in rows.items():
        learner = by_identifier[identifier]
        for other in candidates.get((learner.name_key, learner.date_of_birth), []):
            if other.pk == learner.pk or (other.identifier in rows and other.pk > learner.pk):
                continue
            flags.append(DuplicateFlag(learner=learner, existing=other))
            report.flagged.append(
                (
                    row.line,
                    _(
                        "%(n)s, born %(d)s, may be the same person as the record with"
                        " identifier %(i)s: a person will decide."
                    )
                    % {
                        "n": row.full_name,
                        "d": vntext.format_date(row.date_of_birth),
                        "i": other.identifier_masked,
                    },
                )
            )
    DuplicateFlag.objects.bulk_create(flags, ignore_conflicts=True)


def _enrolment_merge(*, drop: Enrolment, keep: Enrolment) -> None:
    """One person enrolled twice in a class under two records: what the record that goes
    holds (marks, scores, a certificate already printed) must not go with it."""
    marked = set(keep.attendances.values_list("session_id", flat=True))
    drop.attendances.exclude(session_id__in=marked).update(enrolment=keep)
    if keep.exam_score is None and drop.exam_score is not None:
        keep.exam_score = drop.exam_score
    if keep.assignment_mark is None and drop.assignment_mark is not None:
        keep.assignment_mark = drop.assignment_mark
    keep.save(update_fields=["exam_score", "assignment_mark"])
    if not Certificate.objects.filter(enrolment=keep).exists():
        Certificate.objects.filter(enrolment=drop).update(enrolment=keep)
    class_results_compute(training_class=keep.training_class)


@transaction.atomic
def duplicate_decide(*, flag: DuplicateFlag, same: bool, by: User) -> None:
    """Different people: the flag is closed. The same person: the new record's classes and
    marks move to the existing one and the new record goes."""
    flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.decision != DuplicateFlag.Decision.PENDING:
        raise TrainingError(_("This has been decided already."))
    if same:
        keep, drop = flag.existing, flag.learner
        taken = set(keep.enrolments.values_list("training_class_id", flat=True))
        Enrolment.objects.filter(learner=drop).exclude(training_class_id__in=taken).update(
            learner=keep
        )
        for shared in Enrolment.objects.filter(learner=drop).select_related("training_class"):
            _enrolment_merge(
                drop=shared, keep=keep.enrolments.get(training_class_id=shared.training_class_id)
            )
        if keep.account_id is None and drop.account_id is not None:
            account = drop.account
            drop.account = None
            drop.save(update_fields=["account"])
            keep.account = account
            keep.save(update_fields=["account"])
        flag.decision = DuplicateFlag.Decision.SAME
        flag.decided_by = by
        flag.save(update_fields=["decision", "decided_by"])
        DuplicateFlag.objects.filter(learner=drop).exclude(pk=flag.pk).delete()
        # The flag names the record that goes: keep the decision, point it at the kept one.
        DuplicateFlag.objects.filter(pk=flag.pk).update(learner=keep)
        drop.delete()
        events.rollup_outdated.send(sender=Learner)
        logger.info("training: learner %s merged into %s", drop.pk, keep.pk)
    else:
        flag.decision = DuplicateFlag.Decision.DIFFERENT
        flag.decided_by = by
        flag.save(update_fields=["decision", "decided_by"])


def _marked(
    *, session: Session, marks: Mapping[int, str], by: User | None, method: str, now: dt.datetime
) -> list[Attendance]:
    return [
        Attendance(
            session=session,
            enrolment_id=enrolment_id,
            status=status,
            method=method,
            marked_by=by,
            marked_at=now,
        )
        for enrolment_id, status in marks.items()
    ]


def attendance_mark(
    *, session: Session, marks: Mapping[int, str], by: User, now: dt.datetime | None = None
) -> int:
    """A teacher's marks for a session ({enrolment id: status}). Two devices marking the same
    learner at once: one INSERT … ON CONFLICT DO UPDATE per batch, so the later mark wins and
    nothing fails or doubles."""
    now = now or timezone.now()
    if now < session.starts_at:
        raise TrainingError(_("This session has not started yet: attendance cannot be marked."))
    valid = set(Attendance.Status.values)
    if any(status not in valid for status in marks.values()):
        raise TrainingError(_("A mark must be present, late, excused or absent."))
    enrolled = set(
        Enrolment.objects.filter(
            training_class_id=session.training_class_id, pk__in=list(marks)
        ).values_list("pk", flat=True)
    )
    if enrolled != set(marks):
        raise TrainingError(_("A learner marked is not enrolled in this class."))
    Attendance.objects.bulk_create(
        _marked(session=session, marks=marks, by=by, method=Attendance.Method.TEACHER, now=now),
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["status", "method", "marked_by", "marked_at"],
    )
    return len(marks)


_CHECKIN_PG = (
    # PostgreSQL: ONE statement finds the learner's enrolment in the session's class, writes
    # the mark if the session is under way (a teacher's mark or an earlier scan wins: ON
    # CONFLICT DO NOTHING) and says what it found, so a refusal costs no second query.
    "WITH target AS ("
    " SELECT s.id AS session_id, e.id AS enrolment_id, s.starts_at, s.ends_at"
    " FROM training_session s"
    " JOIN training_enrolment e ON e.training_class_id = s.training_class_id"
    " JOIN training_learner l ON l.id = e.learner_id"
    " JOIN accounts_user u ON u.id = l.account_id AND u.is_active"
    " WHERE s.id = %s AND l.account_id = %s"
    "), written AS ("
    " INSERT INTO training_attendance"
    " (session_id, enrolment_id, status, method, marked_by_id, marked_at)"
    " SELECT session_id, enrolment_id,"
    " CASE WHEN starts_at < %s THEN 'late' ELSE 'present' END, 'qr', %s, %s"
    " FROM target WHERE starts_at <= %s AND ends_at >= %s"
    " ON CONFLICT (session_id, enrolment_id) DO NOTHING RETURNING 1"
    ") SELECT (SELECT count(*) FROM written), starts_at, ends_at FROM target"
)
_CHECKIN_PORTABLE = (
    "INSERT INTO training_attendance"
    " (session_id, enrolment_id, status, method, marked_by_id, marked_at)"
    " SELECT s.id, e.id, CASE WHEN s.starts_at < %s THEN 'late' ELSE 'present' END,"
    " 'qr', %s, %s"
    " FROM training_session s"
    " JOIN training_enrolment e ON e.training_class_id = s.training_class_id"
    " JOIN training_learner l ON l.id = e.learner_id"
    " JOIN accounts_user u ON u.id = l.account_id AND u.is_active"
    " WHERE s.id = %s AND l.account_id = %s AND s.starts_at <= %s AND s.ends_at >= %s"
    " ON CONFLICT (session_id, enrolment_id) DO NOTHING"
)


def _checkin_write(
    *, session_id: int, account_id: int, now: dt.datetime
) -> tuple[bool, tuple[dt.datetime, dt.datetime] | None]:
    """(written, the session's hours if the account is enrolled in its class)."""
    at = connection.ops.adapt_datetimefield_value(now)
    late = connection.ops.adapt_datetimefield_value(now - LATE_AFTER)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_CHECKIN_PG, [session_id, account_id, late, account_id, at, at, at])
            found = cursor.fetchone()
            if found is None:
                return False, None
            return found[0] == 1, (found[1], found[2])
        # SQLite has no INSERT in a WITH: the write first, and only when it writes nothing
        # a SELECT to say why.
        cursor.execute(_CHECKIN_PORTABLE, [late, account_id, at, session_id, account_id, at, at])
        if cursor.rowcount == 1:
            return True, None
    row = (
        Session.objects.filter(
            pk=session_id,
            training_class__enrolments__learner__account_id=account_id,
            training_class__enrolments__learner__account__is_active=True,
        )
        .order_by()
        .values_list("starts_at", "ends_at")
        .first()
    )
    return False, row


def attendance_checkin(
    *,
    code: str,
    user: User | None = None,
    account_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """A learner's own check-in with the code on the classroom's screen, by the account (or
    its id, from a check-in ticket); the session's id. A teacher's mark is never overwritten
    by a scan; a second scan changes nothing. One statement on PostgreSQL, whatever the
    outcome."""
    now = now or timezone.now()
    account_id = user.pk if user is not None else account_id
    read = checkin.checkin_code_read(code.strip())
    if read is None or account_id is None:
        raise TrainingError(_("This check-in code is not valid."), code="forged")
    session_id, window = read
    if not 0 <= checkin.window_of(now) - window <= 1:
        raise TrainingError(
            _("This code has expired: scan the code on the screen again."), code="expired"
        )
    written, hours = _checkin_write(session_id=session_id, account_id=account_id, now=now)
    if written:
        return session_id
    if hours is None:
        raise TrainingError(
            _("Your account is not enrolled in the class of this session."), code="not_enrolled"
        )
    if not hours[0] <= now <= hours[1]:
        raise TrainingError(_("Check-in is open only during the session."), code="closed")
    return session_id  # checked in already: a second scan changes nothing


def _completed(enrolment: Enrolment, share: int) -> bool:
    programme = enrolment.training_class.programme
    if share < programme.min_attendance_percent:
        return False
    if enrolment.exam_score is None or enrolment.exam_score < programme.pass_mark:
        return False
    assignment = enrolment.assignment_mark
    return not programme.assignment_required or (
        assignment is not None and assignment >= programme.pass_mark
    )


@transaction.atomic
def class_results_compute(*, training_class: TrainingClass) -> int:
    """Attendance share and completion of every learner of the class, from its programme's
    rules: present or late in at least the minimum share of the class's sessions, the exam at
    the pass mark, and the assignment too where the programme asks for one."""
    sessions = training_class.sessions.count()
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class)
        .select_related("training_class__programme")
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status__in=["present", "late"]))
        )
    )
    completions_changed = False
    for enrolment in enrolments:
        share = round(enrolment.attended * 100 / sessions) if sessions else 0  # type: ignore[attr-defined]
        enrolment.attendance_percent = share
        completed = _completed(enrolment, share)
        completions_changed |= completed != enrolment.completed
        enrolment.completed = completed
    Enrolment.objects.bulk_update(enrolments, ["attendance_percent", "completed"])
    if completions_changed:  # the roll-up counts completions, not attendance shares
        events.rollup_outdated.send(sender=Enrolment)
    return sum(e.completed for e in enrolments)


@transaction.atomic
def enrolment_results_record(
    *, enrolment: Enrolment, exam_score: Decimal | None, assignment_mark: Decimal | None
) -> Enrolment:
    for value in (exam_score, assignment_mark):
        if value is not None and not Decimal(0) <= value <= Decimal(10):
            raise TrainingError(_("A score is between 0 and 10."))
    enrolment.exam_score = exam_score
    enrolment.assignment_mark = assignment_mark
    enrolment.save(update_fields=["exam_score", "assignment_mark"])
    class_results_compute(training_class=enrolment.training_class)
    enrolment.refresh_from_db()
    return enrolment


def certificates_issue(*, training_class: TrainingClass, now: dt.datetime | None = None) -> int:
    """A numbered certificate with a verification code for every completion that has none.
    Numbers run across the whole office; two issuers at once settle on the unique key."""
    now = now or timezone.now()
    class_results_compute(training_class=training_class)
    issued = 0
    for enrolment in Enrolment.objects.filter(
        training_class=training_class, completed=True, certificate__isnull=True
    ):
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    number = (Certificate.objects.aggregate(n=Max("number"))["n"] or 0) + 1
                    Certificate.objects.create(
                        enrolment=enrolment,
                        number=number,
                        code=secrets.token_hex(5).upper(),
                        issued_at=now,
                    )
                issued += 1
                break
            except IntegrityError:
                continue
    return issued


@transaction.atomic
def learner_account_link(*, learner: Learner, user: User | None) -> Learner:
    learner.account = user
    learner.save(update_fields=["account"])
    return learner
