"""`moduong import-books DIR [--csv metadata.csv]`: a folder of EPUB and PDF files into the
library.

Each file is checked like an editor's upload and imported in its own transaction: a bad file is
reported with its name and reason and leaves nothing behind. A file already in the library (the
same bytes) is skipped, so the import can be run again after fixing what failed.

The CSV (UTF-8, first row the column names) gives each file's metadata; only `file` is needed:
file, title, subtitle, authors, translators, publisher, edition, year, isbn, page_count,
language, summary, categories, topics — categories and topics separated by ";" (a category
is found by name, or made). A field left empty is taken from the file where it says.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from moduong.core import vntext

from . import selectors, services
from .models import BookCategory, BookFile

logger = logging.getLogger("moduong.library.import")
SUFFIXES = {".epub", ".pdf"}
TEXT_COLUMNS = ("subtitle", "authors", "translators", "publisher", "edition", "isbn", "summary")


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Đã nhập {len(self.created)} sách, bỏ qua {len(self.skipped)} tệp đã có,"
            f" {len(self.failures)} tệp lỗi."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "skipped": self.skipped,
            "failures": [{"file": name, "reason": reason} for name, reason in self.failures],
        }


def _read_csv(path: Path) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    rows: dict[str, dict[str, str]] = {}
    problems: list[tuple[str, str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                name = (row.get("file") or "").strip()
                if not name:
                    problems.append((f"{path.name}:{number}", "dòng không có cột file"))
                    continue
                rows[name] = {k: vntext.clean_input(v or "") for k, v in row.items() if k}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        problems.append((path.name, f"không đọc được tệp CSV: {error}"))
    return rows, problems


def _categories(names: str) -> list[BookCategory]:
    found = []
    for name in (vntext.clean_line(n) for n in names.split(";")):
        if not name:
            continue
        category = BookCategory.objects.filter(name=name).first()
        if category is None:
            category = BookCategory(name=name)
            category.full_clean()
            category.save()
        found.append(category)
    return found


def _fields(row: dict[str, str], metadata: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {name: row.get(name, "") for name in TEXT_COLUMNS}
    fields["authors"] = fields["authors"] or ", ".join(metadata.get("authors", []))
    fields["publisher"] = fields["publisher"] or metadata.get("publisher", "")
    fields["summary"] = fields["summary"] or metadata.get("description", "")
    fields["isbn"] = fields["isbn"] or metadata.get("isbn", "")
    for name in ("year", "page_count"):
        value = row.get(name, "").strip() or metadata.get(name)
        if value in (None, ""):
            fields[name] = None
            continue
        try:
            fields[name] = int(value)
        except (TypeError, ValueError) as error:
            raise ValidationError({name: f"“{value}” không phải là số"}) from error
    language = row.get("language", "").strip() or metadata.get("language", "") or "vi"
    fields["language"] = language
    return fields


def books_import(folder: Path, csv_path: Path | None = None) -> ImportResult:
    result = ImportResult()
    library = selectors.library_page()
    if library is None:
        result.failures.append((str(folder), "chưa có trang Sách điện tử để đặt sách vào"))
        return result
    rows: dict[str, dict[str, str]] = {}
    if csv_path is not None:
        rows, problems = _read_csv(csv_path)
        result.failures.extend(problems)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    names = {p.name for p in files}
    for missing in sorted(set(rows) - names):
        result.failures.append((missing, "có trong tệp CSV nhưng không có trong thư mục"))
    for path in files:
        try:
            outcome = _import_one(library, path, rows.get(path.name, {}))
        except services.Rejected as error:
            result.failures.append((path.name, str(error)))
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            reasons = "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}".lstrip(": ")
                for name, messages in found.items()
            )
            result.failures.append((path.name, reasons))
        except (OSError, DatabaseError) as error:
            logger.exception("Import of %s failed", path)
            result.failures.append((path.name, f"lỗi khi ghi: {error}"))
        else:
            (result.created if outcome == "created" else result.skipped).append(path.name)
    return result


def _import_one(library: Any, path: Path, row: dict[str, str]) -> str:
    with path.open("rb") as stream:
        size = path.stat().st_size
        try:
            inspection = services.book_file_inspect(stream=stream, size=size)
        except services.Rejected:
            if _is_duplicate(stream):
                return "skipped"
            raise
        checked, _sha = inspection
        title = vntext.clean_line(row.get("title", "") or checked.metadata.get("title", ""))
        with transaction.atomic():
            book = services.book_create(
                library=library,
                title=title or path.stem.replace("-", " ").replace("_", " "),
                categories=_categories(row.get("categories", "")),
                topics=[t for t in map(vntext.clean_line, row.get("topics", "").split(";")) if t],
                **_fields(row, checked.metadata),
            )
            services.book_file_create(
                book=book,
                stream=stream,
                size=size,
                name=path.name,
                apply_metadata=True,
                publish_changes=True,
                inspection=inspection,
            )
    return "created"


def _is_duplicate(stream: Any) -> bool:

    return BookFile.objects.filter(sha256=services.sha256_of(stream)).exists()
