"""The dashboard's charts, drawn on the server: the geometry of a line chart (one line per
series over days) for a template to write as inline SVG. No script, no style attribute, no
outside address: the page's Content-Security-Policy has nothing to allow, and a screen reader
gets the chart's title, a summary and each point's own title (the table beside it holds the
same figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28
# Okabe–Ito colours (told apart with every common colour blindness), each line also with its
# own dash pattern, so that colour is not the only difference.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9"]
DASHES = ["none", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2"]
MAX_SERIES = len(COLOURS)


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Line:
    name: str
    total: int
    colour: str
    dash: str
    path: str
    points: list[Point]


@dataclass
class Tick:
    at: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    others: int  # series left out (beyond MAX_SERIES), counted in the table only
    empty: bool


def _nice_top(value: int) -> int:
    for top in (4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= top:
            return top
    step = 10 ** (len(str(value)) - 1)
    return -(-value // step) * step


def line_chart(days: list[dt.date], series: dict[str, list[int]], unit: str) -> Chart:
    """`series`: name → one count per day, largest first (selectors.mentions_per_day)."""
    shown = list(series.items())[:MAX_SERIES]
    peak = max((max(values) for _, values in shown), default=0)
    top = _nice_top(max(peak, 1))
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(days) - 1, 1)

    def x(n: int) -> float:
        return round(LEFT + n * step, 1)

    def y(value: int) -> float:
        return round(TOP + inner_h - value * inner_h / top, 1)

    lines = []
    for n, (name, values) in enumerate(shown):
        points = [
            Point(x(i), y(v), f"{name}, {day:%d/%m}: {v} {unit}")
            for i, (day, v) in enumerate(zip(days, values, strict=True))
        ]
        path = " ".join(f"{'M' if i == 0 else 'L'}{p.x} {p.y}" for i, p in enumerate(points))
        lines.append(Line(name, sum(values), COLOURS[n], DASHES[n], path, points))
    y_ticks = [Tick(y(top * k // 4), str(top * k // 4)) for k in range(5)]
    every = max(1, round(len(days) / 7))
    x_ticks = [Tick(x(i), f"{day:%d/%m}") for i, day in enumerate(days) if i % every == 0]
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        RIGHT,
        TOP,
        BOTTOM,
        lines,
        y_ticks,
        x_ticks,
        others=max(0, len(series) - MAX_SERIES),
        empty=peak == 0,
    )
