import re
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from wagtail.admin.widgets.slug import SlugInput
from wagtail.documents.forms import BaseDocumentForm

from . import uploads, vntext


class FormRenderer(TemplatesSetting):
    """Every form on the site renders its fields the same accessible way."""

    field_template_name = "core/forms/field.html"
    form_template_name = "core/forms/form.html"


class DocumentForm(BaseDocumentForm):
    """Wagtail's documents (admin → Tài liệu) go through the site's one upload check too: a
    PDF that runs a script is refused here as it is in readers' letters and the library."""

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        is_new = file and file is not self.original_file
        if is_new and (uploads.sniff(file) == "pdf" or (file.name or "").lower().endswith(".pdf")):
            uploads.check_pdf(file)
        return file


class VietnameseSlugInput(SlugInput):
    """Wagtail's slug box, whose script folds Vietnamese first: a title typed in the admin gets
    the slug vntext.slugify makes on the server (đường → duong), never Wagtail's transliteration
    (đ → dj, marked letters dropped)."""

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.pop("formatters", None)
        super().__init__(attrs, formatters=vntext.SLUG_FORMATTERS, **kwargs)


class VietnameseSlugField(forms.SlugField):
    """A slug an editor types ("Đà Nẵng", "tin-tức") is cleaned the way vntext.slugify cleans a
    title before it is validated, so a browser without the script gets the same slug."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value and not _ASCII_SLUG.fullmatch(value):
            value = vntext.slugify(value, max_length=self.max_length or 255)
        return value


_ASCII_SLUG = re.compile(r"[-a-z0-9_]+")
