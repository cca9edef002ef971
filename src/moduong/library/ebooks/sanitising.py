"""A chapter of an EPUB made safe for the reader: allowed tags and attributes only, links and
images pointed back at the book's own resources."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import nh3

from .epub import resolve

# --- Chapters rendered for the reader ------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s", "sub", "sup",
    "small", "blockquote", "q", "cite", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption", "img", "a", "br",
    "hr", "span", "div", "section", "article", "aside", "header", "footer", "pre", "code",
    "abbr", "ruby", "rt", "rp", "mark", "del", "ins",
}  # fmt: skip
DROPPED_WITH_CONTENT = {
    "script", "style", "title", "head", "iframe", "object", "embed", "noscript", "template",
    "svg", "math", "form", "select", "textarea", "button", "audio", "video", "canvas",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


def _body(raw: str) -> str:
    """What is inside <body>: from the first opening to the last closing, found without a
    backtracking regex (see _between)."""
    start = _BODY_OPEN.search(raw)
    if start is None:
        return raw
    end = raw.lower().rfind("</body")
    return raw[start.end() : end] if end >= start.end() else raw[start.end() :]


def render_chapter(
    raw: str,
    *,
    path: str,
    resource_url: Callable[[str], str | None],
    chapter_url: Callable[[str], str | None],
) -> str:
    """A chapter's XHTML as clean HTML for the reader: no scripts, event handlers, forms,
    frames, styles or anything loaded from another site; images come from the book itself,
    links between chapters stay inside the reader."""
    fragment = _body(raw)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return f"e-{value}"[:100]
        if tag == "img" and attribute == "src":
            target = resolve(path, value)
            return resource_url(target) if target else None
        if tag == "a" and attribute == "href":
            parts = urlsplit(value)
            if parts.scheme in {"http", "https", "mailto"}:
                return value
            if parts.scheme or parts.netloc:
                return None
            if not parts.path:
                return f"#e-{parts.fragment}" if parts.fragment else None
            target = resolve(path, value)
            url = chapter_url(target) if target else None
            if url is None:
                return None
            return f"{url}#e-{parts.fragment}" if parts.fragment else url
        return value

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
