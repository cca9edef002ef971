"""Checks for the personal fields readers type in, with messages in Vietnamese."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from moduong.core import vntext

# Letters of any script (Vietnamese included), spaces, and the few marks names carry.
_NAME = re.compile(r"^[^\W\d_]+(?:[ .'\-][^\W\d_]+)*\.?$")
_MARKUP = re.compile(r"[<>{}\\]")


def clean_full_name(value: str) -> str:
    value = vntext.clean_line(value)
    if value and not _NAME.match(value):
        raise ValidationError(
            _("A full name may contain only letters, spaces, dots, apostrophes and hyphens."),
            code="invalid_name",
        )
    return value


def clean_phone(value: str) -> str:
    """A Vietnamese number, kept in the national form (0912345678)."""
    value = vntext.normalize(value).strip()
    if not value:
        return ""
    message = _("Please enter a Vietnamese phone number, for example 0912 345 678.")
    if not re.fullmatch(r"[0-9+ ().\-]{8,20}", value):
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code="invalid_phone") from error
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")
    return "0" + str(number.national_number)


def clean_address(value: str) -> str:
    if vntext.has_control_characters(value) or _MARKUP.search(value):
        raise ValidationError(
            _("An address may not contain the characters < > { } or \\."),
            code="invalid_address",
        )
    return vntext.clean_line(value)


def clean_email_ascii(value: str) -> str:
    if any(ord(ch) > 127 for ch in value):
        raise ValidationError(
            _(
                "An email address cannot contain Vietnamese letters with accents."
                " Please type it without accents, for example nguyen.an@example.vn."
            ),
            code="invalid_email",
        )
    return value
