"""The index follows publishing, editing, unpublishing, moving and deleting, through a
background task queued once the editor's transaction has committed, never inside the request."""

from __future__ import annotations

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from moduong.core.events import content_changed

from . import tasks


def _queue(obj: models.Model) -> None:
    if not getattr(obj, "search_kind", None) or obj.pk is None:
        return

    content_type_id = ContentType.objects.get_for_model(type(obj)).pk
    transaction.on_commit(
        partial(tasks.search_entry_sync.enqueue, content_type_id, obj.pk), robust=True
    )


@receiver(page_published)
@receiver(content_changed)
def _page_changed(sender: type[Page], instance: Page, **kwargs: object) -> None:
    _queue(instance)


@receiver(page_unpublished)
def _page_unpublished(sender: type[Page], instance: Page, **kwargs: object) -> None:
    _queue_subtree(instance.pk)  # what belongs to it (an exchange's questions) goes with it


def _queue_subtree(page_id: int) -> None:
    transaction.on_commit(partial(tasks.search_subtree_sync.enqueue, page_id), robust=True)


@receiver(post_page_move)
def _page_moved(sender: type[Page], instance: Page, **kwargs: object) -> None:
    _queue_subtree(instance.pk)  # the addresses below it changed


@receiver(post_save)
def _saved(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    if isinstance(instance, PageViewRestriction):
        _queue_subtree(instance.page_id)  # pages below became private
    elif not isinstance(instance, Page):
        # Pages are followed through publishing: saving a draft changes nothing readers see.
        _queue(instance)


@receiver(post_delete)
def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    if isinstance(instance, PageViewRestriction):
        _queue_subtree(instance.page_id)
    else:
        _queue(instance)
