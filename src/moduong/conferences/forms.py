"""The point's one-screen report form: built for the conference's attendance categories."""

from __future__ import annotations

import copy
import functools
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
            name = f"cat_{category.pk}"
            if name not in self.fields:  # a checking form has them already (point_report_checked)
                self.fields[name] = _category_field(category.name)

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


def _category_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": _("The number of people cannot be negative.")},
    )


class _SharedFields(dict):  # type: ignore[type-arg]
    """A form's fields that every form of its class uses as they are: Django copies a form's
    fields deeply for each form (so that one form may change its own), which is most of what
    building the report's form cost."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


@functools.lru_cache(maxsize=64)
def _checking_form(category_ids: tuple[int, ...]) -> type[PointReportForm]:
    class PointReportCheck(PointReportForm):
        pass

    fields = _SharedFields(copy.deepcopy(PointReportForm.base_fields))
    fields.update({f"cat_{pk}": _category_field("") for pk in category_ids})
    PointReportCheck.base_fields = fields
    return PointReportCheck


def point_report_checked(
    data: Any, files: Any, *, categories: list[AttendanceCategory]
) -> PointReportForm:
    """The report's form for the day's rush path, which only checks what was sent (the same
    fields, the same checks and messages as PointReportForm) and is never shown: its fields,
    built once per set of categories (at most a form's 50) in this process, are not copied
    for each report. A form that is shown (the page, a refusal) is a PointReportForm."""
    form_class = _checking_form(tuple(c.pk for c in categories))
    return form_class(data, files, categories=categories)
