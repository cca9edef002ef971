"""`moduong training-import-learners CLASS_CODE FILE.xlsx [--report FILE]`: enrol a centre's
list in a class. Idempotent; exit code 1 if any row is wrong (then nothing is enrolled)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moduong.training import excel, services
from moduong.training.models import TrainingClass


class Command(BaseCommand):
    help = "Enrol the learners of an Excel list in a political-theory class."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("class_code")
        parser.add_argument("file", type=Path)
        parser.add_argument("--report", type=Path, help="write every row's outcome here (.xlsx)")

    def handle(self, *args: Any, **options: Any) -> None:
        training_class = TrainingClass.objects.filter(code=options["class_code"]).first()
        if training_class is None:
            raise CommandError(f"Không có lớp mã {options['class_code']}.")
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(
                f"Không đọc được tệp {options['file']}: {error.strerror}."
            ) from error
        report = services.enrolment_import(training_class=training_class, data=data)
        if options["report"]:
            options["report"].write_bytes(excel.messages_report(report.lines()))
        for line, kind, message in report.lines():
            self.stdout.write(f"Dòng {line or '–'} · {kind}: {message}")
        self.stdout.write(
            f"Học viên mới: {report.learners_created}; đã có: {report.learners_matched};"
            f" ghi danh: {report.enrolled}; đã ghi danh từ trước: {report.already_enrolled};"
            f" cần xem xét trùng: {len(report.flagged)}; lỗi: {len(report.errors)}."
        )
        if report.errors:
            raise SystemExit(1)
