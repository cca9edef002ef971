"""EPUB: a zip of XHTML, read entry by entry within the limits, never unpacked whole."""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from typing import IO, Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element  # types only; parsing is defusedxml's

import nh3
from defusedxml import ElementTree as SafeET
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .. import isbn as isbn_rules
from .limits import (
    MAX_COVER_BYTES,
    MAX_ENTRIES,
    MAX_HEADING_BYTES,
    MAX_RATIO,
    MAX_TEXT_CHARS,
    MAX_XML_BYTES,
    MB,
    Inspection,
    Rejected,
    max_chapter_bytes,
    max_unpacked_bytes,
)

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
CHAPTER_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}


# --- EPUB -----------------------------------------------------------------------------------


def _outside(name: str) -> bool:
    """A path that would leave the book's folder, or start from the disk's root."""
    if not name or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def resolve(base: str, href: str) -> str | None:
    """The path inside the zip of `href` as written in the file at `base`; None when it points
    outside the book or to another site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


class Epub:
    """An opened EPUB whose entries are read with the zip-bomb limits."""

    def __init__(self, stream: IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise Rejected(
                _("The file is not a valid zip archive, so it is not an EPUB.")
            ) from error
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Rejected(_("The EPUB holds too many files (over %(n)d).") % {"n": MAX_ENTRIES})
        declared = 0
        for info in infos:
            if _outside(info.filename):
                raise Rejected(
                    _(
                        "The EPUB contains a path that leaves the book's folder (%(name)s): "
                        "such a file could overwrite other files, so it is refused."
                    )
                    % {"name": info.filename[:120]}
                )
            declared += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MB and ratio > MAX_RATIO:
                raise Rejected(self._bomb_message())
        if declared > max_unpacked_bytes():
            raise Rejected(self._bomb_message())
        self.names = {info.filename for info in infos}
        self._infos = {info.filename: info for info in infos}

    @staticmethod
    def _bomb_message() -> str:
        return _(
            "The EPUB unpacks to far more data than a book holds (a 'zip bomb'): it is refused."
        )

    def read(self, name: str, limit: int) -> bytes:
        """An entry's content, never more than `limit` bytes nor more than it declares."""
        info = self._infos.get(name)
        if info is None:
            raise KeyError(name)
        if info.file_size > limit:
            raise Rejected(
                _("The file %(name)s inside the EPUB is too large.") % {"name": name[:120]}
            )
        out = io.BytesIO()
        try:
            with self.zip.open(info) as entry:
                while chunk := entry.read(64 * 1024):
                    out.write(chunk)
                    if out.tell() > info.file_size or out.tell() > limit:
                        raise Rejected(self._bomb_message())
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            raise Rejected(
                _("The file %(name)s inside the EPUB is damaged.") % {"name": name[:120]}
            ) from error
        return out.getvalue()

    def head(self, name: str, limit: int) -> bytes:
        """The first `limit` bytes of an entry (at most), for a quick look."""
        info = self._infos[name]
        try:
            with self.zip.open(info) as entry:
                return entry.read(min(limit, info.file_size))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            raise Rejected(
                _("The file %(name)s inside the EPUB is damaged.") % {"name": name[:120]}
            ) from error

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    def xml(self, name: str) -> Element:
        try:
            return SafeET.fromstring(self.read(name, MAX_XML_BYTES))
        except KeyError as error:
            raise Rejected(
                _("The EPUB lacks %(name)s, which it refers to.") % {"name": name[:120]}
            ) from error
        except Rejected:
            raise
        except Exception as error:  # defusedxml's refusals, ParseError
            raise Rejected(
                _("%(name)s in the EPUB is not well-formed XML.") % {"name": name[:120]}
            ) from error


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def inspect_epub(stream: IO[bytes]) -> Inspection:
    book = Epub(stream)
    if "META-INF/container.xml" not in book.names:
        raise Rejected(
            _(
                "This zip is not an EPUB: it has no META-INF/container.xml (the file that says "
                "where the book's package document is)."
            )
        )
    notes: list[str] = []
    if "mimetype" in book.names:
        if book.read("mimetype", 100).strip() != b"application/epub+zip":
            notes.append(_("The mimetype file does not say application/epub+zip."))
    else:
        notes.append(_("The EPUB has no mimetype file."))
    container = book.xml("META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", NS)
    opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf_path or _outside(opf_path):
        raise Rejected(_("container.xml does not name the book's package document (.opf)."))
    if opf_path not in book.names:
        raise Rejected(
            _("The package document %(name)s named in container.xml is missing.")
            % {"name": opf_path[:120]}
        )
    opf = book.xml(opf_path)
    if opf.tag != f"{{{NS['opf']}}}package":
        raise Rejected(_("The package document is not an OPF package."))
    version = opf.get("version", "")
    manifest: dict[str, dict[str, str]] = {}
    for item in opf.findall("opf:manifest/opf:item", NS):
        href = item.get("href", "")
        path = resolve(opf_path, href)
        manifest[item.get("id", "")] = {
            "path": path or "",
            "href": href,
            "type": item.get("media-type", ""),
            "properties": item.get("properties", ""),
        }
    spine = opf.find("opf:spine", NS)
    if spine is None:
        raise Rejected(_("The package document has no spine (the reading order)."))
    chapters: list[dict[str, str]] = []
    for itemref in spine.findall("opf:itemref", NS):
        entry = manifest.get(itemref.get("idref", ""))
        if entry is None:
            raise Rejected(_("The spine refers to a chapter that the manifest does not list."))
        if not entry["path"]:
            raise Rejected(
                _("The chapter %(href)s points outside the book.") % {"href": entry["href"][:120]}
            )
        if entry["path"] not in book.names:
            raise Rejected(
                _("The chapter %(name)s listed in the spine is missing from the file.")
                % {"name": entry["path"][:120]}
            )
        if entry["type"] not in CHAPTER_TYPES:
            continue
        chapters.append({"path": entry["path"], "title": ""})
    if not chapters:
        raise Rejected(_("The spine lists no chapter to read."))

    metadata = _opf_metadata(opf)
    toc = _toc(book, manifest, spine, chapters)
    titles = {entry["path"]: entry["title"] for entry in reversed(toc) if entry.get("title")}
    images = {
        item["path"]: item["type"]
        for item in manifest.values()
        if item["path"] and item["type"] in IMAGE_TYPES and item["path"] in book.names
    }

    unpacked = sum(book.size(chapter["path"]) for chapter in chapters)
    if unpacked > max_chapter_bytes():
        raise Rejected(
            _(
                "The chapters of this EPUB unpack to %(size)s of text; a book accepted has at"
                " most %(limit)s. Please check the file (a book this large is usually split into"
                " volumes)."
            )
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(max_chapter_bytes())}
        )
    for number, chapter in enumerate(chapters, start=1):
        raw = book.head(chapter["path"], MAX_HEADING_BYTES).decode("utf-8", errors="replace")
        chapter["title"] = (
            titles.get(chapter["path"]) or _first_heading(raw) or _("Part %(n)d") % {"n": number}
        )

    cover, cover_name = _cover(book, opf, manifest)
    return Inspection(
        kind="epub",
        structure={
            "version": version,
            "opf": opf_path,
            "chapters": chapters,
            "toc": toc,
            "images": images,
        },
        metadata=metadata,
        notes=notes,
        cover=cover,
        cover_name=cover_name,
    )


