"""The point's one-screen report form: built for the conference's attendance categories."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from moduong.core.uploads import check_size

from .models import AttendanceCategory, LinkTest

#: The service checks the bytes again; this refuses a huge upload before it is read into memory.
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class PointReportForm(forms.Form):
    link_test = forms.ChoiceField(
        label=_("Link test"),
        choices=[(v, label) for v, label in LinkTest.choices if v],
        widget=forms.RadioSelect,
        required=False,
    )
    link_test_note = forms.CharField(
        label=_("Note on the link test"), max_length=500, required=False
    )
    linked = forms.BooleanField(label=_("Linked (on the day)"), required=False)
    photo = forms.FileField(label=_("Photo of the room (optional)"), required=False)

    def __init__(self, *args: Any, categories: list[AttendanceCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            self.fields[f"cat_{category.pk}"] = forms.IntegerField(
                label=category.name,
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={"min_value": _("The number of people cannot be negative.")},
            )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            check_size(photo, size=photo.size, limit=MAX_PHOTO_BYTES)
        return photo

    def attendance(self) -> dict[int, int] | None:
        values = {c.pk: self.cleaned_data.get(f"cat_{c.pk}") for c in self.categories}
        if all(v is None for v in values.values()):
            return None
        return {k: v or 0 for k, v in values.items()}

    def category_fields(self) -> list[Any]:
        return [self[f"cat_{c.pk}"] for c in self.categories]
