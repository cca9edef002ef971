"""Races proven on the real PostgreSQL, with real threads."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def held_together(
    calls: list[Callable[[], Any]], *, at: str
) -> tuple[list[Any], list[BaseException]]:
    """Runs each call in its own thread and connection, holding each one's first statement
    that contains `at` (quotes left out) at a barrier until every other call has reached its
    own: the statements meet on every run, not by luck. The calls' results and errors."""
    barrier = threading.Barrier(len(calls), timeout=20)
    results: list[Any] = []
    errors: list[BaseException] = []

    def held(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if at in sql.replace('"', ""):
            barrier.wait()
        return execute(sql, params, many, context)

    def run(call: Callable[[], Any]) -> None:
        try:
            with connection.execute_wrapper(held):
                results.append(call())
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors
