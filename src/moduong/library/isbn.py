"""ISBN-10 and ISBN-13: normalised form and checksum."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-‐‑–]")


def normalise(value: str) -> str:
    """Digits only (and a final X of an ISBN-10), without hyphens or spaces."""
    cleaned = _SEPARATORS.sub("", value.strip()).upper()
    return cleaned.removeprefix("ISBN").removeprefix(":")


def is_valid(value: str) -> bool:
    code = normalise(value)
    if re.fullmatch(r"\d{9}[\dX]", code):
        total = sum((10 - i) * int(c) for i, c in enumerate(code[:9]))
        total += 10 if code[9] == "X" else int(code[9])
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", code):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(code))
        return total % 10 == 0
    return False


def validate_isbn(value: str) -> None:
    if not value:
        return
    code = normalise(value)
    if not re.fullmatch(r"\d{9}[\dX]|\d{13}", code):
        raise ValidationError(
            _("An ISBN has 10 or 13 digits (the last digit of an ISBN-10 may be X)."),
            code="isbn_format",
        )
    if not is_valid(code):
        raise ValidationError(
            _("This ISBN's check digit is wrong: please copy it again from the book."),
            code="isbn_checksum",
        )
