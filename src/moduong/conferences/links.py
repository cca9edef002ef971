"""A connection point's reporting link: the point and its conference, with an expiry, signed by
the site (django.core.signing). Whoever holds the link reports for that point of that
conference, and for nothing else; a link changed by one character, expired, or of another
conference is refused before anything is read or written."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.core import signing
from django.utils import timezone

_SALT = "moduong.conferences.point-link"


class PointLink(NamedTuple):
    conference_id: int
    point_id: int
    expires_at: dt.datetime


def point_link_sign(*, conference_id: int, point_id: int, expires_at: dt.datetime) -> str:
    return signing.dumps(
        [conference_id, point_id, int(expires_at.timestamp())], salt=_SALT, compress=True
    )


def point_link_read(token: str) -> PointLink | None:
    """The link's content, or None when it is not the site's or has expired."""
    try:
        conference_id, point_id, expires = signing.loads(token, salt=_SALT)
        link = PointLink(
            int(conference_id), int(point_id), dt.datetime.fromtimestamp(int(expires), dt.UTC)
        )
    except (signing.BadSignature, TypeError, ValueError, OverflowError):
        return None
    if link.expires_at <= timezone.now():
        return None
    return link
