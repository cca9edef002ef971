"""The demo portal, kept after the session loads it once and put back after a test that flushed
the database (the live-server, browser and concurrency tests: Django empties every table after
each of them). Loading the demo again cost 10–20 s a test, most of the suite's time; copying
its rows back takes a fraction of a second and gives the very same rows, ids included.

The tables are exactly those Django's flush empties (the models' own), copied with plain SQL
into a schema (PostgreSQL) or an attached file (SQLite) beside the test database: nothing
else in the database is touched, and no test code reads the copy."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

_SCHEMA = "demo_snapshot"
_tables: dict[str, list[str]] = {}  # table -> its columns, as copied


def _snapshot_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-snapshot.sqlite3"


def _copy_name(table: str) -> str:
    return f"{_SCHEMA}.{connection.ops.quote_name(table)}"


def _attach(cursor: object) -> None:
    if connection.vendor == "sqlite":
        attached = {row[1] for row in cursor.execute("PRAGMA database_list").fetchall()}  # type: ignore[attr-defined]
        if _SCHEMA not in attached:
            cursor.execute(f"ATTACH DATABASE %s AS {_SCHEMA}", [str(_snapshot_file())])  # type: ignore[attr-defined]


def snapshot_take() -> None:
    """Copy every model table as it is now (the demo just loaded, committed)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    _tables.clear()
    tables = sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {_SCHEMA}")
        else:
            _snapshot_file().unlink(missing_ok=True)
            _attach(cursor)
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")  # noqa: S608 (Django's names)
            _tables[table] = [column[0] for column in cursor.description]
            cursor.execute(f"CREATE TABLE {_copy_name(table)} AS SELECT * FROM {quoted}")  # noqa: S608


def snapshot_restore() -> bool:
    """Put the copied rows back into the (flushed) tables; False when there is no copy."""
    if not _tables:
        return False
    with connection.cursor() as cursor:
        _attach(cursor)  # SQLite attaches nothing inside a transaction
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        for table, columns in _tables.items():
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"DELETE FROM {quoted}")  # noqa: S608 (Django's names)
            cursor.execute(
                f"INSERT INTO {quoted} ({names}) SELECT {names} FROM {_copy_name(table)}"  # noqa: S608
            )
        models = [
            m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in _tables
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return True
