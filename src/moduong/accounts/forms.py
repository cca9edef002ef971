from typing import Any

from allauth.account.fields import EmailField
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from moduong.core import vntext

from . import services, validators
from .captcha import VietnameseCaptchaField
from .models import User, username_key


def phone_field() -> forms.CharField:
    # Longer than a stored number so that pasted junk gets the phone message, not "too long".
    return forms.CharField(
        label=_("Phone number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class PersonalFieldsMixin:
    """Name, phone and address are checked the same way wherever a person types them."""

    cleaned_data: dict

    def clean_full_name(self) -> str:
        return validators.clean_full_name(self.cleaned_data.get("full_name", ""))

    def clean_phone(self) -> str:
        return validators.clean_phone(self.cleaned_data.get("phone", ""))

    def clean_address(self) -> str:
        return validators.clean_address(self.cleaned_data.get("address", ""))


class VietnameseEmailField(EmailField):
    """Says plainly why "nguyễn@…" is refused instead of a bare "not valid"."""

    def validate(self, value: str) -> None:
        super().validate(value)
        validators.clean_email_ascii(value)


class SignupForm(PersonalFieldsMixin, AllauthSignupForm):
    """The reference portal's registration form, field for field."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = phone_field()
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    captcha = VietnameseCaptchaField()

    field_order = [
        "username",
        "password1",
        "password2",
        "email",
        "full_name",
        "phone",
        "address",
        "captcha",
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        self.fields["email"] = VietnameseEmailField(required=email.required, widget=email.widget)
        labels = {
            "username": _("Username"),
            "password1": _("Password"),
            "password2": _("Confirm password"),
            "email": _("Email"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["username"].help_text = _(
            "3 to 150 characters: letters, digits and @ . + - _ only."
        )
        self.fields["password1"].help_text = _(
            "At least 8 characters, not only digits, not a common password and not like your"
            " username."
        )
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        # "street-address" is for multi-line boxes only; this one is a single line.
        self.fields["address"].widget.attrs["autocomplete"] = "address-line1"
        honeypot = self.fields.get("website")
        if honeypot is not None:
            # allauth pushes the trap 99999px to the right, which makes phones scroll sideways.
            honeypot.label = _("Leave this field empty")
            honeypot.is_trap = True  # type: ignore[attr-defined]
            honeypot.widget.attrs.pop("style", None)
            honeypot.widget.attrs["autocomplete"] = "off"  # allauth's "nope" is not valid HTML
        self.fields["username"].error_messages["min_length"] = _(
            "A username needs at least %(limit_value)d characters."
        )

    def custom_signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        assert isinstance(user, User)
        services.user_profile_update(
            user=user,
            full_name=self.cleaned_data["full_name"],
            phone=self.cleaned_data["phone"],
            address=self.cleaned_data["address"],
        )


class LoginForm(AllauthLoginForm):
    def clean_login(self) -> str:
        """A username is found however it is typed: any case, NFD, old or new tone style."""
        login = vntext.normalize(self.cleaned_data["login"]).strip()
        if "@" not in login:
            user = User.objects.filter(username_key=username_key(login)).only("username").first()
            if user is not None:
                return user.username
        return login

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["password"].label = _("Password")
        # allauth puts a "forgot your password?" link in the help; the page has its own.
        self.fields["password"].help_text = ""
        for field in ("login", "password"):
            self.fields[field].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Remember me")


class ProfileForm(PersonalFieldsMixin, forms.ModelForm):
    phone = phone_field()

    class Meta:
        model = User
        fields = ["full_name", "phone", "address"]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's admin login, whose password field has no label of its own (Django then shows
    its English field name, "Password")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
