"""What other apps hold about a person, for "download my data" (Decree 13/2023/NĐ-CP).

accounts may not import a domain app, so each app that keeps personal data registers a reader
here from its AppConfig.ready(): the arrow points from the app to accounts, never back."""

from collections.abc import Callable
from typing import Any

Reader = Callable[[Any], Any]

_READERS: dict[str, Reader] = {}


def personal_data_register(key: str, reader: Reader) -> None:
    """`reader(user)` returns what the app holds about `user`, as JSON-ready data under `key`
    (a Vietnamese name without marks, like the account's own keys)."""
    _READERS[key] = reader


def personal_data_readers() -> dict[str, Reader]:
    return dict(sorted(_READERS.items()))
