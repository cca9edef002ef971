import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType

from moduong.news.models import ArticlePage
from moduong.search.backends import get_backend
from moduong.search.documents import Document
from moduong.search.services import search_entries_write

BASE = dt.datetime(2025, 1, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def index(db) -> Callable[[list[str]], list[Document]]:  # type: ignore[no-untyped-def]
    """An empty index, then these texts as documents: text i is i days newer than text 0, so
    an order that puts an earlier text first comes from the ranking, not from the dates."""
    get_backend().clear()
    content_type = ContentType.objects.get_for_model(ArticlePage)

    def load(texts: list[str], kind: str = "article") -> list[Document]:
        documents = [
            Document(
                content_type_id=content_type.pk,
                object_id=900_000 + number,
                kind=kind,
                title=f"Mục {number}",
                body=text,
                url=f"/muc-{number}/",
                date=BASE + dt.timedelta(days=number),
                section_key="s1" if number % 2 == 0 else "s2",
                section_title="Chẵn" if number % 2 == 0 else "Lẻ",
            )
            for number, text in enumerate(texts)
        ]
        search_entries_write(documents=documents)
        return documents

    return load
