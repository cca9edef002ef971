from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from moduong.core import vntext

from .models import User, username_key
from .validators import clean_email_ascii


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = vntext.normalize(username).strip()
        username = super().clean_username(username, shallow=shallow)
        if not shallow and User.objects.filter(username_key=username_key(username)).exists():
            raise forms.ValidationError(
                _("This username is already taken. Please choose another one."),
                code="username_taken",
            )
        return username

    def clean_email(self, email: str) -> str:
        email = vntext.normalize(email).strip()
        try:
            clean_email_ascii(email)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="invalid") from error
        return super().clean_email(email)
