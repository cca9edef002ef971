"""A connection point's reporting link: the point and its conference, with an expiry and the
point's link version, signed by the site (django.core.signing). Whoever holds the link reports
for that point of that conference, and for nothing else; a link changed by one character,
expired, or of another conference is refused before anything is read or written. Raising the
point's `link_version` (services.point_link_reissue) revokes every link given before it."""

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
    version: int = 1


def point_link_sign(
    *, conference_id: int, point_id: int, expires_at: dt.datetime, version: int = 1
) -> str:
    return signing.dumps(
        [conference_id, point_id, int(expires_at.timestamp()), version], salt=_SALT, compress=True
    )


def point_link_read(token: str) -> PointLink | None:
    """The link's content, or None when it is not the site's or has expired. Links signed
    before versions existed carry three values: they are version 1."""
    try:
        values = signing.loads(token, salt=_SALT)
        conference_id, point_id, expires = values[:3]
        version = values[3] if len(values) > 3 else 1
        link = PointLink(
            int(conference_id),
            int(point_id),
            dt.datetime.fromtimestamp(int(expires), dt.UTC),
            int(version),
        )
    except (signing.BadSignature, TypeError, ValueError, OverflowError, KeyError, IndexError):
        return None
    if link.expires_at <= timezone.now():
        return None
    return link
