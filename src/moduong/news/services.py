"""Writes for news: reads counted off the hot path, the import from an old portal, and a draft
article sent into moderation (monitoring republishes through it)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.html import escape
from django.utils.translation import gettext as _

from moduong.core.counters import BufferedCounter

from . import events
from .models import ArticlePage, SectionPage

logger = logging.getLogger(__name__)

READS_KEY = "news:reads:{}"
FLUSH_EVERY = 25


def _hand_on(article_id: int, reads: int) -> None:
    events.article_reads_pending.send(sender=ArticlePage, article_id=article_id, reads=reads)


_reads: BufferedCounter[int] = BufferedCounter(
    label="article reads", cache_key=READS_KEY.format, flush_every=FLUSH_EVERY, hand_on=_hand_on
)


def article_read_record(*, article_id: int) -> None:
    """Count a read (core.counters), so a page view never writes to the database itself."""
    _reads.record(article_id)


def article_reads_buffer_flush() -> None:
    """Hand this process's buffered reads on to the shared counter."""
    _reads.flush()


def article_reads_add(*, article_id: int, reads: int) -> int:
    """Add reads counted in the cache to the article's row."""
    ArticlePage.objects.filter(pk=article_id).update(read_count=F("read_count") + reads)
    return reads


@transaction.atomic
def article_draft_submit(
    *,
    section_id: int,
    title: str,
    lead: str,
    paragraphs: list[str],
    source_author: str = "",
    source_outlet: str = "",
    source_url: str = "",
    user: Any = None,
) -> ArticlePage:
    """A draft article (not live) in the section, its paragraphs plain text, sent into the
    section's moderation workflow when it has one."""
    section = SectionPage.objects.filter(pk=section_id).first()
    if section is None:
        raise ValidationError(_("This section does not exist."))
    article = ArticlePage(
        title=title[:255],
        lead=lead,
        body=[("paragraph", f"<p>{escape(text)}</p>") for text in paragraphs],
        source_author=source_author[:200],
        source_outlet=source_outlet[:200],
        source_url=source_url[:500],
        live=False,
    )
    section.add_child(instance=article)
    article.save_revision(user=user)
    workflow = article.get_workflow()
    if workflow is not None:
        workflow.start(article, user)
    return article
