"""Count views of book pages served from the anonymous page cache, where the view does not run;
keep cached pages in step with categories and topic plans."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from moduong.core.services import page_cache_invalidate
from moduong.core.signals import cached_page_served

from . import events, services, tasks
from .models import BookCategory, BookFile, TopicPlan, TopicPlanItem


@receiver(cached_page_served)
def _count_cached_view(request: HttpRequest, response: HttpResponse, **kwargs: object) -> None:
    book_id = getattr(response, "counted_book_id", None)
    if book_id is not None and request.method == "GET":
        services.book_event_record(book_id=book_id, event="view")


@receiver([post_save, post_delete], sender=BookCategory)
@receiver([post_save, post_delete], sender=TopicPlan)
@receiver([post_save, post_delete], sender=TopicPlanItem)
def _listing_changed(**kwargs: object) -> None:
    page_cache_invalidate()


@receiver(post_delete, sender=BookFile)
def _file_deleted(instance: BookFile, **kwargs: object) -> None:
    services.book_file_forget(book_file=instance)


@receiver(events.book_file_check_due)
def book_file_epubcheck_queue(sender: Any, file_id: int, **kwargs: Any) -> None:
    tasks.book_file_epubcheck.enqueue(file_id)


@receiver(events.book_file_text_due)
def book_file_text_extract_queue(sender: Any, file_id: int, **kwargs: Any) -> None:
    tasks.book_file_text_extract.enqueue(file_id)


@receiver(events.book_events_pending)
def book_events_queue(sender: Any, book_id: int, event: str, count: int, **kwargs: Any) -> None:
    tasks.book_events_flush.enqueue(book_id, event, count)
