import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from moduong.news.models import ArticlePage
from moduong.news.tasks import article_reads_flush


@pytest.mark.django_db(transaction=True)  # the worker closes its connections as in production
def test_worker_runs_a_queued_task_from_the_database(site) -> None:
    article = ArticlePage.objects.first()
    before = article.read_count
    result = article_reads_flush.using(backend="database").enqueue(article.pk, 7)
    assert result.status == TaskResultStatus.READY
    article.refresh_from_db()
    assert article.read_count == before  # nothing ran yet: it waits for the worker

    call_command("db_worker", "--backend", "database", "--batch", verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 7
    article.refresh_from_db()
    assert article.read_count == before + 7
