"""A reader while an unpublish is not yet committed, on the real PostgreSQL and Redis.

Wagtail's bulk unpublish and its delete view run inside a transaction: the signals that make
cached pages stale come before the commit. A reader in between still reads the article as live
and stores the pages it renders under the generations already moved; those copies must not
outlive the commit."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings

from moduong.core.services import page_cache_invalidate
from moduong.news.models import ArticlePage
from moduong.news.selectors import article_list

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(PAGE_CACHE_SECONDS=60)
def test_pages_a_reader_made_during_an_unpublish_leave_with_its_commit(site) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    article = ArticlePage.objects.get(pk=article_list().first().pk)
    url, title = article.url, article.title
    page_cache_invalidate()
    seen: dict[str, tuple[int, str]] = {}

    def reader() -> None:
        try:
            for address in (url, "/"):
                response = Client().get(address)
                seen[address] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    with transaction.atomic():  # as Wagtail's bulk action holds it
        article.unpublish()
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(60)
    # The reader came before the commit: it still saw the article, and cached what it saw.
    assert seen[url][0] == 200 and title in seen["/"][1]

    assert Client().get(url).status_code == 404
    assert title not in Client().get("/").content.decode()
