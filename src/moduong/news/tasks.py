from django_tasks import task

from . import services


@task()
def article_reads_flush(article_id: int, reads: int) -> int:
    return services.article_reads_add(article_id=article_id, reads=reads)
