"""/api/v1/monitoring: the command line's verbs for the office's own tools. Logged-in officers
with the monitoring permissions only: what outlets write is gathered for the office, not
republished to everyone."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from . import selectors, services
from .models import KIND_FEED, KIND_HTML

router = Router(tags=["monitoring"])


class ErrorOut(Schema):
    message: str


class SourceIn(Schema):
    url: str = Field(max_length=500)
    name: str = Field("", max_length=200)
    outlet: str = Field("", max_length=200)
    html: bool = Field(False, description="An HTML listing page rather than a feed.")


class SourceOut(Schema):
    id: int
    name: str
    outlet: str
    url: str
    kind: str
    state: str
    last_error: str


class RuleIn(Schema):
    name: str = Field(max_length=200)
    expression: str = Field(max_length=2000)


class RuleOut(Schema):
    id: int
    name: str
    expression: str


class FetchOut(Schema):
    fetched: int
    unchanged: int
    failed: int
    new_items: int


class MentionOut(Schema):
    rule: str
    title: str
    url: str
    outlet: str
    published: dt.datetime
    snippet: str = Field(description="Plain text around the match (escape it when shown).")
    highlight: str = Field(description="The part of the snippet that matched.")
    cluster: int | None = Field(description="The story cluster of the item.")


class MentionsQuery(Schema):
    rule: str = Field("", max_length=200)
    since: dt.date | None = None


def _officer(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):  # type: ignore[union-attr]
        raise HttpError(403, _("You do not have the right to use monitoring."))


@router.post(
    "/sources",
    response={201: SourceOut, 400: ErrorOut, 403: ErrorOut},
    auth=django_auth,
    summary="Add a source",
)
def source_add(request: HttpRequest, data: SourceIn) -> Status:
    _officer(request, "monitoring.add_source")
    try:
        source = services.source_add(
            url=data.url,
            name=data.name,
            outlet=data.outlet,
            kind=KIND_HTML if data.html else KIND_FEED,
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, source)


@router.post(
    "/rules",
    response={201: RuleOut, 400: ErrorOut, 403: ErrorOut},
    auth=django_auth,
    summary="Add a rule",
)
def rule_add(request: HttpRequest, data: RuleIn) -> Status:
    _officer(request, "monitoring.add_rule")
    try:
        rule = services.rule_add(name=data.name, expression=data.expression)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, rule)


@router.post(
    "/fetch",
    response={200: FetchOut, 403: ErrorOut},
    auth=django_auth,
    summary="One pass over the due sources",
)
def fetch(request: HttpRequest) -> object:
    _officer(request, "monitoring.change_source")
    return services.sources_fetch()


@router.get(
    "/mentions",
    response={200: list[MentionOut], 403: ErrorOut},
    auth=django_auth,
    summary="Mentions, newest first",
)
def mentions(request: HttpRequest, query: Query[MentionsQuery]) -> object:
    _officer(request, "monitoring.view_match")
    since = None
    if query.since is not None:
        since = timezone.make_aware(dt.datetime.combine(query.since, dt.time()))
    found = selectors.mentions_list(rule_name=query.rule, since=since)
    return [selectors.mention_as_dict(m) for m in found]
