"""Excel files: the question bank template (import and export) and the organisers' reports.

The bank's columns, in this order (the first row holds the headings):
Mã | Câu hỏi | Phương án A … Phương án F | Đáp án đúng (A–F) | Chủ đề | Độ khó (1–5)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import connection
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from moduong.core.spreadsheets import cell_text, headings_match

from .models import Attempt, Contest, Question, RankingEntry, Round

LETTERS = "ABCDEF"
HEADINGS = [
    "Mã",
    "Câu hỏi",
    *[f"Phương án {letter}" for letter in LETTERS],
    "Đáp án đúng",
    "Chủ đề",
    "Độ khó",
]
MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class BankRow:
    line: int
    code: str
    text: str
    options: list[str]
    correct: int
    topic: str
    difficulty: int


@dataclass
class BankFile:
    rows: list[BankRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)


def bank_read(data: bytes) -> BankFile:
    """Every row checked; each problem reported with its row number as Excel shows it."""
    result = BankFile()
    if len(data) > MAX_BYTES:
        result.errors.append((0, _("The file is larger than 10 MB.")))
        return result
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign file can raise anything: say so, show no trace
        result.errors.append(
            (0, _("This file cannot be read as Excel (.xlsx). Please use the template."))
        )
        return result
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows, ())]
    if not headings_match(header, HEADINGS):
        result.errors.append(
            (
                1,
                _("The first row must hold the template's headings: %(h)s")
                % {"h": ", ".join(HEADINGS)},
            )
        )
        return result
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            result.errors.append((number, _("At most 20.000 questions in one file.")))
            break
        cells = [cell_text(v) for v in (list(raw) + [None] * len(HEADINGS))[: len(HEADINGS)]]
        if not any(cells):
            continue
        code, text, *rest = cells
        options_raw, answer, topic, level = rest[:6], rest[6], rest[7], rest[8]
        problems = []
        if not text:
            problems.append(_("the question is empty"))
        elif len(text) > 2000:
            problems.append(_("the question is longer than 2.000 characters"))
        # Options are the filled cells from A on, with no gap.
        count = len(options_raw)
        while count and not options_raw[count - 1]:
            count -= 1
        options = options_raw[:count]
        if count < 2:
            problems.append(_("a question needs at least 2 options"))
        elif not all(options):
            problems.append(_("an option is empty between two filled ones"))
        if any(len(o) > 1000 for o in options):
            problems.append(_("an option is longer than 1.000 characters"))
        letter = answer.strip().upper()
        if letter not in LETTERS[: max(count, 0)] or len(letter) != 1:
            problems.append(
                _("the correct answer must be one of the letters %(l)s")
                % {"l": ", ".join(LETTERS[: max(count, 2)])}
            )
        difficulty = 2
        if level:
            if level.isdigit() and 1 <= int(level) <= 5:
                difficulty = int(level)
            else:
                problems.append(_("the difficulty must be a number from 1 to 5"))
        if len(topic) > 100:
            problems.append(_("the topic is longer than 100 characters"))
        if len(code) > 40:
            problems.append(_("the code is longer than 40 characters"))
        if code:
            if code in seen:
                problems.append(
                    _("the code %(c)s is also on row %(r)d") % {"c": code, "r": seen[code]}
                )
            seen.setdefault(code, number)
        if problems:
            message = "; ".join(problems)
            result.errors.append((number, message[0].upper() + message[1:] + "."))
            continue
        result.rows.append(
            BankRow(
                line=number,
                code=code,
                text=text,
                options=options,
                correct=LETTERS.index(letter),
                topic=topic,
                difficulty=difficulty,
            )
        )
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file has no question.")))
    return result


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bank_export(*, contest: Contest) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ngân hàng câu hỏi")
    sheet.append(HEADINGS)
    for question in Question.objects.filter(contest=contest).prefetch_related("options"):
        options = list(question.options.all())
        correct = next((i for i, o in enumerate(options) if o.is_correct), None)
        sheet.append(
            [
                question.code,
                question.text,
                *[o.text for o in options[:6]],
                *[""] * (6 - min(6, len(options))),
                LETTERS[correct] if correct is not None and correct < 6 else "",
                question.topic,
                question.difficulty,
            ]
        )
    return _save(book)


def bank_template() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ngân hàng câu hỏi")
    sheet.append(HEADINGS)
    sheet.append(
        [
            "LS-001",
            "Câu hỏi mẫu: điền nội dung câu hỏi ở cột này.",
            "Phương án thứ nhất",
            "Phương án thứ hai",
            "Phương án thứ ba",
            "",
            "",
            "",
            "B",
            "Lịch sử",
            2,
        ]
    )
    return _save(book)


def _stream(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of a small aggregate (one per unit): fetched in chunks."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                return
            yield from chunk


def _local(value: Any) -> Any:
    """Excel has no time zones: times are written as Vietnam's local time. (Raw rows from
    SQLite carry UTC times without a zone, PostgreSQL's carry theirs.)"""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def round_seconds(ms: Any) -> Any:
    return None if ms is None else ms / 1000


