"""Count reads of articles served from the anonymous page cache, where the view does not run."""

from typing import Any

from django.dispatch import receiver
from django.http import HttpResponse

from moduong.core.signals import cached_page_served

from . import events, services, tasks


@receiver(cached_page_served)
def _count_cached_read(response: HttpResponse, **kwargs: object) -> None:
    article_id = getattr(response, "counted_article_id", None)
    if article_id is not None:
        services.article_read_record(article_id=article_id)


@receiver(events.article_reads_pending)
def article_reads_queue(sender: Any, article_id: int, reads: int, **kwargs: Any) -> None:
    tasks.article_reads_flush.enqueue(article_id, reads)
