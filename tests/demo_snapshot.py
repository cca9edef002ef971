"""The demo portal, kept after the session loads it once and put back after a test that flushed
the database (the live-server, browser and concurrency tests: Django empties every table after
each of them). Loading the demo again cost 10–20 s a test, most of the suite's time; copying
its rows back takes a fraction of a second and gives the very same rows, ids included.

What is copied: every table Django's flush empties (the models' own) and, on SQLite, the
search index's full-text table, which is no model and which the flush leaves as it is. The
copy lives in a schema (PostgreSQL) or a file attached only while it is read or written
(SQLite), so no test reads it by mistake. Only rows come back, not files: a test that deletes
a demo image's file leaves later tests a row without its file (none do today).

Sequences are left where they are: the flush does not reset them, so they are already past
every copied id, and no id is handed out twice in a session (a process's caches keyed by id,
such as the contests' paper copies, never meet an earlier test's object under the same id)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

_SCHEMA = "demo_snapshot"
_tables: dict[str, list[str]] = {}  # table -> its columns, as copied
_place: list[Path] = []  # SQLite: the copy's file, as it was when it was taken


def _copy_name(table: str) -> str:
    return f"{_SCHEMA}.{connection.ops.quote_name(table)}"


def _full_text_tables(cursor: Any) -> list[str]:
    """SQLite's virtual tables (the search index's FTS5): not models, never flushed."""
    cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
    return [row[0] for row in cursor.fetchall()]


def snapshot_take() -> None:
    """Copy the tables as they are now (the demo just loaded, committed)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    _tables.clear()
    tables = sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )
    virtual: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {_SCHEMA}")
        else:
            _place[:] = [Path(settings.DATA_DIR) / "demo-snapshot.sqlite3"]
            _place[0].unlink(missing_ok=True)
            cursor.execute(f"ATTACH DATABASE %s AS {_SCHEMA}", [str(_place[0])])
            virtual = _full_text_tables(cursor)
            tables += [t for t in virtual if t not in tables]
        try:
            for table in tables:
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")  # noqa: S608 (our names)
                columns = [column[0] for column in cursor.description]
                if table in virtual:
                    columns = ["rowid", *columns]  # a full-text row keeps its id
                _tables[table] = columns
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                cursor.execute(f"CREATE TABLE {_copy_name(table)} AS SELECT {names} FROM {quoted}")  # noqa: S608
        finally:
            if connection.vendor == "sqlite":
                cursor.execute(f"DETACH DATABASE {_SCHEMA}")


def snapshot_restore() -> bool:
    """Put the copied rows back into the (flushed) tables; False when there is no copy, or
    when SQLite cannot attach it (inside a test's transaction: the caller loads the demo)."""
    if not _tables or (connection.vendor == "sqlite" and connection.in_atomic_block):
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"ATTACH DATABASE %s AS {_SCHEMA}", [str(_place[0])])
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                else:
                    cursor.execute("PRAGMA defer_foreign_keys = ON")
                for table, columns in _tables.items():
                    names = ", ".join(connection.ops.quote_name(c) for c in columns)
                    quoted = connection.ops.quote_name(table)
                    cursor.execute(f"DELETE FROM {quoted}")  # noqa: S608 (our names)
                    cursor.execute(
                        f"INSERT INTO {quoted} ({names}) SELECT {names} FROM {_copy_name(table)}"  # noqa: S608
                    )
        finally:
            if connection.vendor == "sqlite":
                cursor.execute(f"DETACH DATABASE {_SCHEMA}")
    return True
