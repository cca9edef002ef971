"""PostgreSQL full-text search: three tsvector columns beside the entry, GIN indexes.

The lexemes are the words core.vntext made, written as a tsvector literal with their positions
(`'ha':1 'noi':2`), and queries are tsquery literals with quoted lexemes (`'ha' <-> 'noi'`),
both cast, never parsed: no text search configuration touches them, so no English stop word
("an", "to", "do") is dropped, no stemming happens, and the server's locale cannot split a
Vietnamese word. It is the `simple` configuration's behaviour without its parser. Folding is
core.vntext's, the same as on SQLite, so both backends agree.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from ..documents import Document
from ..query import Plan, pair, to_tsquery
from .base import (
    BOUNDARY,
    CANDIDATES,
    ENTRY_COLUMNS,
    ENTRY_TABLE,
    TOTAL_LIMIT,
    Backend,
    Hit,
    SearchFilters,
    document_words,
    entry_values,
    filter_sql,
)

# The same order as SQLite's rowids (backends/sqlite.py): date to the second, then the low bits
# of the id, so both backends break ties alike.
ORDER_KEY = "((COALESCE(floor(extract(epoch FROM e.date)), 0)::bigint << 24) + (e.id & 16777215))"
RECENT = 2000
MAX_POSITION = 16383  # PostgreSQL's limit; later words are still found, not in phrases
MAX_POSITIONS_PER_WORD = 255


def tsvector_literal(words: list[str], pairs: bool = False) -> str:
    """Words with their positions; with `pairs`, also every two adjacent words as one lexeme
    without position ("ha noi"), so a phrase is found by the GIN index alone, without opening
    each matching article's word list to check positions."""
    positions: dict[str, list[int]] = {}
    if pairs:
        for first, second in itertools.pairwise(words):
            if BOUNDARY not in (first, second):
                positions.setdefault(pair(first, second), [])
    for position, word in enumerate(words, start=1):
        if word == BOUNDARY:  # a position left empty: no phrase spans it
            continue
        found = positions.setdefault(word, [])
        if position <= MAX_POSITION and len(found) < MAX_POSITIONS_PER_WORD:
            found.append(position)
    parts = []
    for word, places in positions.items():
        lexeme = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
        parts.append(f"{lexeme}:{','.join(map(str, places))}" if places else lexeme)
    return " ".join(parts)