def epub_text(stream: IO[bytes], chapters: list[dict[str, str]]) -> tuple[str, list[str]]:
    """The text of a stored EPUB's chapters for search, and what the editor should know about
    their content: the slow part of reading a book, run by a background task."""
    book = Epub(stream)
    texts: list[str] = []
    total = 0
    external = 0
    active = 0
    for chapter in chapters:
        if chapter["path"] not in book.names:
            continue
        raw = book.read(chapter["path"], 32 * MB).decode("utf-8", errors="replace")
        external += len(
            re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", raw, re.IGNORECASE)
        )
        external += len(re.findall(r"url\(\s*['\"]?\s*(?:https?:)?//", raw, re.IGNORECASE))
        active += len(
            re.findall(r"<\s*(?:script|iframe|form|object|embed)\b|\son\w+\s*=", raw, re.I)
        )
        if total < MAX_TEXT_CHARS:
            text = plain_text(raw)
            if text:
                texts.append(text[: MAX_TEXT_CHARS - total])
                total += len(texts[-1])
    notes: list[str] = []
    if active:
        notes.append(
            _(
                "Scripts, forms, frames or event handlers were found (%(n)d); they are removed "
                "when the book is read online."
            )
            % {"n": active}
        )
    if external:
        notes.append(
            _(
                "References to other sites (%(n)d: stylesheets, fonts or images) are not loaded "
                "when the book is read online."
            )
            % {"n": external}
        )
    return "\n".join(texts), notes


def _opf_metadata(opf: Element) -> dict[str, Any]:
    meta = opf.find("opf:metadata", NS)
    if meta is None:
        return {}

    def all_of(tag: str) -> list[str]:
        return [_text(e) for e in meta.findall(f"dc:{tag}", NS) if _text(e)]

    data: dict[str, Any] = {
        "title": (all_of("title") or [""])[0],
        "authors": all_of("creator"),
        "translators": [],
        "publisher": (all_of("publisher") or [""])[0],
        "language": (all_of("language") or [""])[0].split("-")[0].lower(),
        "description": plain_text((all_of("description") or [""])[0]),
        "subjects": all_of("subject"),
        "date": (all_of("date") or [""])[0],
    }
    contributors = [
        _text(e)
        for e in meta.findall("dc:contributor", NS)
        if e.get(f"{{{NS['opf']}}}role") == "trl"
    ]
    data["translators"] = contributors
    for identifier in all_of("identifier"):
        code = isbn_rules.normalise(identifier.lower().replace("urn:isbn:", ""))
        if isbn_rules.is_valid(code):
            data["isbn"] = code
            break
    year = re.match(r"(\d{4})", data["date"])
    if year:
        data["year"] = int(year.group(1))
    return data


