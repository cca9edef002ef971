"""The editor's upload form for e-book files: the file is checked before anything is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import ebooks, services


class BookFileForm(WagtailAdminModelForm):
    upload = forms.FileField(
        label=_("EPUB or PDF file"),
        help_text=_("EPUB 2 or 3, or PDF; at most 500 MB."),
    )
    apply_metadata = forms.BooleanField(
        label=_("Fill the book's empty fields and cover from the file"),
        required=False,
        initial=True,
        help_text=_("For a published book this makes a draft for you to review and publish."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspection: tuple[ebooks.Inspection, str] | None = None
        if self.instance.pk:  # a stored file is never replaced: upload a new one instead
            for name in ("upload", "apply_metadata", "book"):
                self.fields.pop(name, None)

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return upload
        try:
            self.inspection = services.book_file_inspect(stream=upload, size=upload.size)
        except services.Rejected as error:
            raise forms.ValidationError(str(error), code="rejected") from error
        return upload
