"""The typeface the product draws text with (PDF certificates, generated covers and pages):
Noto Sans from the PyPI package fontpkg-noto-sans. It has every Vietnamese letter, and a fresh
machine with only python3 has no system font to rely on."""

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import fontpkg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontpkg import pil
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

FAMILY = "Noto Sans"
BOLD = 700


def font_file() -> Path:
    """One variable font file: bold is the same file at weight 700."""
    return fontpkg.path(FAMILY)


def pillow_font(size: float, bold: bool = False) -> Any:
    return pil.truetype(FAMILY, size, weight=BOLD if bold else 400)


def _bold_places() -> list[Path]:
    """Where the static bold face is kept: beside the installed packages (`make install` cuts it
    there, so every data folder, demo and test run finds it ready), else in the data folder."""
    places = [Path(sys.prefix) / "share" / "moduong" / "fonts"]
    with contextlib.suppress(ImproperlyConfigured):  # `python -m moduong.core.fonts`: no settings
        places.append(Path(settings.DATA_DIR) / "fonts")
    return places


def bold_font_file() -> Path:
    """The bold face as a static font, cut once from the variable font and kept: fpdf2 would
    otherwise cut it again for every document (fontTools' instancer, seconds of CPU for each
    certificate, badge or edition). The name carries the source's size, so a new release of the
    font package is cut afresh."""
    source = font_file()
    name = f"{FAMILY.replace(' ', '')}-{BOLD}-{source.stat().st_size}.ttf"
    places = _bold_places()
    for place in places:
        if (place / name).exists():
            return place / name
    with TTFont(source) as variable:
        static = instancer.instantiateVariableFont(variable, {"wght": BOLD, "wdth": 100})
        for place in places:
            try:
                place.mkdir(parents=True, exist_ok=True)
                partial = place / f"{name}.{os.getpid()}.tmp"
                static.save(partial)
            except OSError:  # a read-only install: the data folder is the next place
                continue
            partial.replace(place / name)  # atomic: another process never reads half a font
            return place / name
    raise OSError(f"No writable place for the bold font among {places}")


def pdf_fonts_add(pdf: Any, name: str = "Noto") -> str:
    """Register the regular and bold faces with an fpdf2 document; returns the family name."""
    pdf.add_font(name, "", str(font_file()))
    pdf.add_font(name, "B", str(bold_font_file()))
    return name


def pdf_fonts_close(pdf: Any) -> None:
    """Close the document's font files. fpdf2 closes them itself when it writes the document;
    a document given up half made (a build over its time) would leave them open until the
    garbage collector, which a worker may not run for hours. Closing twice is harmless."""
    for font in pdf.fonts.values():
        close = getattr(font, "close", None)  # TTFFont's: the file and its HarfBuzz face
        if close is not None:
            close()


if __name__ == "__main__":  # `make install`: cut the bold face once, beside the packages
    print(bold_font_file())
