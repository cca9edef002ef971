"""The typeface the product draws text with (PDF certificates, generated covers and pages):
Noto Sans from the PyPI package fontpkg-noto-sans. It has every Vietnamese letter, and a fresh
machine with only python3 has no system font to rely on."""

from pathlib import Path
from typing import Any

import fontpkg
from fontpkg import pil

FAMILY = "Noto Sans"
BOLD = 700


def font_file() -> Path:
    """One variable font file: bold is the same file at weight 700."""
    return fontpkg.path(FAMILY)


def pillow_font(size: float, bold: bool = False) -> Any:
    return pil.truetype(FAMILY, size, weight=BOLD if bold else 400)


def pdf_fonts_add(pdf: Any, name: str = "Noto") -> str:
    """Register the regular and bold faces with an fpdf2 document; returns the family name."""
    path = str(font_file())
    pdf.add_font(name, "", path)
    pdf.add_font(name, "B", path, variations={"wght": BOLD})
    return name
