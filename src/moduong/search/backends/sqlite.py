"""SQLite FTS5, the embedded default.

The FTS5 table holds, per entry, columns of words already made by core.vntext and joined by
spaces: `title` (recall keys of the title), `folded` (recall keys of title and text), `exact`
(exact keys) and `tags` (the type and section, for filters). The unicode61 tokenizer with
remove_diacritics 0 only splits them at the spaces again: it never folds (it would miss đ and
keep some marks), has no stop words, and matches whole words, never substrings (so not the
trigram tokenizer). Phrases and word order come from FTS5's positions. No bm25: ranking is by
tiers (query.py).

The rowid is the entry's date in seconds, shifted left 24 bits, plus the low 24 bits of the
entry id: FTS5 walks its lists by rowid, so "the newest 500 matches" is read straight from the
index, newest first, and stops there; a date range is a rowid range. (Two entries collide only
if they share a second and their ids differ by a multiple of 16,777,216.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..documents import Document
from ..query import Plan, to_fts5
from .base import (
    CANDIDATES,
    ENTRY_COLUMNS,
    ENTRY_TABLE,
    TOTAL_LIMIT,
    Backend,
    Hit,
    SearchFilters,
    document_words,
    entry_values,
)

FTS_TABLE = "search_entry_fts"
KEY_SQL = "((COALESCE(CAST(strftime('%%s', e.date) AS INTEGER), 0) << 24) + (e.id & 16777215))"


def _date_param(value: dt.datetime | None) -> str | None:
    return connection.ops.adapt_datetimefield_value(value)  # type: ignore[return-value]


def _date_value(value: object) -> dt.datetime | None:
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _tag(prefix: str, value: str) -> str:
    return prefix + hashlib.blake2b(value.encode(), digest_size=8).hexdigest()


def _key(value: dt.datetime) -> int:
    return int(value.timestamp()) << 24


class SQLiteBackend(Backend):
    name = "sqlite"

    def structures_create(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "title, folded, exact, tags, entry_id UNINDEXED,"
                " tokenize = 'unicode61 remove_diacritics 0', columnsize = 0)"
            )

    def structures_drop(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def write_prepared(self, documents: Sequence[Document], now: dt.datetime) -> None:
        entries = []
        for document in documents:
            values = list(entry_values(document, now))
            values[8] = _date_param(document.date)
            values[9] = _date_param(now)
            entries.append(values)
        words = [document_words(d) for d in documents]
        keys = [(d.content_type_id, d.object_id) for d in documents]
        columns = ", ".join(ENTRY_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in ENTRY_COLUMNS[2:])
        marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
        where = "e.content_type_id = %s AND e.object_id = %s"
        forget = (
            f"DELETE FROM {FTS_TABLE}"
            f" WHERE rowid = (SELECT {KEY_SQL} FROM {ENTRY_TABLE} e WHERE {where})"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(forget, keys)  # under the old date, if the entry existed
            cursor.executemany(
                f"INSERT INTO {ENTRY_TABLE} ({columns}) VALUES ({marks})"
                f" ON CONFLICT (content_type_id, object_id) DO UPDATE SET {updates}",
                entries,
            )
            cursor.executemany(forget, keys)  # anything an outside flush left under the new key
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, folded, exact, tags, entry_id)"
                f" SELECT {KEY_SQL}, %s, %s, %s, %s, e.id FROM {ENTRY_TABLE} e WHERE {where}",
                [
                    (
                        " ".join(w.title),
                        " ".join(w.folded),
                        " ".join(w.exact),
                        f"{_tag('k', d.kind)} {_tag('s', d.section_key)}",
                        *key,
                    )
                    for w, d, key in zip(words, documents, keys, strict=True)
                ],
            )

    def delete(self, keys: Sequence[tuple[int, int]]) -> None:
        where = "e.content_type_id = %s AND e.object_id = %s"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE}"
                f" WHERE rowid = (SELECT {KEY_SQL} FROM {ENTRY_TABLE} e WHERE {where})",
                keys,
            )
            cursor.executemany(
                f"DELETE FROM {ENTRY_TABLE} WHERE content_type_id = %s AND object_id = %s", keys
            )

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")

    def search(
        self, plan: Plan, filters: SearchFilters, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        match = f"folded : {to_fts5(plan.recall)}"
        if plan.strict is not None:
            match += f" AND exact : {to_fts5(plan.strict)}"
        if filters.kind:
            match += f' AND tags : "{_tag("k", filters.kind)}"'
        if filters.section_key:
            match += f' AND tags : "{_tag("s", filters.section_key)}"'
        ranges: list[str] = []
        range_params: list[object] = []
        if filters.date_from:
            ranges.append("rowid >= %s")
            range_params.append(_key(filters.date_from))
        if filters.date_to:
            ranges.append("rowid < %s")
            range_params.append(_key(filters.date_to))
        within = "".join(f" AND {r}" for r in ranges)
        # Each tier is "is this candidate among the rows matching X", read only from the newest
        # candidate on (FTS5 skips the older part of its lists).
        tiers: list[str] = []
        params: list[object] = []
        for tier in plan.tiers():
            if tier.expr is None:
                tiers.append(tier.constant)
                continue
            tiers.append(
                f"(c.r IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
                " AND rowid >= (SELECT min(r) FROM c))) * " + str(tier.weight)
            )
            params.append(f"{tier.column} : {to_fts5(tier.expr)}")
        sql = (
            f"WITH c AS (SELECT rowid AS r, entry_id FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s{within} ORDER BY rowid DESC LIMIT {CANDIDATES})"
            f" SELECT e.id, e.kind, e.title, e.url, e.section_title, e.date, {' + '.join(tiers)}"
            f" AS tier, (SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE}"
            f" MATCH %s{within} LIMIT {TOTAL_LIMIT + 1})) AS total"
            f" FROM c JOIN {ENTRY_TABLE} e ON e.id = c.entry_id"
            " ORDER BY tier DESC, c.r DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [match, *range_params, *params, match, *range_params, limit, offset]
            )
            rows = [(*row[:5], _date_value(row[5]), *row[6:]) for row in cursor.fetchall()]
        return self.hits(rows)
