"""The refusals of the contests app, below every layer so that models' neighbours, selectors
and services raise the same ones."""

from __future__ import annotations

from django.utils.translation import gettext as _


class ContestError(Exception):
    """A refusal a participant sees as it is: a sentence in Vietnamese. Nothing was changed."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class AttemptNotFound(ContestError):
    def __init__(self) -> None:
        super().__init__(_("This attempt does not exist or is not yours."), "not_found")


class LoginExpired(ContestError):
    """The caller's login no longer holds (account deactivated, or the session withdrawn by a
    new password): the API answers 401 and ends the session."""

    def __init__(self) -> None:
        super().__init__(_("Please log in first."), "login")
