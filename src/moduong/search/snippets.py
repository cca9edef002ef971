"""Highlighted snippets: the text is escaped first, then the matched words are wrapped in
<mark>, so nothing in an article can inject markup. Words match by their recall key, exactly as
the index matched them (no substring highlighting of "hoa" inside "hoạch")."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from moduong.core import vntext

from .documents import FIELD_BREAK
from .query import EXACT_PREFIX

SNIPPET_WORDS = 36


def _marked(text: str, spans: list[tuple[int, int]], hits: set[int]) -> SafeString:
    out: list[str] = []
    cursor = 0
    for index, (start, end) in enumerate(spans):
        if index in hits:
            out.append(escape(text[cursor:start]))
            out.append(f"<mark>{escape(text[start:end])}</mark>")
            cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def _hits(text: str, spans: list[tuple[int, int]], keys: set[str]) -> set[int]:
    """The words the search matched: by their recall key, or by their exact key for the words
    typed with marks (query.EXACT_PREFIX)."""
    return {
        i
        for i, (s, e) in enumerate(spans)
        if vntext.search_key(text[s:e]) in keys
        or EXACT_PREFIX + vntext.search_exact(text[s:e]) in keys
    }


def highlight(text: str, keys: set[str]) -> SafeString:
    spans = vntext.word_spans(text)
    return _marked(text, spans, _hits(text, spans, keys))


def _field(body: str, keys: set[str]) -> tuple[str, list[tuple[int, int]], set[int]]:
    """The one field of the body the snippet is cut from: the first with a match, else the
    longest (a book's summary rather than its publisher's name). Fields are never run
    together: "Ban biên soạn Nhà xuất bản" and "Nhà xuất bản Mở Đường" are two fields."""
    best: tuple[str, list[tuple[int, int]], set[int]] = ("", [], set())
    for part in body.split(FIELD_BREAK):
        text = " ".join(part.split())
        spans = vntext.word_spans(text)
        hits = _hits(text, spans, keys)
        if hits:
            return text, spans, hits
        if len(spans) > len(best[1]):
            best = (text, spans, hits)
    return best


def snippet(text: str, keys: set[str], words: int = SNIPPET_WORDS) -> SafeString:
    """About `words` words of one field around its first match (the start of the longest field
    if none matches)."""
    text, spans, hits = _field(text, keys)
    if not spans:
        return mark_safe("")
    first = min(hits) if hits else 0
    start = max(0, first - words // 3)
    end = min(len(spans), start + words)
    start = max(0, end - words)
    window = spans[start:end]
    begin = window[0][0] if start > 0 else 0
    finish = spans[end - 1][1] if end < len(spans) else len(text)
    piece = text[begin:finish]
    local = [(s - begin, e - begin) for s, e in window]
    marked = _marked(piece, local, {i - start for i in hits if start <= i < end})
    prefix = "… " if begin > 0 else ""
    suffix = " …" if finish < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - marked is escaped