def round_share(people: int, headcount: int | None) -> float | None:
    return None if not headcount else float(f"{people * 100 / headcount:.1f}")


# --- The organisers' reports of a round -------------------------------------------------------
# Each is read through a server-side cursor (QuerySet.iterator: PostgreSQL sends CHUNK rows at
# a time) and written row by row (openpyxl's write-only workbook keeps no row in memory; CSV is
# a stream), so the worker's memory does not grow with the round's million attempts.

#: Excel's limit of rows in one sheet (the heading row included); past it, a new sheet.
EXCEL_MAX_ROWS = 1_048_576
CHUNK = 2000


def _profile(contest_id: int) -> FilteredRelation:
    """The person's profile in this contest (one per contest and person)."""
    return FilteredRelation(
        "user__contest_profiles", condition=Q(user__contest_profiles__contest_id=contest_id)
    )


def _attempts_rows(rnd: Round) -> Iterator[list[Any]]:
    rows = (
        Attempt.objects.filter(round_id=rnd.pk)
        .annotate(profile=_profile(rnd.contest_id))
        .order_by("id")
        .values_list(
            "id",
            "user__username",
            "profile__full_name",
            "profile__unit__name",
            "seq",
            "started_at",
            "submitted_at",
            "score",
            "duration_ms",
            "prediction",
            "late",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK):
        values = [_local(v) for v in row]
        values[8] = round_seconds(values[8])
        values[10] = "có" if values[10] else ""
        yield values


def _ranking_rows(rnd: Round) -> Iterator[list[Any]]:
    rows = (
        RankingEntry.objects.filter(round_id=rnd.pk)
        .annotate(profile=_profile(rnd.contest_id))
        .order_by("position")
        .values_list(
            "position",
            "attempt_id",
            "user__username",
            "profile__full_name",
            "profile__phone",
            "profile__unit__name",
            "score",
            "prediction_gap",
            "duration_ms",
            "submitted_at",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK):
        values = list(row)
        values[8] = round_seconds(values[8])
        values[9] = _local(values[9])
        yield values


def _units_rows(rnd: Round) -> Iterator[list[Any]]:
    rows = _stream(
        "SELECT un.name, un.headcount, COUNT(DISTINCT a.user_id), COUNT(*)"
        " FROM contests_attempt a"
        " JOIN contests_participantprofile p ON p.user_id = a.user_id AND p.contest_id = %s"
        " JOIN units_unit un ON un.id = p.unit_id"
        " WHERE a.round_id = %s GROUP BY un.name, un.headcount ORDER BY un.name",
        [rnd.contest_id, rnd.pk],
    )
    for name, headcount, people, attempts in rows:
        yield [name, headcount, people, round_share(people, headcount), attempts]


@dataclass(frozen=True)
class Report:
    title: str  # the sheet's name (at most 31 characters, with room for " (2)")
    headings: list[str]
    rows: Callable[[Round], Iterator[list[Any]]]
    count: Callable[[Round], int]  # how many rows, for the progress shown


REPORTS: dict[str, Report] = {
    "luot-thi": Report(
        "Lượt thi",
        [
            "Mã lượt",
            "Tài khoản",
            "Họ và tên",
            "Đơn vị",
            "Lượt thứ",
            "Bắt đầu",
            "Nộp bài",
            "Điểm",
            "Thời gian (giây)",
            "Dự đoán",
            "Nộp muộn",
        ],
        _attempts_rows,
        lambda rnd: Attempt.objects.filter(round_id=rnd.pk).count(),
    ),
    "xep-hang": Report(
        "Xếp hạng",
        [
            "Hạng",
            "Mã lượt",
            "Tài khoản",
            "Họ và tên",
            "Điện thoại",
            "Đơn vị",
            "Điểm",
            "Độ lệch dự đoán",
            "Thời gian (giây)",
            "Nộp bài",
        ],
        _ranking_rows,
        lambda rnd: RankingEntry.objects.filter(round_id=rnd.pk).count(),
    ),
    "theo-don-vi": Report(
        "Theo đơn vị",
        ["Đơn vị", "Biên chế", "Người dự thi", "Tỷ lệ (%)", "Lượt thi"],
        _units_rows,
        lambda rnd: 0,
    ),
}


def report_write(
    *,
    round: Round,
    report: str,
    format: str,
    out: BinaryIO,
    sheet_rows: int = EXCEL_MAX_ROWS,
    progress: Callable[[int], None] | None = None,
    every: int = 20000,
) -> int:
    """Write the round's `report` ("luot-thi", "xep-hang", "theo-don-vi") to the binary file
    `out` as "xlsx" or "csv"; the rows written. In Excel, a sheet holds at most `sheet_rows`
    rows with its heading: the rows go on in a new sheet ("Lượt thi (2)", …) past it.
    `progress(rows)` is told every `every` rows."""
    spec = REPORTS[report]
    rows = spec.rows(round)
    written = 0
    if format == "csv":
        # UTF-8 with a byte-order mark: Excel then opens the Vietnamese text as it is.
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(spec.headings)
        for row in rows:
            writer.writerow(["" if v is None else _csv_value(v) for v in row])
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
        text.flush()
        text.detach()
        return written
    if sheet_rows < 2:
        raise ValueError("a sheet holds its heading and at least one row")
    book = Workbook(write_only=True)
    sheet = None
    in_sheet = sheet_rows
    for row in rows:
        if in_sheet >= sheet_rows:
            number = len(book.worksheets) + 1
            sheet = book.create_sheet(spec.title if number == 1 else f"{spec.title} ({number})")
            sheet.append(spec.headings)
            in_sheet = 1
        sheet.append(row)  # type: ignore[union-attr]
        in_sheet += 1
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    if sheet is None:
        book.create_sheet(spec.title).append(spec.headings)
    book.save(out)
    return written


def statistics_export(*, round: Round) -> bytes:
    """The dashboard's statistics (the figures last computed off the hot path, or computed
    now if there are none yet): per unit, province and commune against their headcounts, and
    per question."""
    from . import selectors  # noqa: PLC0415 (selectors import nothing of this module)

    figures = selectors.dashboard(round=round) or selectors.dashboard_refresh(round=round)
    book = Workbook(write_only=True)
    computed = _local(figures["computed_at"]).replace(tzinfo=None)
    for title, rows in (
        ("Theo đơn vị", figures["units"]),
        ("Theo tỉnh", figures["provinces"]),
        ("Theo xã", figures["communes"]),
    ):
        sheet = book.create_sheet(title)
        sheet.append(
            [
                title.replace("Theo ", "").capitalize(),
                "Người dự thi",
                "Biên chế / dân số",
                "Tỷ lệ (%)",
            ]
        )
        for name, headcount, people, share in rows:
            sheet.append([name, people, headcount, None if share is None else round_1(share)])
        sheet.append(["Số liệu lúc", computed])
    sheet = book.create_sheet("Theo câu hỏi")
    sheet.append(
        [
            "Mã câu",
            "Câu hỏi",
            "Lượt trả lời",
            "Trả lời đúng",
            "Tỷ lệ đúng (%)",
            "Thời gian trung bình (giây)",
        ]
    )
    for qid, text, asked, right, share, seconds in figures["questions"]:
        sheet.append([qid, text, asked, right, round_1(share), round_1(seconds)])
    sheet.append(["Số liệu lúc", computed])
    return _save(book)


def round_1(value: float) -> float:
    return float(f"{value:.1f}")


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def report_bytes(*, round: Round, report: str, format: str = "xlsx") -> bytes:
    """A report in memory: for a small round only (tests, the demo); the dashboard's
    exports are written by the task worker to a file (services.export_job_run)."""
    out = io.BytesIO()
    report_write(round=round, report=report, format=format, out=out)
    return out.getvalue()