def _toc(
    book: Epub,
    manifest: dict[str, dict[str, str]],
    spine: Element,
    chapters: list[dict[str, str]],
) -> list[dict[str, Any]]:
    """The book's own table of contents: the EPUB 3 navigation document, or the EPUB 2 NCX.
    Each entry points at a chapter (by its number) and a place in it."""
    numbers = {chapter["path"]: n for n, chapter in enumerate(chapters, start=1)}
    entries: list[dict[str, Any]] = []

    def add(base: str, href: str, title: str, depth: int) -> None:
        path = resolve(base, href)
        if path in numbers and title:
            entries.append(
                {
                    "title": title[:300],
                    "path": path,
                    "chapter": numbers[path],
                    "fragment": urlsplit(href).fragment[:100],
                    "depth": min(depth, 3),
                }
            )

    nav = next((i for i in manifest.values() if "nav" in i["properties"].split()), None)
    if nav and nav["path"] in book.names:
        try:
            root = book.xml(nav["path"])
        except Rejected:
            root = None
        if root is not None:
            for element in root.iter(f"{{{NS['x']}}}nav"):
                if element.get(f"{{{NS['epub']}}}type") != "toc":
                    continue

                def walk(ol: Element, depth: int) -> None:
                    for li in ol.findall("x:li", NS):
                        link = li.find("x:a", NS)
                        if link is not None:
                            add(nav["path"], link.get("href", ""), _text(link), depth)
                        for sub in li.findall("x:ol", NS):
                            walk(sub, depth + 1)

                for ol in element.findall("x:ol", NS):
                    walk(ol, 1)
            if entries:
                return entries
    ncx = manifest.get(spine.get("toc", ""))
    if ncx and ncx["path"] in book.names:
        try:
            root = book.xml(ncx["path"])
        except Rejected:
            return entries

        def walk_points(parent: Element, depth: int) -> None:
            for point in parent.findall("ncx:navPoint", NS):
                label = _text(point.find("ncx:navLabel/ncx:text", NS))
                content = point.find("ncx:content", NS)
                if content is not None:
                    add(ncx["path"], content.get("src", ""), label, depth)
                walk_points(point, depth + 1)

        nav_map = root.find("ncx:navMap", NS)
        if nav_map is not None:
            walk_points(nav_map, 1)
    return entries


def _cover(
    book: Epub, opf: Element, manifest: dict[str, dict[str, str]]
) -> tuple[bytes | None, str]:
    item = next((i for i in manifest.values() if "cover-image" in i["properties"].split()), None)
    if item is None:  # EPUB 2: <meta name="cover" content="item-id"/>
        for meta in opf.findall("opf:metadata/opf:meta", NS):
            if meta.get("name") == "cover":
                item = manifest.get(meta.get("content", ""))
    if not item or item["type"] not in IMAGE_TYPES or item["path"] not in book.names:
        return None, ""
    try:
        return book.read(item["path"], MAX_COVER_BYTES), posixpath.basename(item["path"])
    except Rejected:
        return None, ""


_HEADING_OPEN = re.compile(r"<h[1-3][^>]*>", re.IGNORECASE)
_HEADING_CLOSE = re.compile(r"</h[1-3]\s*>", re.IGNORECASE)
_TITLE_OPEN = re.compile(r"<title[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)


def _between(raw: str, opening: re.Pattern[str], closing: re.Pattern[str]) -> str | None:
    """The text after the first `opening` up to its `closing`, looked for within a few
    thousand characters. Not one regex with `(.*?)`: on a chapter of many unclosed openings
    that retries from each of them to the end, minutes for a few hundred kilobytes."""
    start = opening.search(raw)
    if start is None:
        return None
    window = raw[start.end() : start.end() + 4000]
    end = closing.search(window)
    return window[: end.start()] if end else None


def _first_heading(raw: str) -> str:
    found = _between(raw, _HEADING_OPEN, _HEADING_CLOSE)
    if found is None:
        found = _between(raw, _TITLE_OPEN, _TITLE_CLOSE)
    return " ".join(plain_text(found).split())[:200] if found else ""


_BLOCK_END = re.compile(
    r"<(?:/(?:p|h[1-6]|li|dt|dd|div|tr|td|th|blockquote|section|article|aside|header|footer|"
    r"pre|figcaption|caption|title)|br|hr)\b[^>]*>",
    re.IGNORECASE,
)


def plain_text(markup: str) -> str:
    """The words of some HTML, one block a line (so "một</h1><p>Cây" stays two words)."""
    cleaned = nh3.clean(
        _BLOCK_END.sub(lambda m: m.group(0) + "\n", markup),
        tags=set(),
        clean_content_tags={"script", "style", "title", "head"},
        attributes={},
    )
    return "\n".join(line.strip() for line in html.unescape(cleaned).splitlines() if line.strip())
