"""What every Excel import reads the same way (contests' banks, conferences' points, training's
enrolment lists): a cell as the text the organiser typed, and the template's heading row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import vntext


def cell_text(value: Any) -> str:
    """A cell as one clean line of text: empty for nothing, 12 (not 12.0) for a whole number
    Excel stored as a float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return vntext.clean_line(str(value))


def headings_match(header: Sequence[str], headings: Sequence[str]) -> bool:
    """Whether the first row starts with the template's headings, folded as vntext matches
    Vietnamese everywhere: "HỌ VÀ TÊN", "Ho va ten" and "Họ và tên" are the same heading (lower
    case alone turned away a sheet typed without marks)."""
    if len(header) < len(headings):
        return False
    return [vntext.fold(h) for h in header[: len(headings)]] == [vntext.fold(h) for h in headings]
