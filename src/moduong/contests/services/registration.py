"""Registration: a person's details, once per contest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext

from ..errors import ContestError
from ..models import Contest, ParticipantProfile


def address_hash(address: str) -> str:
    if not address:
        return ""
    return salted_hmac("moduong.contests.address", address, algorithm="sha256").hexdigest()


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def participant_register(
    *,
    contest: Contest,
    user: User,
    full_name: str,
    date_of_birth: dt.date | None = None,
    gender: str = "",
    phone: str = "",
    unit_id: int | None = None,
    province_id: int | None = None,
    commune_id: int | None = None,
    id_number: str = "",
    consent: bool,
    address: str = "",
) -> ParticipantProfile:
    """The contest's registration fields, filled in once per contest. `address`, the network
    address the registration came from, is kept only as a keyed hash (for the report of
    many accounts from one place)."""
    if not consent:
        raise ContestError(
            _("Please agree to the processing of your personal data to take part."), "consent"
        )
    if contest.excluded_users.filter(pk=user.pk).exists():
        raise ContestError(_("Organisers of this contest may not take part in it."), "excluded")
    if (
        contest.min_age
        and date_of_birth is not None
        and _age_on(date_of_birth, timezone.localdate()) < contest.min_age
    ):
        raise ContestError(
            _("This contest is open to people aged %(age)d and over.") % {"age": contest.min_age},
            "too_young",
        )
    existing = ParticipantProfile.objects.filter(contest=contest, user=user).first()
    if existing is not None:
        return existing
    fields: dict[str, Any] = {
        "full_name": vntext.clean_line(full_name),
        "date_of_birth": date_of_birth,
        "gender": gender,
        "phone": phone,
        "unit_id": unit_id,
        "province_id": province_id,
        "commune_id": commune_id,
        "id_number": id_number,
        "consent_at": timezone.now(),
        "address_hash": address_hash(address),
    }
    try:
        with transaction.atomic():
            return ParticipantProfile.objects.create(contest=contest, user=user, **fields)
    except IntegrityError:  # the same person's second tab registered at the same instant
        return ParticipantProfile.objects.get(contest=contest, user=user)
