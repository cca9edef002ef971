import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from moduong.news.importing import articles_import


class Command(BaseCommand):
    help = "Nhập bài viết từ tệp JSON Lines của cổng thông tin cũ (chạy lại để cập nhật)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path, help="tệp .jsonl, mỗi dòng một bài")
        parser.add_argument("--report", type=Path, help="ghi báo cáo JSON vào tệp này")

    def handle(
        self, *args: object, file: Path, report: Path | None = None, **options: object
    ) -> None:
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        # Bytes: each line is decoded on its own, so one badly encoded line is reported and
        # the others are still imported (a byte-order mark at the start is allowed).
        with file.open("rb") as lines:
            result = articles_import(lines)
        for line, reason in result.failures:
            self.stderr.write(f"dòng {line}: {reason}")
        self.stdout.write(result.summary())
        if report is not None:
            report.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if result.failures:
            raise SystemExit(1)
