"""Places on the home page that other modules fill in.

News owns the home page but may not import the library or the gallery (domain apps do not
import each other), so those modules register a panel here when they exist:

    home_panels.register("library/home_latest_books.html", latest_books_for_home, order=20)

A loader returns the template's context, or None to leave its place empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Loader = Callable[[], dict[str, Any] | None]


@dataclass(frozen=True)
class HomePanel:
    template: str
    loader: Loader
    order: int


_PANELS: list[HomePanel] = []


def register(template: str, loader: Loader, order: int = 50) -> None:
    _PANELS.append(HomePanel(template, loader, order))
    _PANELS.sort(key=lambda panel: panel.order)


def unregister(template: str) -> None:
    _PANELS[:] = [panel for panel in _PANELS if panel.template != template]


def rendered_panels() -> list[tuple[str, dict[str, Any]]]:
    """(template, context) for every panel that has something to show."""
    panels = []
    for panel in _PANELS:
        context = panel.loader()
        if context:
            panels.append((panel.template, context))
    return panels
