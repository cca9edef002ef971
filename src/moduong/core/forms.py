from typing import Any

from django.forms.renderers import TemplatesSetting
from wagtail.documents.forms import BaseDocumentForm

from . import uploads


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
