"""`moduong import-books DIR --csv`: a folder of e-books into the library, idempotent, with a
report of what failed and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from moduong.library.models import BookFile, BookPage

from .helpers import epub, pdf, pdf_with_javascript, with_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    books = tmp_path / "sach"
    books.mkdir()
    (books / "lang-ven-song.epub").write_bytes(epub("Chuyện làng ven sông"))
    (books / "cho-que.epub").write_bytes(epub("Chợ quê ngày cũ", authors=("Lò Văn Pản",)))
    (books / "tai-lieu.pdf").write_bytes(pdf("Tài liệu sinh hoạt", ["Nội dung."]))
    (books / "co-ma.pdf").write_bytes(pdf_with_javascript())
    (books / "xau.epub").write_bytes(with_entry(epub("Xấu"), "../ngoai.txt", "x"))
    (books / "ghi-chu.txt").write_text("không phải sách")
    (tmp_path / "sach.csv").write_text(
        "file,title,authors,year,isbn,categories,topics\n"
        "tai-lieu.pdf,Tài liệu sinh hoạt chi bộ quý I,Ban biên soạn,2026,,Xây dựng Đảng,Chi bộ\n"
        "cho-que.epub,,,2022,978-604-0-00001-8,Lịch sử;Văn hóa làng,\n"
        "lang-ven-song.epub,,,1999,,Văn học,Làng quê\n"
        "khong-co.epub,Không có,,,,,\n",
        encoding="utf-8",
    )
    return books


def test_import_books_reports_failures_and_is_idempotent(folder, site, capsys) -> None:  # type: ignore[no-untyped-def]
    report = folder.parent / "bao-cao.json"
    with pytest.raises(SystemExit) as exit_code:
        call_command(
            "import-books", str(folder), csv=str(folder.parent / "sach.csv"), report=str(report)
        )
    assert exit_code.value.code == 1
    result = json.loads(report.read_text())
    assert sorted(result["created"]) == ["lang-ven-song.epub", "tai-lieu.pdf"]
    reasons = {f["file"]: f["reason"] for f in result["failures"]}
    assert set(reasons) == {"cho-que.epub", "co-ma.pdf", "xau.epub", "khong-co.epub"}
    assert "isbn" in reasons["cho-que.epub"]  # the wrong check digit from the CSV
    assert "JavaScript" in reasons["co-ma.pdf"]
    assert reasons.get("xau.epub")
    # What failed left nothing behind.
    assert not BookPage.objects.filter(title__in=["Chợ quê ngày cũ", "Xấu"]).exists()

    pdf_book = BookPage.objects.get(title="Tài liệu sinh hoạt chi bộ quý I")
    assert pdf_book.live and pdf_book.year == 2026 and pdf_book.authors == "Ban biên soạn"
    assert [c.name for c in pdf_book.categories.all()] == ["Xây dựng Đảng"]
    assert [t.name for t in pdf_book.topics.all()] == ["Chi bộ"]
    epub_book = BookPage.objects.get(title="Chuyện làng ven sông")
    assert epub_book.authors == "Phan Thị Lụa" and epub_book.cover is not None  # from the file
    assert epub_book.files.get().kind == "epub"

    # Run again: nothing is imported twice.
    files_before = BookFile.objects.count()
    with pytest.raises(SystemExit):
        call_command(
            "import-books", str(folder), csv=str(folder.parent / "sach.csv"), report=str(report)
        )
    again = json.loads(report.read_text())
    assert again["created"] == [] and sorted(again["skipped"]) == [
        "lang-ven-song.epub",
        "tai-lieu.pdf",
    ]
    assert BookFile.objects.count() == files_before
    assert "Đã nhập 0 sách" in capsys.readouterr().out


def test_a_clean_folder_imports_without_a_csv(tmp_path, site) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "mot.epub").write_bytes(epub("Một cuốn sách sạch"))
    call_command("import-books", str(tmp_path))
    assert BookPage.objects.get(title="Một cuốn sách sạch").live


def test_a_missing_folder_is_a_clear_error(tmp_path, site) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy thư mục"):
        call_command("import-books", str(tmp_path / "khong-co"))
