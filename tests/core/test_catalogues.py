"""Every Vietnamese catalogue is complete and compiled: a msgid left empty or fuzzy, or a .po
edited without compiling its .mo, shows English to a reader."""

import gettext
import re
from pathlib import Path

import pytest

import moduong

PACKAGE = Path(moduong.__file__).parent
CATALOGUES = sorted(PACKAGE.glob("**/locale*/vi/LC_MESSAGES/*.po"))
ENTRY = re.compile(
    r'^(#, [^\n]*\n)?(?:#[^\n]*\n)*(?:msgctxt ((?:"(?:[^"\\]|\\.)*"\n)+))?'
    r'msgid ((?:"(?:[^"\\]|\\.)*"\n)+)(msgid_plural (?:"(?:[^"\\]|\\.)*"\n)+)?'
    r'((?:msgstr(?:\[\d\])? (?:"(?:[^"\\]|\\.)*"\n)+)+)',
    re.M,
)


def _text(quoted: str) -> str:
    return "".join(
        bytes(part, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for part in re.findall(r'"((?:[^"\\]|\\.)*)"', quoted)
    )


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 4
    assert PACKAGE / "locale/vi/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_compiled(po: Path) -> None:
    source = po.read_text(encoding="utf-8")
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    missing = []
    for flags, context, msgid, plural, msgstrs in ENTRY.findall(source):
        key = _text(msgid)
        if not key:
            continue  # the header
        if "fuzzy" in (flags or ""):
            missing.append(f"fuzzy: {key}")
            continue
        translations = [
            _text(m)
            for m in re.findall(r"msgstr(?:\[\d\])? ((?:\"(?:[^\"\\]|\\.)*\"\n)+)", msgstrs)
        ]
        if not all(translations):
            missing.append(f"untranslated: {key}")
            continue
        lookup = f"{_text(context)}\x04{key}" if context else key
        # A plural's forms are compiled under (msgid, n); the singular check covers the rest.
        if not plural and compiled._catalog.get(lookup) != translations[0]:  # type: ignore[attr-defined]
            missing.append(f"not compiled: {key}")
    assert not missing, "\n".join(missing)
