import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from moduong.accounts import validators
from moduong.accounts.captcha import VietnameseCaptchaField
from moduong.core import vntext
from moduong.units import selectors as units
from moduong.units.models import Commune, Province, Unit

from . import conf
from .models import Contest, ParticipantProfile

# A citizen identity card (CCCD) has 12 digits; the old identity card (CMND) 9.
_ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")


class RegistrationForm(forms.Form):
    """The fields the contest asks for, filled in once per contest."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date such as 30/01/1990.")},
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", "—"), *ParticipantProfile.GENDER_CHOICES],
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        empty_label=_("— Choose your unit —"),
    )
    id_number = forms.CharField(
        label=_("ID number (optional)"),
        max_length=50,
        required=False,
        help_text=_("12 digits of a citizen identity card, or 9 of an old identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers process the personal data above for this contest,"
            " under Decree 13/2023/NĐ-CP."
        ),
        error_messages={
            "required": _("Please agree to the processing of your personal data to take part.")
        },
    )

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        self._places(contest)
        required = {
            "date_of_birth": contest.require_date_of_birth,
            "gender": contest.require_gender,
            "phone": contest.require_phone,
            "unit": contest.require_unit,
        }
        for name, needed in required.items():
            self.fields[name].required = needed
        if not contest.ask_id_number:
            del self.fields["id_number"]
        if not contest.require_gender:
            del self.fields["gender"]
        if not contest.require_unit:
            self.fields["unit"].label = _("Unit (optional)")
        for name, field in self.fields.items():
            if name != "consent":
                field.error_messages["required"] = _("Please fill in this field.")
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def _places(self, contest: Contest) -> None:
        """Province, then the communes of the chosen province (the page's script fills them in
        as a province is chosen; without it, choosing a province and sending the form shows its
        communes)."""
        version = units.admin_unit_version_current()
        if version is None:
            return
        province_field = forms.ModelChoiceField(
            label=_("Province or city"),
            queryset=Province.objects.filter(version=version),
            required=contest.require_province,
            error_messages={"invalid_choice": _("Please choose a province from the list.")},
        )
        province_field.choices = [("", "—")] + [
            (p.pk, p.name) for p in units.provinces_list(version=version)
        ]
        province = None
        chosen = self.data.get("province") if self.is_bound else None
        if chosen and str(chosen).isdigit():
            province = Province.objects.filter(version=version, pk=int(chosen)).first()
        commune_field = forms.ModelChoiceField(
            label=_("Commune or ward"),
            queryset=Commune.objects.filter(province=province)
            if province
            else Commune.objects.none(),
            required=contest.require_province,
            error_messages={
                "invalid_choice": _("Please choose a commune of the chosen province."),
            },
        )
        if province is not None:
            commune_field.choices = [("", "—")] + [
                (c.pk, c.name) for c in units.communes_list(province=province)
            ]
        else:
            commune_field.choices = [("", _("Choose the province first"))]
            commune_field.help_text = _(
                "Choose the province and send the form: its communes will then be listed here."
            )
        self.fields["province"] = province_field
        self.fields["commune"] = commune_field
        self.order_fields(
            ["full_name", "date_of_birth", "gender", "phone", "unit", "province", "commune"]
        )

    def clean_full_name(self) -> str:
        value = validators.clean_full_name(self.cleaned_data.get("full_name", ""))
        if not value:
            raise ValidationError(_("Please fill in this field."))
        return value

    def clean_phone(self) -> str:
        return validators.clean_phone(self.cleaned_data.get("phone", ""))

    def clean_date_of_birth(self) -> dt.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born and not dt.date(1900, 1, 1) <= born <= dt.date.today():
            raise ValidationError(_("Please check the date of birth."))
        return born

    def clean_id_number(self) -> str:
        value = vntext.normalize(self.cleaned_data.get("id_number", "")).replace(" ", "")
        if value and not _ID_NUMBER.match(value):
            raise ValidationError(
                _("An ID number has 12 digits (citizen identity card) or 9 (old identity card).")
            )
        return value

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "date_of_birth": data.get("date_of_birth"),
            "gender": data.get("gender", ""),
            "phone": data.get("phone", ""),
            "unit_id": data["unit"].pk if data.get("unit") else None,
            "province_id": data["province"].pk if data.get("province") else None,
            "commune_id": data["commune"].pk if data.get("commune") else None,
            "id_number": data.get("id_number", ""),
            "consent": data["consent"],
        }


class StartForm(forms.Form):
    """Starting an attempt asks for the captcha (unless the operator turned it off)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if conf.start_captcha():
            self.fields["captcha"] = VietnameseCaptchaField()


class FinishForm(forms.Form):
    prediction = forms.CharField(
        label=_("Your prediction"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    essay = forms.CharField(
        label=_("Your essay"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
