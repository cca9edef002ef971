from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class EnrolmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx) in the template's format"),
        error_messages={"required": _("Please choose a file.")},
    )
