"""Import of articles from an old portal: one JSON object a line (JSON Lines).

Each line is validated, its HTML sanitised and its text normalised by core.vntext, then written
in its own transaction: a bad line is reported with its number and reason and changes nothing;
a good line creates the article or, if its external_id was imported before, updates it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.signals import page_published

from moduong.core import vntext
from moduong.core.services import published_content_invalidate

from .models import ArticlePage, SectionPage

logger = logging.getLogger("moduong.news.import")
MAX_BODY_BYTES = 1_000_000
MAX_IMAGE_BYTES = 20_000_000
# What the article editor keeps (RICH_TEXT_FEATURES), plus h2 and tables, which become their
# own blocks; any other tag is dropped and its text kept.
ALLOWED_TAGS = {
    *("p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "h2", "h3", "h4"),
    *("blockquote", "table", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
BLOCK_TAGS = {"h2", "h3", "h4", "table"}


FIELD_LABELS = {
    "external_id": "mã bài (external_id)",
    "title": "tiêu đề (title)",
    "section": "chuyên mục (section)",
    "lead": "sa-pô (lead)",
    "source_url": "địa chỉ bài gốc (source_url)",
}


class RowError(Exception):
    """A reason, in Vietnamese, why a line cannot be imported."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tao_moi": self.created,
            "cap_nhat": self.updated,
            "loi": [{"dong": line, "ly_do": reason} for line, reason in self.failures],
        }

    def summary(self) -> str:
        return (
            f"Đã tạo {vntext.format_number(self.created)} bài, cập nhật "
            f"{vntext.format_number(self.updated)} bài, "
            f"{vntext.format_number(len(self.failures))} dòng lỗi."
        )


def _text(row: dict[str, Any], key: str, *, required: bool = False, limit: int = 255) -> str:
    label = FIELD_LABELS.get(key, key)
    value = row.get(key) or ""
    if not isinstance(value, str):
        raise RowError(f"{label} phải là chuỗi")
    value = vntext.clean_line(value)
    if required and not value:
        raise RowError(f"thiếu {label}")
    if len(value) > limit:
        raise RowError(f"{label} dài quá {vntext.format_number(limit)} ký tự")
    return value


def _names(row: dict[str, Any], key: str) -> list[str]:
    value = row.get(key) or []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RowError(f"trường {key} phải là danh sách tên")
    return [name[:100] for name in map(vntext.clean_line, value) if name]


def _published_at(row: dict[str, Any]) -> dt.datetime:
    raw = row.get("published_at")
    if not isinstance(raw, str) or not raw:
        raise RowError("thiếu published_at")
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError as error:
        raise RowError(f"published_at không đúng dạng ISO 8601: {raw[:40]}") from error
    if moment.tzinfo is None:
        raise RowError("published_at thiếu múi giờ (ví dụ 2023-01-30T08:03:00+07:00)")
    return moment


