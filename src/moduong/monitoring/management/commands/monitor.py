"""moduong monitor add-source URL [--name NAME] [--outlet OUTLET] [--html]
moduong monitor add-rule NAME "EXPRESSION"
moduong monitor fetch            one pass over the due sources (and the spike check), then exits
moduong monitor digest           the digest e-mails of the rules whose period has passed
moduong monitor mentions [--rule NAME] [--since DATE] [--json]"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from moduong.core import vntext
from moduong.monitoring import selectors, services
from moduong.monitoring.models import KIND_FEED, KIND_HTML


class Command(BaseCommand):
    help = "Theo dõi thông tin trên mạng: nguồn, quy tắc, lấy tin, các lần nhắc đến."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        source = verbs.add_parser("add-source")
        source.add_argument("url")
        source.add_argument("--name", default="")
        source.add_argument("--outlet", default="")
        source.add_argument("--html", action="store_true", help="an HTML listing page")
        rule = verbs.add_parser("add-rule")
        rule.add_argument("name")
        rule.add_argument("expression")
        fetch = verbs.add_parser("fetch")
        fetch.add_argument("--all", action="store_true", help="every source, due or not")
        verbs.add_parser("digest")
        mentions = verbs.add_parser("mentions")
        mentions.add_argument("--rule", default="")
        mentions.add_argument("--since", default="")
        mentions.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["verb"].replace("-", "_"))(options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _add_source(self, options: dict[str, Any]) -> None:
        source = services.source_add(
            url=options["url"],
            name=options["name"],
            outlet=options["outlet"],
            kind=KIND_HTML if options["html"] else KIND_FEED,
        )
        self.stdout.write(f"Đã thêm nguồn #{source.pk}: {source.name}")

    def _add_rule(self, options: dict[str, Any]) -> None:
        rule = services.rule_add(name=options["name"], expression=options["expression"])
        self.stdout.write(f"Đã thêm quy tắc #{rule.pk}: {rule.name}")

    def _fetch(self, options: dict[str, Any]) -> None:
        summary = services.sources_fetch(all_sources=options["all"])
        self.stdout.write(
            f"Đã lấy {summary.fetched} nguồn, {summary.unchanged} không đổi, "
            f"{summary.failed} lỗi; {summary.new_items} tin mới."
        )
        for name, error in summary.errors.items():
            self.stdout.write(f"  Lỗi — {name}: {error}")
        for name in summary.spikes:
            self.stdout.write(
                f"  Đột biến — quy tắc “{name}”: đã ghi cảnh báo, thư báo đã xếp hàng gửi."
            )

    def _digest(self, options: dict[str, Any]) -> None:
        sent = services.mentions_digest_send()
        self.stdout.write(f"Đã gửi {sent} thư tổng hợp.")

    def _mentions(self, options: dict[str, Any]) -> None:
        since = None
        if options["since"]:
            try:
                day = dt.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("Ngày không hợp lệ: hãy viết theo dạng 2026-12-31.") from exc
            since = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        if options["rule"] and selectors.rule_by_name(name=options["rule"]) is None:
            raise CommandError(f"Không có quy tắc “{options['rule']}”.")
        rows = [
            selectors.mention_as_dict(m)
            for m in selectors.mentions_list(rule_name=options["rule"], since=since)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            when = vntext.format_datetime(
                dt.datetime.fromisoformat(row["published"]), weekday=False
            )
            self.stdout.write(
                f"[{row['rule']}] {row['title']} — {row['outlet']}, {when} (cụm {row['cluster']})\n"
                f"  {row['url']}\n  {row['snippet']}"
            )
        if not rows:
            self.stdout.write("Chưa có lần nhắc đến nào.")
