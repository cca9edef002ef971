"""The scans of a series as an Excel workbook: every scan, and one sheet per place."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from moduong.core import vntext

from . import selectors
from .models import SeriesPage


def scans_export(*, series: SeriesPage) -> bytes:
    board = selectors.dashboard(series=series)
    book = Workbook()
    sheet = book.active
    sheet.title = "Lượt quét"
    sheet.append(["Thời gian", "Mã", "Nơi đặt", "Số bản tin", "Trình duyệt", "Người xem (ẩn danh)"])
    for scan in selectors.scan_rows(series=series).iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(scan.scanned_at).replace(tzinfo=None),
                scan.code.code,
                scan.place.name,
                scan.edition.label if scan.edition else "",
                scan.browser,
                scan.visitor[:8],
            ]
        )
    places = book.create_sheet("Theo nơi đặt")
    places.append(["Nơi đặt", "Lượt quét", "Lần quét gần nhất"])
    for place, count, last in board.per_place:
        places.append(
            [place.name, count, timezone.localtime(last).replace(tzinfo=None) if last else ""]
        )
    days = book.create_sheet("Theo ngày")
    days.append(["Ngày", "Lượt quét"])
    for day, count in board.per_day:
        days.append([day, count])
    editions = book.create_sheet("Theo số bản tin")
    editions.append(["Số bản tin", "Lượt quét"])
    for label, count in board.per_edition:
        editions.append([vntext.clean_line(label), count])
    never = book.create_sheet("Chưa có lượt quét")
    never.append(["Mã", "Nơi đặt", "Dán từ ngày"])
    for code in board.never_scanned:
        never.append([code.code, code.place.name, code.posted_on])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
