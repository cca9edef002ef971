"""PDF: refused when it carries JavaScript or actions (core.uploads.check_pdf, the site's one
check); its text read for search."""

from __future__ import annotations

import re
from typing import IO, Any

from django.core.exceptions import ValidationError

from moduong.core import uploads

from .limits import MAX_TEXT_CHARS, Inspection, Rejected


def inspect_pdf(stream: IO[bytes]) -> Inspection:
    try:
        reader = uploads.check_pdf(stream)  # the site's one check of what a PDF may hold
    except ValidationError as error:
        raise Rejected(error.messages[0]) from error
    pages = len(reader.pages)

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
