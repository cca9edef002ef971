"""`moduong training-report [--from DATE] [--to DATE] [--json]`: the city's roll-up: the
totals (each person once) and a row per class with its code."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moduong.core import vntext
from moduong.training import selectors


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ngày {value!r} không hợp lệ: viết theo dạng 2026-01-31.") from error


class Command(BaseCommand):
    help = "The roll-up of political-theory classes: totals and a row per class."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", help="last day (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        date_from = _date(options["date_from"]) if options["date_from"] else None
        date_to = _date(options["date_to"]) if options["date_to"] else None
        if date_from and date_to and date_to < date_from:
            raise CommandError("Ngày cuối trước ngày đầu.")
        report = selectors.rollup(date_from=date_from, date_to=date_to)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "period": report["period"],
                        "totals": report["totals"],
                        "classes": report["classes"],
                    },
                    ensure_ascii=False,
                    default=str,
                    indent=2,
                )
            )
            return
        totals = report["totals"]
        number = vntext.format_number
        self.stdout.write(f"Kỳ báo cáo: {report['period']}")
        self.stdout.write(
            f"Số lớp: {number(totals['classes'])}; lượt học viên: {number(totals['enrolments'])};"
            f" số học viên (mỗi người một lần): {number(totals['learners'])};"
            f" hoàn thành: {number(totals['completions'])}"
        )
        for row in report["classes"]:
            self.stdout.write(
                f"{row['code']}\t{row['name']}\t{row['centre']}\t"
                f"{vntext.format_date(row['starts_on'])}\t{row['enrolments']}\t{row['completions']}"
            )
