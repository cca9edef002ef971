"""PDF: refused when it carries JavaScript or actions; its text read for search."""

from __future__ import annotations

import re
from typing import IO, Any

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .limits import MAX_TEXT_CHARS, Inspection, Rejected

# --- PDF ------------------------------------------------------------------------------------

# Actions that run something when a PDF is opened or clicked.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute"}
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA", "/RichMedia"}


def inspect_pdf(stream: IO[bytes]) -> Inspection:

    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise Rejected(
                _("The PDF is encrypted: upload a copy without a password or restrictions.")
            )
        pages = len(reader.pages)
    except Rejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise Rejected(_("The PDF is damaged and cannot be read.")) from error

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > 2_000_000:
            raise Rejected(_("The PDF is too complex to check."))
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                obj = obj.get_object()
            except Exception:  # noqa: S112  # a broken reference hides nothing runnable
                continue
        if isinstance(obj, DictionaryObject):
            keys = set(obj.keys())
            if keys & ACTIVE_KEYS or str(obj.get("/S", "")) in ACTIVE_ACTIONS:
                raise Rejected(
                    _(
                        "The PDF contains JavaScript or actions that run when it is opened. "
                        "Save it again without them (for example by printing it to a new PDF) "
                        "and upload that copy."
                    )
                )
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)

    texts: list[str] = []
    total = 0
    for page in reader.pages[:2000]:
        if total >= MAX_TEXT_CHARS:
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # one page's odd font must not refuse the whole book
            text = ""
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        texts.append(text[: MAX_TEXT_CHARS - total])
        total += len(texts[-1])
    info: Any = reader.metadata or {}
    metadata: dict[str, Any] = {"page_count": pages}
    title = str(info.get("/Title", "") or "").strip()
    author = str(info.get("/Author", "") or "").strip()
    if title:
        metadata["title"] = title
    if author:
        metadata["authors"] = [a.strip() for a in re.split(r"[,;]", author) if a.strip()]
    return Inspection(
        kind="pdf", structure={"pages": pages}, metadata=metadata, text="\n".join(texts)
    )
