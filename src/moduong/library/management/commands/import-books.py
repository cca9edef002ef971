import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from moduong.library.importing import books_import


class Command(BaseCommand):
    help = (
        "Nhập sách điện tử (EPUB, PDF) từ một thư mục, kèm tệp CSV thông tin sách nếu có"
        " (chạy lại không nhập trùng)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("folder", type=Path, help="thư mục chứa các tệp .epub và .pdf")
        parser.add_argument("--csv", type=Path, help="tệp CSV: file, title, authors, isbn, …")
        parser.add_argument("--report", type=Path, help="ghi báo cáo JSON vào tệp này")

    def handle(
        self,
        *args: object,
        folder: Path,
        csv: Path | None = None,
        report: Path | None = None,
        **options: object,
    ) -> None:
        folder = Path(folder)
        csv = Path(csv) if csv is not None else None
        report = Path(report) if report is not None else None
        if not folder.is_dir():
            raise CommandError(f"Không tìm thấy thư mục {folder}")
        if csv is not None and not csv.is_file():
            raise CommandError(f"Không tìm thấy tệp {csv}")
        result = books_import(folder, csv)
        for name, reason in result.failures:
            self.stderr.write(f"{name}: {reason}")
        self.stdout.write(result.summary())
        if report is not None:
            report.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if result.failures:
            raise SystemExit(1)
