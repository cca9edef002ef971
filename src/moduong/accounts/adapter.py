from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from moduong.core import vntext
from moduong.core.network import client_address

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

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's limits (log-in, sign-up, password reset) key on the same address as
        every other limit of the site."""
        return client_address(request)

    def can_delete_email(self, email_address) -> bool:  # type: ignore[no-untyped-def]
        """The last address of an account stays: without it a reader could not reset a
        password, and the address would be free for someone else to claim."""
        others = email_address.user.emailaddress_set.exclude(pk=email_address.pk)
        return others.exists() and super().can_delete_email(email_address)

    def clean_email(self, email: str) -> str:
        email = vntext.normalize(email).strip()
        try:
            clean_email_ascii(email)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="invalid") from error
        return super().clean_email(email)
