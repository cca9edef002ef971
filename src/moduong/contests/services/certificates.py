"""Certificates of participation: issued once per submitted attempt, with a random code that
the public verification page looks up."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ContestError
from ..models import Attempt, Certificate

# No 0/O, 1/I: a code is read off paper and typed.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _certificate_code() -> str:
    raw = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in (0, 4, 8))


def certificate_issue(*, attempt: Attempt, now: dt.datetime | None = None) -> Certificate:
    """The attempt's certificate, issued with a new random code the first time it is asked for
    and the same one every time after."""
    if attempt.submitted_at is None:
        raise ContestError(_("This attempt has not been submitted yet."), "not_submitted")
    existing = Certificate.objects.filter(attempt_id=attempt.pk).first()
    if existing is not None:
        return existing
    for _try in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    attempt_id=attempt.pk, code=_certificate_code(), issued_at=now or timezone.now()
                )
        except IntegrityError:
            # The same attempt's other download got in first, or (rarely) the code was taken.
            existing = Certificate.objects.filter(attempt_id=attempt.pk).first()
            if existing is not None:
                return existing
    raise ContestError(_("The certificate could not be issued. Please try again."), "busy")
