from allauth.account.adapter import DefaultAccountAdapter
from confusable_homoglyphs import confusables
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _

from moduong.core import vntext
from moduong.core.network import client_address

from .models import User, username_key, username_skeleton
from .validators import clean_email_ascii


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = vntext.normalize(username).strip()
        username = super().clean_username(username, shallow=shallow)
        _refuse_misleading_username(username)
        if not shallow and User.objects.filter(username_key=username_key(username)).exists():
            raise forms.ValidationError(
                _("This username is already taken. Please choose another one."),
                code="username_taken",
            )
        if (
            not shallow
            and User.objects.filter(username_skeleton=username_skeleton(username)).exists()
        ):
            raise forms.ValidationError(
                _(
                    "This username looks the same as one already in use (letters of another"
                    " alphabet, or a dot or dash more or less). Please choose another one."
                ),
                code="username_confusable",
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


def _refuse_misleading_username(username: str) -> None:
    """Names that pass for something they are not: a phone or ID number, an email address
    (someone else's, perhaps: the login box takes both), a mix of alphabets."""
    bare = username_key(username).translate(str.maketrans("", "", "._-+ "))
    if bare.isdigit():
        raise forms.ValidationError(
            _("A username cannot be only digits: add at least one letter."),
            code="username_digits",
        )
    try:
        validate_email(username)
    except ValidationError:
        pass
    else:
        raise forms.ValidationError(
            _("A username cannot be an email address. Please choose a name without “@”."),
            code="username_email",
        )
    if confusables.is_dangerous(username):
        raise forms.ValidationError(
            _(
                "This username mixes letters of different alphabets that look alike (for"
                " example a Cyrillic “а” among Latin letters). Please type it in one alphabet."
            ),
            code="username_mixed_script",
        )
