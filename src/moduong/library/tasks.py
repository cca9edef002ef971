from django_tasks import task

from . import services


@task()
def book_file_epubcheck(file_id: int) -> str:
    return services.book_file_epubcheck(file_id=file_id)


@task()
def book_file_text_extract(file_id: int) -> int:
    return services.book_file_text_extract(file_id=file_id)


@task()
def book_events_flush(book_id: int, event: str, count: int) -> int:
    return services.book_events_add(book_id=book_id, event=event, count=count)
