"""How a Wagtail page reaches the views that serve it, without importing them.

Models sit at the bottom of every app's layers (docs/architecture.md): they import no view,
service or selector. A routable page's `@path` methods and a page's `get_context` still need
them, so they call them by name here, and the app's views module registers each one with
`@page_view("app.name")` when the app is ready (its AppConfig.ready imports its views). This is
the URL layer's own trick: a name, resolved when the request comes, not an import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured

F = TypeVar("F", bound=Callable[..., Any])

_VIEWS: dict[str, Callable[..., Any]] = {}


def page_view(name: str) -> Callable[[F], F]:
    """Registers the decorated function under `name` ("library.book_detail")."""

    def register(function: F) -> F:
        known = _VIEWS.get(name)
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ImproperlyConfigured(f"Two page views are named {name!r}.")
        _VIEWS[name] = function
        return function

    return register


def page_view_call(name: str, /, *args: Any, **kwargs: Any) -> Any:
    """Calls the function registered under `name`."""
    try:
        function = _VIEWS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No page view is named {name!r}: does its app's ready() import its views?"
        ) from None
    return function(*args, **kwargs)
