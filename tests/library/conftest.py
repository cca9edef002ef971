from __future__ import annotations

import io

import pytest

from moduong.library import selectors, services
from moduong.library.models import BookPage

from .helpers import epub


@pytest.fixture
def library(site):  # type: ignore[no-untyped-def]
    found = selectors.library_page()
    assert found is not None, "the demo has the e-book library"
    return found


@pytest.fixture
def make_book(library):  # type: ignore[no-untyped-def]
    def make(
        title: str = "Chuyện làng ven sông", content: bytes | None = None, **fields
    ) -> BookPage:  # type: ignore[no-untyped-def]
        book = services.book_create(library=library, title=title, **fields)
        data = epub(title) if content is None else content
        services.book_file_create(
            book=book,
            stream=io.BytesIO(data),
            size=len(data),
            name="sach.epub",
            apply_metadata=True,
            publish_changes=True,
            run_epubcheck=False,
        )
        return BookPage.objects.get(pk=book.pk)

    return make


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True, username="bientap")
