from pathlib import Path
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from moduong.conferences.excel import errors_export
from moduong.conferences.models import Conference
from moduong.conferences.services import conference_points_import


class Command(BaseCommand):
    help = (
        "Nhập các điểm cầu của một hội nghị từ tệp Excel (.xlsx) theo mẫu. Tệp có dòng sai thì"
        " không nhập gì và liệt kê từng dòng sai; nhập lại cùng một tệp không tạo điểm cầu trùng"
        " (theo mã điểm cầu)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="địa chỉ (slug) của hội nghị")
        parser.add_argument("file", help="tệp .xlsx")
        parser.add_argument("--report", help="ghi danh sách dòng sai vào tệp .xlsx này")

    def handle(self, *args: Any, **options: Any) -> None:
        conference = Conference.objects.filter(slug=options["slug"]).first()
        if conference is None:
            raise CommandError(f"Không có hội nghị nào có địa chỉ “{options['slug']}”.")
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(
                f"Không đọc được tệp {options['file']}: {error.strerror}."
            ) from error
        result = conference_points_import(conference=conference, data=data)
        if options.get("report"):
            Path(options["report"]).write_bytes(errors_export(result.errors))
        if result.errors:
            for line, message in result.errors:
                self.stderr.write(f"Dòng {line}: {message}" if line else message)
            raise CommandError(f"Không nhập điểm cầu nào: {len(result.errors)} dòng cần sửa.")
        self.stdout.write(
            f"Đã nhập {result.created} điểm cầu mới, cập nhật {result.updated} điểm cầu."
        )
