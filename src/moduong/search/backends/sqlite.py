"""SQLite FTS5, the embedded default.

The FTS5 table holds, per entry (rowid = entry id), three columns of words already made by
core.vntext and joined by spaces: `title` (recall keys of the title), `folded` (recall keys of
title and text) and `exact` (exact keys). The unicode61 tokenizer with remove_diacritics 0 only
splits them at the spaces again: it never folds (it would miss đ and keep some marks), has no
stop words, and matches whole words, never substrings (so not the trigram tokenizer). Phrases
and word order come from FTS5's positions. No bm25: ranking is by tiers (query.py).
"""

from __future__ import annotations

import datetime as dt
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
    Backend,
    Hit,
    SearchFilters,
    document_words,
    entry_values,
    filter_sql,
    prepared,
)

FTS_TABLE = "search_entry_fts"


def _date_param(value: dt.datetime | None) -> str | None:
    return connection.ops.adapt_datetimefield_value(value)  # type: ignore[return-value]


def _date_value(value: object) -> dt.datetime | None:
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


class SQLiteBackend(Backend):
    name = "sqlite"

    def structures_create(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "title, folded, exact, tokenize = 'unicode61 remove_diacritics 0', columnsize = 0)"
            )

    def structures_drop(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def write(self, documents: Sequence[Document]) -> None:
        if not documents:
            return
        documents = [prepared(d) for d in documents]
        now = timezone.now()
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
        select_id = f"SELECT id FROM {ENTRY_TABLE} WHERE content_type_id = %s AND object_id = %s"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ENTRY_TABLE} ({columns}) VALUES ({marks})"
                f" ON CONFLICT (content_type_id, object_id) DO UPDATE SET {updates}",
                entries,
            )
            # After the upsert, by the entry's id: replaces the words of an edited entry, and any
            # row an outside flush of the entry table left behind.
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = ({select_id})", keys)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, folded, exact)"
                f" SELECT id, %s, %s, %s FROM {ENTRY_TABLE}"
                " WHERE content_type_id = %s AND object_id = %s",
                [
                    (" ".join(w.title), " ".join(w.folded), " ".join(w.exact), *key)
                    for w, key in zip(words, keys, strict=True)
                ],
            )

    def delete(self, keys: Sequence[tuple[int, int]]) -> None:
        where = "content_type_id = %s AND object_id = %s"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE}"
                f" WHERE rowid = (SELECT id FROM {ENTRY_TABLE} WHERE {where})",
                keys,
            )
            cursor.executemany(f"DELETE FROM {ENTRY_TABLE} WHERE {where}", keys)

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")

    def search(
        self, plan: Plan, filters: SearchFilters, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        # Each tier is "is this row among the rows matching X": SQLite runs each sub-select once
        # (it is not correlated) and probes it by rowid.
        tiers: list[str] = []
        params: list[object] = []
        for weight, column, expr in (
            (8, "folded", plan.direct),
            (4, "folded", plan.adjacent),
            (2, "exact", plan.exact),
            (1, "title", plan.title),
        ):
            if expr is None:
                tiers.append(str(weight) if weight == 8 else "0")
                continue
            tiers.append(
                f"(e.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)) * {weight}"
            )
            params.append(f"{column} : {to_fts5(expr)}")
        where, filter_params = filter_sql(filters, "e")
        sql = (
            f"WITH m AS (SELECT e.id, e.date FROM {FTS_TABLE} f"
            f" JOIN {ENTRY_TABLE} e ON e.id = f.rowid WHERE {FTS_TABLE} MATCH %s{where}),"
            f" c AS (SELECT id FROM m ORDER BY date DESC, id DESC LIMIT {CANDIDATES})"
            f" SELECT e.id, e.kind, e.title, e.url, e.section_title, e.date, {' + '.join(tiers)}"
            " AS tier, (SELECT count(*) FROM m) AS total"
            f" FROM c JOIN {ENTRY_TABLE} e ON e.id = c.id"
            " ORDER BY tier DESC, e.date DESC, e.id DESC LIMIT %s OFFSET %s"
        )
        adapted = [_date_param(p) if isinstance(p, dt.datetime) else p for p in filter_params]
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [f"folded : {to_fts5(plan.recall)}", *adapted, *params, limit, offset]
            )
            rows = [(*row[:5], _date_value(row[5]), *row[6:]) for row in cursor.fetchall()]
        return self.hits(rows)
