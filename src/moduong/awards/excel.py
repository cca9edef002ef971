"""The secretariat's Excel files: entries, every score, and results by the three methods."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from . import selectors
from .models import METHODS, Award, Entry, Score


def _naive(value: Any) -> Any:
    # Excel has no time zones: times are written as the office reads them.
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _book(title: str, headings: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(headings)
    for row in rows:
        sheet.append([_naive(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def entries_export(*, award: Award) -> bytes:
    statuses = dict(Entry.STATUSES)
    rows = [
        [
            e.pk,
            e.category.name,
            e.title,
            "; ".join(e.author_list),
            e.outlet,
            e.unit.name if e.unit else "",
            e.published_on,
            e.published_url,
            e.link,
            str(statuses.get(e.status, e.status)),
            e.screening_reason,
            e.reached_round,
            e.submitted_at,
        ]
        for e in award.entries.select_related("category", "unit").order_by("category", "id")
    ]
    return _book(
        "Tác phẩm",
        [
            "Số",
            "Thể loại",
            "Tên tác phẩm",
            "Tác giả",
            "Cơ quan đăng, phát",
            "Đơn vị gửi",
            "Ngày đăng, phát",
            "Địa chỉ đăng",
            "Đường dẫn",
            "Trạng thái",
            "Lý do",
            "Vòng đã vào",
            "Thời điểm gửi",
        ],
        rows,
    )


def scores_export(*, award: Award) -> bytes:
    scores = (
        Score.objects.filter(sheet__assignment__round__award=award)
        .select_related(
            "criterion",
            "sheet__assignment__round",
            "sheet__assignment__entry",
            "sheet__assignment__judge__user",
        )
        .order_by("sheet__assignment__round__number", "sheet__assignment__entry", "sheet")
    )
    rows = []
    for s in scores:
        a = s.sheet.assignment
        rows.append(
            [
                a.round.title,
                a.entry_id,
                a.entry.title,
                str(a.judge),
                s.criterion.name,
                float(s.criterion.weight),
                float(s.value),
                s.sheet.comment,
                s.sheet.submitted_at,
                "có" if s.sheet.set_aside or a.status != a.ACTIVE else "",
            ]
        )
    return _book(
        "Điểm",
        [
            "Vòng",
            "Số tác phẩm",
            "Tên tác phẩm",
            "Giám khảo",
            "Tiêu chí",
            "Trọng số",
            "Điểm",
            "Nhận xét",
            "Nộp lúc",
            "Gác lại (hồi tị)",
        ],
        rows,
    )


def results_export(*, award: Award) -> bytes:
    found = selectors.award_results(award=award)
    rows: list[list[Any]] = []
    if found is not None:
        by_method = {
            method: {r.entry: r for r in ranked} for method, ranked in found.rankings.items()
        }
        mean_rows = found.rankings["mean"]
        categories = {c.pk: c.name for c in found.categories}
        for row in sorted(mean_rows, key=lambda r: (r.category, r.rank)):
            entry = found.entries[row.entry]
            line: list[Any] = [categories.get(row.category, ""), entry.pk, entry.title]
            for method in METHODS:
                r = by_method[method][row.entry]
                line += [round(r.score, 4), r.rank, r.prize]
            line.append("có" if len({by_method[m][row.entry].prize for m in METHODS}) > 1 else "")
            rows.append(line)
    headings = ["Thể loại", "Số tác phẩm", "Tên tác phẩm"]
    for label in ("Trung bình", "Chuẩn hóa z", "Bỏ cao nhất, thấp nhất"):
        headings += [f"{label}: điểm", f"{label}: hạng", f"{label}: giải"]
    headings.append("Giải thay đổi giữa các cách tính")
    return _book("Kết quả", headings, rows)