def _source_url(row: dict[str, Any]) -> str:
    url = _text(row, "source_url", limit=500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise RowError("source_url không phải địa chỉ http(s) hợp lệ") from error
    return url


def clean_html(html: str) -> str:
    """Only harmless markup survives: no script, style, event handler, form or frame."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )
    soup = BeautifulSoup(cleaned, "html.parser")
    for node in soup.find_all(string=True):
        node.replace_with(NavigableString(vntext.normalize(str(node))))
    return str(soup)


def body_from_html(html: str) -> list[tuple[str, Any]]:
    """Headings and tables become their own blocks; the text between them, paragraphs."""
    soup = BeautifulSoup(clean_html(html), "html.parser")
    blocks: list[tuple[str, Any]] = []
    pending: list[str] = []

    def flush() -> None:
        text = "".join(pending).strip()
        if BeautifulSoup(text, "html.parser").get_text(strip=True):
            if not text.startswith("<"):
                text = f"<p>{text}</p>"
            blocks.append(("paragraph", text))
        pending.clear()

    for node in soup.contents:
        if isinstance(node, Tag) and node.name in BLOCK_TAGS:
            flush()
            if node.name == "table":
                rows = [
                    [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
                    for tr in node.find_all("tr")
                ]
                if rows:
                    width = max(len(r) for r in rows)
                    data = [r + [""] * (width - len(r)) for r in rows]
                    blocks.append(
                        (
                            "table",
                            {
                                "data": data,
                                "first_row_is_table_header": bool(node.find("th")),
                                "first_col_is_header": False,
                            },
                        )
                    )
            else:
                heading = node.get_text(" ", strip=True)
                if heading:
                    blocks.append(("heading", heading[:255]))
        else:
            pending.append(str(node))
    flush()
    return blocks


def _images(row: dict[str, Any]) -> list[tuple[Path, str]]:
    images = row.get("images") or []
    if not isinstance(images, list):
        raise RowError("trường images phải là danh sách")
    found = []
    for item in images:
        if isinstance(item, str):
            item = {"path": item}
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise RowError("mỗi ảnh cần có path")
        path = Path(item["path"])
        if not path.is_file():
            raise RowError(f"không tìm thấy tệp ảnh {item['path'][:200]}")
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise RowError(f"tệp ảnh {path.name} lớn quá 20 MB")
        caption = item.get("caption") or ""
        found.append((path, vntext.clean_line(str(caption))[:255]))
    return found


def _image(path: Path, caption: str) -> Image:
    data = path.read_bytes()
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    existing = Image.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    image = Image(title=caption or path.stem, description=caption)
    try:
        image.file = ImageFile(BytesIO(data), name=path.name)
        image.full_clean(exclude=["collection"])
        image.save()
    except (ValidationError, OSError) as error:
        raise RowError(f"tệp {path.name} không phải ảnh hợp lệ") from error
    if not image.file_hash:
        image.file_hash = digest
        image.save(update_fields=["file_hash"])
    return image


class SectionFinder:
    """A row names its section the way people do: its title as readers see it ("Tin tổng hợp",
    compared after vntext.fold), its slug ("tin-tong-hop") or its path ("tin-tuc/tin-tong-hop")."""

    def __init__(self) -> None:
        self._cache: dict[str, SectionPage] = {}
        self._sections: list[SectionPage] | None = None

    def _all(self) -> list[SectionPage]:
        if self._sections is None:
            self._sections = list(SectionPage.objects.order_by("path"))
        return self._sections

    def _path(self, section: SectionPage) -> str:
        # url_path starts with the site root's own slug: /home/tin-tuc/tin-tong-hop/
        return section.url_path.strip("/").split("/", 1)[-1]

    def _find(self, key: str) -> list[SectionPage]:
        folded = vntext.fold(vntext.normalize(key))
        for matches in (
            lambda s: self._path(s) == key,
            lambda s: s.slug == key,
            lambda s: s.url_path.strip("/").endswith("/" + key) and "/" in key,
            lambda s: vntext.fold(s.title) == folded,
        ):
            found = [s for s in self._all() if matches(s)]
            if found:
                return found
        return []

    def __call__(self, reference: str) -> SectionPage:
        key = reference.strip().strip("/")
        if key not in self._cache:
            found = self._find(key)
            if len(found) > 1:
                names = "; ".join(f"{s.title} ({self._path(s)})" for s in found)
                raise RowError(f"có nhiều chuyên mục {reference[:100]}, hãy ghi đường dẫn: {names}")
            if not found:
                names = "; ".join(f"{s.title} ({self._path(s)})" for s in self._all())
                raise RowError(
                    f"không có chuyên mục {reference[:100]}; các chuyên mục hiện có: {names}"
                )
            self._cache[key] = found[0]
        return self._cache[key]


def _lead_from(body: list[tuple[str, Any]]) -> str:
    """The first sentences of the body, for a row that has no lead."""
    for block_type, value in body:
        if block_type == "paragraph":
            words = BeautifulSoup(value, "html.parser").get_text(" ", strip=True).split()
            return " ".join(words[:40]) + ("…" if len(words) > 40 else "")
    return ""


def _unique_slug(parent: Page, title: str, own_pk: int | None) -> str:
    """The title's slug, with the first free -2, -3 … suffix among the parent's children;
    one query however many articles share a title."""
    base = vntext.slugify(title, max_length=120) or "bai-viet"
    taken = set(
        parent.get_children()
        .filter(slug__startswith=base)
        .exclude(pk=own_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def article_import_row(row: Any, *, find_section: SectionFinder) -> bool:
    """Create or update one article; True if it was created. Raises RowError."""
    if not isinstance(row, dict):
        raise RowError("mỗi dòng phải là một đối tượng JSON")
    external_id = _text(row, "external_id", required=True, limit=100)
    title = _text(row, "title", required=True)
    section = find_section(_text(row, "section", required=True))
    body_html = row.get("body_html") or ""
    if not isinstance(body_html, str):
        raise RowError("body_html phải là chuỗi")
    if len(body_html.encode()) > MAX_BODY_BYTES:
        raise RowError("body_html lớn quá 1 MB")
    published_at = _published_at(row)
    images = _images(row)
    topics = _names(row, "topics")
    body = body_from_html(body_html)
    lead = _text(row, "lead", limit=2000) or _lead_from(body)
    if not lead:
        raise RowError("thiếu sa-pô (lead) và nội dung để rút sa-pô")
    fields = {
        "title": title,
        "lead": lead,
        "date": published_at,
        "authors": ", ".join(_names(row, "authors"))[:255],
        "source_author": _text(row, "source_author", limit=200),
        "source_outlet": _text(row, "source_outlet", limit=200),
        "source_url": _source_url(row),
    }

    with transaction.atomic():
        pictures = [(_image(path, caption), caption) for path, caption in images]
        article = ArticlePage.objects.filter(external_id=external_id).first()
        created = article is None
        if article is None:
            article = ArticlePage(external_id=external_id, first_published_at=published_at)
        elif not article.live or article.has_unpublished_changes:
            raise RowError(
                "biên tập viên đã gỡ hoặc đang sửa bài này trên trang; bỏ qua để không ghi đè"
            )
        elif article.get_parent().pk != section.pk:
            slug = _unique_slug(section, article.slug, article.pk)
            if slug != article.slug:
                ArticlePage.objects.filter(pk=article.pk).update(slug=slug)
                article.slug = slug
            article.move(section, pos="last-child")
            article.refresh_from_db()
        for name, value in fields.items():
            setattr(article, name, value)
        article.image = pictures[0][0] if pictures else None
        article.body = body + [
            ("image", {"image": image, "caption": caption, "alt": caption})
            for image, caption in pictures[1:]
        ]
        article.topics.set(topics)  # cluster relations are written with the page
        if created:
            # A new article goes live as it is inserted and gets its first revision for the
            # editors; this costs one page save instead of the three of publish().
            article.slug = _unique_slug(section, title, None)
            article.live = True
            article.has_unpublished_changes = False
            article.last_published_at = timezone.now()
            section.add_child(instance=article)
            revision = article.save_revision(clean=False, log_action=False)
            ArticlePage.objects.filter(pk=article.pk).update(
                live_revision=revision, has_unpublished_changes=False
            )
            # What publish() would announce: the search index and the page cache follow an
            # imported article the way they follow an editor's publish, by this one signal.
            page_published.send(sender=ArticlePage, instance=article, revision=revision)
        else:
            article.save_revision(log_action=False).publish(log_action=False)
    return created


def articles_import(lines: Iterable[str | bytes]) -> ImportReport:
    report = ImportReport()
    seen: dict[str, int] = {}
    find_section = SectionFinder()
    for number, raw in enumerate(lines, start=1):
        try:
            if isinstance(raw, bytes):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as error:
                    raise RowError("dòng không phải văn bản UTF-8") from error
            else:
                line = raw.lstrip("\ufeff") if number == 1 else raw
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as error:
                raise RowError("không phải JSON hợp lệ") from error
            external_id = row.get("external_id") if isinstance(row, dict) else None
            if isinstance(external_id, str) and external_id in seen:
                raise RowError(
                    f"external_id {external_id[:100]} đã có ở dòng {seen[external_id]} của tệp"
                )
            created = article_import_row(row, find_section=find_section)
            if isinstance(external_id, str):
                seen[external_id] = number
        except RowError as error:
            report.failures.append((number, str(error)))
            continue
        except ValidationError as error:
            report.failures.append((number, "dữ liệu không hợp lệ: " + "; ".join(error.messages)))
            continue
        except DatabaseError as error:
            logger.warning("import line %s rejected by the database: %s", number, error)
            report.failures.append(
                (number, "cơ sở dữ liệu từ chối dòng này (dữ liệu không hợp lệ)")
            )
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    if report.created or report.updated:
        published_content_invalidate()  # listings cached before the import show its articles
    return report
