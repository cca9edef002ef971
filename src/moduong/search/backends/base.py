from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from moduong.core import vntext

from ..documents import FIELD_BREAK, Document
from ..query import Plan

ENTRY_TABLE = "search_searchentry"
# Tiers are computed over the newest CANDIDATES matches only. A query that matches thousands of
# articles ("Việt Nam") would otherwise check every one of them against every tier; readers of
# news want the best among the recent ones, and the total still counts every match.
CANDIDATES = 500
# Totals are counted up to this many; past it a reader is told "more than 1,000". Counting every
# one of 100,000 matches of a common word was most of such a query's time, to print a number
# nobody can page through (the pages stop at CANDIDATES).
TOTAL_LIMIT = 1000
# Longer runs of letters are not words a reader types (pasted codes, broken markup); PostgreSQL
# also refuses lexemes over 2 kB. Both backends skip them alike.
MAX_WORD = 64
# A word no query can hold (query words are runs of letters and digits; this is a private-use
# character), written between fields: each backend counts it as a position, so a phrase never
# matches across it. Fields of a document's body are separated by FIELD_BREAK (documents.py).
BOUNDARY = "\ue000"
ENTRY_COLUMNS = (
    "content_type_id",
    "object_id",
    "kind",
    "section_key",
    "section_title",
    "title",
    "body",
    "url",
    "date",
    "indexed_at",
)


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    section_key: str = ""
    date_from: dt.datetime | None = None
    date_to: dt.datetime | None = None  # exclusive


@dataclass(frozen=True)
class Hit:
    id: int
    kind: str
    title: str
    url: str
    section_title: str
    date: dt.datetime | None
    tier: int


@dataclass(frozen=True)
class Words:
    """The words of a document as the index stores them: the title's recall keys, then recall
    keys and exact keys of title + text, in order (positions matter for phrases)."""

    title: list[str]
    folded: list[str]
    exact: list[str]


def prepared(document: Document) -> Document:
    """The document as the index stores it: normalised by core.vntext, whoever made it."""
    return replace(
        document,
        title=vntext.clean_line(document.title),
        body=vntext.clean_input(document.body),
        section_title=vntext.clean_line(document.section_title),
    )


def _cut(text: str) -> list[str]:
    return [text[s:e] for s, e in vntext.word_spans(text) if e - s <= MAX_WORD]


def document_words(document: Document) -> Words:
    # The stored text is already normalised (documents.plain_text), so words are cut from it
    # directly; the keys of a word are cached in vntext, as a language has few distinct words.
    # BOUNDARY stands between the title and the text and between two fields of the text, so
    # that a quoted phrase is found only where its words follow one another in one field.
    title = _cut(document.title)
    words = list(title)
    for part in document.body.split(FIELD_BREAK):
        found = _cut(part)
        if found:
            words += [BOUNDARY, *found]

    def keys(key: Callable[[str], str]) -> list[str]:
        return [BOUNDARY if w == BOUNDARY else key(w) for w in words]

    return Words(
        title=[vntext.search_key(w) for w in title],
        folded=keys(vntext.search_key),
        exact=keys(vntext.search_exact),
    )


def entry_values(document: Document, now: dt.datetime) -> tuple[object, ...]:
    return (
        document.content_type_id,
        document.object_id,
        document.kind,
        document.section_key,
        document.section_title,
        document.title,
        document.body,
        document.url,
        document.date,
        now,
    )


def filter_sql(
    filters: SearchFilters, alias: str, indexed: bool = True
) -> tuple[str, list[object]]:
    """The filters as SQL. With `indexed=False` each condition is wrapped so that no index can
    serve it: the text index then finds the rows and the filters are checked on those rows."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.kind:
        clauses.append(f"{alias}.kind = %s")
        params.append(filters.kind)
    if filters.section_key:
        clauses.append(f"{alias}.section_key = %s")
        params.append(filters.section_key)
    if filters.date_from:
        clauses.append(f"{alias}.date >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append(f"{alias}.date < %s")
        params.append(filters.date_to)
    if not indexed:
        clauses = [f"({c}) IS TRUE" for c in clauses]
    return "".join(f" AND {c}" for c in clauses), params


class Backend:
    name = ""

    def structures_create(self, conn: BaseDatabaseWrapper) -> None:
        raise NotImplementedError

    def structures_drop(self, conn: BaseDatabaseWrapper) -> None:
        raise NotImplementedError

    def write(self, documents: Sequence[Document]) -> None:
        """Insert or replace these documents (by content type and object id)."""
        if documents:
            self.write_prepared([prepared(d) for d in documents], timezone.now())

    def write_prepared(self, documents: Sequence[Document], now: dt.datetime) -> None:
        """write(), once the documents' text has been prepared; `now` stamps the entries."""
        raise NotImplementedError

    def delete(self, keys: Sequence[tuple[int, int]]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def search(
        self, plan: Plan, filters: SearchFilters, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        """One page of hits, best first, and the number of all hits up to TOTAL_LIMIT + 1 (a
        total over TOTAL_LIMIT means "more than TOTAL_LIMIT"): one SQL query."""
        raise NotImplementedError

    def bodies(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, body FROM {ENTRY_TABLE} WHERE id IN ({marks})", list(ids))
            return dict(cursor.fetchall())

    @staticmethod
    def hits(rows: list[tuple[object, ...]]) -> tuple[list[Hit], int]:
        total = int(rows[0][-1]) if rows else 0  # type: ignore[call-overload]
        hits = [Hit(*row[:-1]) for row in rows]  # type: ignore[arg-type]
        return hits, total