class PostgresBackend(Backend):
    name = "postgresql"

    def structures_create(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            # The text and the word lists go out of line (TOAST) so a row in the table itself is
            # a couple of hundred bytes: finding the newest of 50,000 matches then reads a few
            # megabytes of rows, not the whole text of every article.
            cursor.execute(f"ALTER TABLE {ENTRY_TABLE} SET (toast_tuple_target = 256)")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_entry_newest ON {ENTRY_TABLE}"
                " (date DESC NULLS LAST, id DESC)"
            )
            for column in ("title_tsv", "folded_tsv", "exact_tsv"):
                cursor.execute(
                    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS {column} tsvector"
                    " NOT NULL DEFAULT ''::tsvector"
                )
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS search_entry_{column} ON {ENTRY_TABLE}"
                    f" USING gin ({column})"
                )

    def structures_drop(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            for column in ("title_tsv", "folded_tsv", "exact_tsv"):
                cursor.execute(f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS {column}")

    def write_prepared(self, documents: Sequence[Document], now: dt.datetime) -> None:
        rows = []
        for document in documents:
            words = document_words(document)
            rows.append(
                (
                    *entry_values(document, now),
                    tsvector_literal(words.title),
                    tsvector_literal(words.folded, pairs=True),
                    tsvector_literal(words.exact),
                )
            )
        columns = ", ".join((*ENTRY_COLUMNS, "title_tsv", "folded_tsv", "exact_tsv"))
        marks = ", ".join(["%s"] * len(ENTRY_COLUMNS) + ["%s::tsvector"] * 3)
        updates = ", ".join(
            f"{c} = excluded.{c}"
            for c in (*ENTRY_COLUMNS[2:], "title_tsv", "folded_tsv", "exact_tsv")
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ENTRY_TABLE} ({columns}) VALUES ({marks})"
                f" ON CONFLICT (content_type_id, object_id) DO UPDATE SET {updates}",
                rows,
            )

    def delete(self, keys: Sequence[tuple[int, int]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {ENTRY_TABLE} WHERE content_type_id = %s AND object_id = %s", keys
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")

    def search(
        self, plan: Plan, filters: SearchFilters, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        tiers: list[str] = []
        params: list[object] = []
        for tier in plan.tiers():
            if tier.expr is None:
                tiers.append(tier.constant)
                continue
            tiers.append(f"({tier.column}_tsv @@ %s::tsquery)::int * {tier.weight}")
            params.append(to_tsquery(tier.expr, pairs=tier.column == "folded"))
        where, filter_params = filter_sql(filters, "e")
        late, late_params = filter_sql(filters, "e", indexed=False)
        # What a match is: the recall on the folded words, and the words typed with marks on
        # the exact words (query.Plan.strict), as one condition written four times below.
        recall = [to_tsquery(plan.recall, pairs=True)]
        matches = "folded_tsv @@ %s::tsquery"
        if plan.strict is not None:
            recall.append(to_tsquery(plan.strict))
            matches += " AND exact_tsv @@ %s::tsquery"
        e_matches = matches.replace("folded_tsv", "e.folded_tsv").replace(
            "exact_tsv", "e.exact_tsv"
        )
        # The newest CANDIDATES matches and the total, chosen from what the newest RECENT rows
        # that pass the filters show (walking the date index, unpacking few word lists):
        # - fewer than RECENT such rows: every match is among them, nothing else is read;
        # - a word in half of them or more: the candidates are there, and the total is counted
        #   from the GIN index only up to TOTAL_LIMIT + 1;
        # - otherwise the GIN index finds every match, the filters are checked on those rows
        #   (`late`: an index on the date would have the planner unpack the word list of every
        #   row in the date range instead), and the newest are sorted out.
        sql = (
            f"WITH w AS MATERIALIZED (SELECT e.id, e.folded_tsv, e.exact_tsv FROM {ENTRY_TABLE} e"
            f" WHERE true{where} ORDER BY e.date DESC NULLS LAST, e.id DESC LIMIT {RECENT}),"
            f" recent AS MATERIALIZED (SELECT id FROM w WHERE {matches}"
            f" LIMIT {CANDIDATES}),"
            f" n AS MATERIALIZED (SELECT (SELECT count(*) FROM w) AS seen,"
            f" (SELECT count(*) FROM recent) AS hits),"
            f" m AS MATERIALIZED (SELECT e.id, {ORDER_KEY} AS k FROM {ENTRY_TABLE} e"
            f" WHERE {e_matches}{late}"
            f" AND (SELECT seen >= {RECENT} AND hits < {CANDIDATES} FROM n)),"
            f" c AS MATERIALIZED (SELECT id FROM recent"
            f" WHERE (SELECT seen < {RECENT} OR hits >= {CANDIDATES} FROM n)"
            f" UNION ALL (SELECT id FROM m ORDER BY k DESC LIMIT {CANDIDATES})),"
            f" total AS MATERIALIZED (SELECT CASE"
            f" WHEN seen < {RECENT} AND hits < {CANDIDATES} THEN hits"
            f" WHEN seen < {RECENT} THEN (SELECT count(*) FROM w WHERE {matches})"
            f" WHEN hits >= {CANDIDATES} THEN (SELECT count(*) FROM (SELECT 1 FROM {ENTRY_TABLE}"
            f" e WHERE {e_matches}{late} LIMIT {TOTAL_LIMIT + 1}) x)"
            f" ELSE (SELECT count(*) FROM m) END AS n FROM n)"
            f" SELECT e.id, e.kind, e.title, e.url, e.section_title, e.date, {' + '.join(tiers)}"
            f" AS tier, (SELECT LEAST(n, {TOTAL_LIMIT + 1}) FROM total) AS total"
            f" FROM c JOIN {ENTRY_TABLE} e ON e.id = c.id"
            f" ORDER BY tier DESC, {ORDER_KEY} DESC LIMIT %s OFFSET %s"
        )
        # The planner reads "a word in every article" as a reason to scan the table, and does
        # not see that this unpacks every article's word list from TOAST: 10 to 20 times
        # slower than the GIN index here. That plan is off for this query.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                sql,
                [
                    *filter_params,
                    *recall,
                    *recall,
                    *late_params,
                    *recall,
                    *recall,
                    *late_params,
                    *params,
                    limit,
                    offset,
                ],
            )
            rows = cursor.fetchall()
        return self.hits(rows)
