"""Every write to an account goes through here."""

import logging

from django.db import transaction

from .models import User

logger = logging.getLogger("moduong.accounts")


@transaction.atomic
def user_profile_update(*, user: User, full_name: str, phone: str, address: str) -> User:
    user.full_name = full_name
    user.phone = phone
    user.address = address
    user.save(update_fields=["full_name", "phone", "address"])
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and the personal data held with it (Decree 13/2023/NĐ-CP).

    Email addresses and confirmations go with the user through cascading keys; sessions on
    other devices stop working at once, since the user they name no longer exists.
    """
    user_id = user.pk
    user.delete()
    logger.info("account %s deleted at its owner's request", user_id)
