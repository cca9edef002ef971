"""What content is searchable, and the document the index keeps for one object.

Content declares itself: a model with a `search_kind` (a short key such as "article") and
Wagtail's `search_fields` is in the portal's search. Its `index.SearchField`s give the text; a
page's parent is its section; `date`, `first_published_at` or `created_at` give the date. A model
may refine this with optional methods, so a later app (books, letters, exchanges) plugs in with a
few lines and no change here:

    search_kind = "letter"
    search_fields = [index.SearchField("question"), index.SearchField("answer")]
    def search_is_public(self) -> bool: return self.status == "answered"
    def search_section(self) -> tuple[str, str]: return ("ban-doc", "Bạn đọc và NXB")

`search` never imports a content app: models are found through Django's app registry.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from moduong.core import vntext
from moduong.core.selectors import page_is_public


@dataclass(frozen=True)
class Document:
    content_type_id: int
    object_id: int
    kind: str
    title: str
    body: str
    url: str
    date: dt.datetime | None
    section_key: str = ""
    section_title: str = ""


def searchable_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if getattr(model, "search_kind", None) and hasattr(model, "get_search_fields")
    ]


def kinds() -> list[tuple[str, str]]:
    """(key, label) of every kind of content in the search, for the type filter."""
    seen: dict[str, str] = {}
    for model in searchable_models():
        seen.setdefault(model.search_kind, str(model._meta.verbose_name))  # type: ignore[attr-defined]
    return sorted(seen.items(), key=lambda item: vntext.sort_key(item[1]))


def _flatten(value: Any) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _flatten(item)
    else:
        yield str(value)


_BLANK_LINES = re.compile(r"\n\s*\n")


def plain_text(value: Any) -> str:
    """Searchable content as plain, normalised text: tags stripped, entities decoded."""
    parts = (html.unescape(strip_tags(part)) for part in _flatten(value))
    text = "\n".join(part.strip() for part in parts if part.strip())
    # Blank lines inside a field become line breaks: a blank line separates fields (FIELD_BREAK).
    return vntext.clean_input(_BLANK_LINES.sub("\n", text))


# Between two fields of a document's body: the index keeps phrases from matching across it.
# Within a field, plain_text() joins pieces with single line breaks only.
FIELD_BREAK = "\n\n"


def _body(obj: models.Model) -> str:
    fields = [
        field
        for field in obj.get_search_fields()  # type: ignore[attr-defined]
        if isinstance(field, index.SearchField) and field.field_name not in {"title", "slug"}
    ]
    # The title is indexed on its own: a field that repeats it (a letter's subject, a
    # question's text) is left out, and the same text in two fields is kept once.
    texts: list[str] = [vntext.clean_line(str(getattr(obj, "title", obj)))]
    for text in (plain_text(f.get_value(obj)) for f in fields):
        if text and text not in texts and vntext.clean_line(text) not in texts:
            texts.append(text)
    return FIELD_BREAK.join(texts[1:])


def _date(obj: models.Model) -> dt.datetime | None:
    for name in ("search_date", "date", "first_published_at", "created_at"):
        value = getattr(obj, name, None)
        if callable(value):
            value = value()
        if isinstance(value, dt.datetime):
            return value
    return None


class Context:
    """Look-ups shared by the documents of one rebuild, so a rebuild of thousands of pages does
    not run one query per page for its section and its access rules."""

    def __init__(self) -> None:
        self._parents: dict[str, tuple[str, str]] = {}
        self._restricted: list[str] | None = None

    def restricted_paths(self) -> list[str]:
        if self._restricted is None:
            self._restricted = list(
                PageViewRestriction.objects.values_list("page__path", flat=True)
            )
        return self._restricted

    def parent(self, page: Page) -> tuple[str, str]:
        path = page.path[: -page.steplen]
        if path not in self._parents:
            parent = Page.objects.filter(path=path).values("id", "title", "depth").first()
            # The site root and the home page are not sections.
            if parent is None or parent["depth"] <= 2:
                self._parents[path] = ("", "")
            else:
                self._parents[path] = (str(parent["id"]), parent["title"])
        return self._parents[path]


def is_public(obj: models.Model, context: Context | None = None) -> bool:
    """What readers may find: a page that core's one visibility rule calls public, and content
    that belongs to a page (its `search_page_field`) only while that page is public."""
    context = context or Context()
    if isinstance(obj, Page) and (
        not page_is_public(obj, context.restricted_paths()) or obj.get_url() is None
    ):
        return False
    page_field = getattr(obj, "search_page_field", None)
    if page_field and not page_is_public(getattr(obj, page_field), context.restricted_paths()):
        return False
    check = getattr(obj, "search_is_public", None)
    return bool(check()) if callable(check) else True


def document_for(obj: models.Model, context: Context | None = None) -> Document | None:
    """The index document of a published object, or None when readers must not find it."""
    context = context or Context()
    if not getattr(obj, "search_kind", None) or not is_public(obj, context):
        return None
    section = getattr(obj, "search_section", None)
    if callable(section):
        section_key, section_title = section()
    elif isinstance(obj, Page):
        section_key, section_title = context.parent(obj)
    else:
        section_key, section_title = "", ""
    url = obj.get_url() if isinstance(obj, Page) else obj.get_absolute_url()  # type: ignore[attr-defined]
    return Document(
        content_type_id=ContentType.objects.get_for_model(type(obj)).pk,
        object_id=obj.pk,
        kind=obj.search_kind,  # type: ignore[attr-defined]
        title=vntext.clean_line(str(getattr(obj, "title", obj))),
        body=_body(obj),
        url=url,
        date=_date(obj),
        section_key=str(section_key),
        section_title=vntext.clean_line(section_title),
    )


def published(model: type[models.Model]) -> models.QuerySet[Any]:
    """Every object of a model that may be in the index (the rest is checked per object)."""
    if issubclass(model, Page):
        return model.objects.live().order_by("pk")  # type: ignore[attr-defined]
    return model._default_manager.order_by("pk")
