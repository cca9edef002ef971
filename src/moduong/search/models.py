"""The search index: one row per published, searchable object.

The row keeps what a result shows (title, section, date, address, the plain text for snippets).
The word lists that are matched live beside it, written by the backend in use: an FTS5 table on
SQLite, tsvector columns with GIN indexes on PostgreSQL (see the migration and backends/).
Nothing here imports a content app: content declares itself searchable (documents.py).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    kind = models.CharField(_("type"), max_length=40)
    section_key = models.CharField(max_length=64, blank=True)
    section_title = models.CharField(_("section"), max_length=255, blank=True)
    title = models.TextField(_("title"))
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_entry_unique_object"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "-date"], name="search_entry_kind_date"),
        ]

    def __str__(self) -> str:
        return self.title
