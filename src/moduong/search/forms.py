from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from moduong.core import vntext

from .backends import SearchFilters
from .documents import kinds
from .selectors import sections

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_PAGE = 1000


class QueryField(forms.CharField):
    """Control characters (NUL included) are dropped before validation: a pasted query with a
    stray byte is searched, not refused."""

    def to_python(self, value: Any) -> str:
        return vntext.clean_input(super().to_python(value))


class SearchForm(forms.Form):
    """The search page and the API read the same parameters through this form."""

    q = QueryField(label=_("Search words"), required=False, strip=False)
    loai = forms.ChoiceField(label=_("Type"), required=False)
    chuyen_muc = forms.ChoiceField(label=_("Section"), required=False)
    tu_ngay = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS)
    den_ngay = forms.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS)
    trang = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loai"].choices = [("", _("All types")), *kinds()]
        self.fields["chuyen_muc"].choices = [("", _("All sections")), *sections()]
        self.fields["tu_ngay"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["den_ngay"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""

    def filters(self) -> SearchFilters:
        data = self.cleaned_data

        def day_start(day: dt.date | None) -> dt.datetime | None:
            return dt.datetime.combine(day, dt.time(), vntext.VN_TZ) if day else None

        end = data.get("den_ngay")
        return SearchFilters(
            kind=data.get("loai") or "",
            section_key=data.get("chuyen_muc") or "",
            date_from=day_start(data.get("tu_ngay")),
            date_to=day_start(end + dt.timedelta(days=1)) if end else None,
        )
