"""Search backends. The backend is one setting, SEARCH_BACKEND: "sqlite" (FTS5, the embedded
default) or "postgresql" (tsvector + GIN); left empty it follows the database in use. Both store
the same words, produced by core.vntext, and run the same plan (query.Plan), so they give the same
results. A national-scale deployment moves to OpenSearch (docs/operator.md)."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from .base import Backend, Hit, SearchFilters
from .postgresql import PostgresBackend
from .sqlite import SQLiteBackend


def _name(vendor: str) -> str:
    chosen = getattr(settings, "SEARCH_BACKEND", "") or vendor
    if chosen not in {"sqlite", "postgresql"}:
        raise ValueError(f"SEARCH_BACKEND={chosen!r}: use 'sqlite' or 'postgresql'")
    if chosen != vendor:
        raise ValueError(f"SEARCH_BACKEND={chosen!r} needs the {chosen} database, not {vendor}")
    return chosen


@cache
def _backend(name: str) -> Backend:
    if name == "postgresql":
        return PostgresBackend()

    return SQLiteBackend()


def get_backend() -> Backend:
    return _backend(_name(connection.vendor))


def structures_create(conn: BaseDatabaseWrapper) -> None:
    _backend(_name(conn.vendor)).structures_create(conn)


def structures_drop(conn: BaseDatabaseWrapper) -> None:
    _backend(_name(conn.vendor)).structures_drop(conn)


__all__ = ["Backend", "Hit", "SearchFilters", "get_backend"]
