"""/api/v1/awards: published awards, and the results the council confirmed, ranked within each
category by any of the three methods. Results are public only once confirmed, and a row's prize
is always the prize the council gave (by its confirmed method): ranked by another method, the
API shows where an entry would stand, never a prize it did not receive."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from . import selectors
from .models import PRIZE_LEVELS

router = Router(tags=["awards"])


class ErrorOut(Schema):
    message: str


class AwardCategoryOut(Schema):
    id: int
    name: str
    prize_a: int
    prize_b: int
    prize_c: int
    prize_kk: int


class AwardOut(Schema):
    slug: str
    title: str
    intro: str
    published_from: dt.date
    published_until: dt.date
    entries_open_at: dt.datetime
    entries_close_at: dt.datetime
    results_confirmed: bool
    confirmed_method: str
    categories: list[AwardCategoryOut]


class ResultRowOut(Schema):
    rank: int = Field(description="Rank in its category by the requested method (1 is best).")
    entry_id: int
    title: str
    authors: list[str]
    outlet: str
    unit: str
    category: str
    score: float = Field(description="Score by the requested method.")
    tied: bool = Field(
        description="Equal score with a neighbour by the requested method, ordered by the "
        "award's tie rule."
    )
    prize: str = Field(
        description="The prize level the council confirmed for the entry (A, B, C, KK), by the "
        "confirmed method whatever method is requested; empty when it received none."
    )
    prize_label: str = Field(description="The confirmed prize's name; empty when none.")


class ResultsOut(Schema):
    award: str
    method: Literal["mean", "zscore", "trimmed"] = Field(
        description="The method the entries are ranked by."
    )
    confirmed_method: str = Field(
        description="The method the council confirmed: the one that decided the prizes."
    )
    entries: list[ResultRowOut]


def _award(award: Any) -> dict[str, Any]:
    return {
        "slug": award.slug,
        "title": award.title,
        "intro": award.intro,
        "published_from": award.published_from,
        "published_until": award.published_until,
        "entries_open_at": award.entries_open_at,
        "entries_close_at": award.entries_close_at,
        "results_confirmed": bool(award.confirmed_method),
        "confirmed_method": award.confirmed_method,
        "categories": list(award.categories.all()),
    }


@router.get("", response=list[AwardOut], summary="Published awards")
def award_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_award(a) for a in selectors.award_list_published().prefetch_related("categories")]


@router.get("/{slug}", response={200: AwardOut, 404: ErrorOut}, summary="One award")
def award_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    award = selectors.award_get_published(slug=slug)
    if award is None:
        raise HttpError(404, _("There is no such award."))
    return _award(award)


class ResultsQuery(Schema):
    method: Literal["mean", "zscore", "trimmed"] = "mean"


@router.get(
    "/{slug}/results",
    response={200: ResultsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Confirmed results, entries in rank order within each category",
)
def award_results(request: HttpRequest, slug: str, query: Query[ResultsQuery]) -> dict[str, Any]:
    award = selectors.award_get_published(slug=slug)
    if award is None:
        raise HttpError(404, _("There is no such award."))
    if not award.confirmed_method:
        raise HttpError(404, _("The results have not been published yet."))
    found = selectors.award_results(award=award)
    if found is None:
        raise HttpError(404, _("The results have not been published yet."))
    labels = dict(PRIZE_LEVELS)
    # Another method's prizes are hypothetical: only the ones the council gave are published.
    awarded = {p.entry_id: p.level for p in selectors.prizes_published(award=award)}
    rows = []
    for category, ranked in found.by_category(query.method):
        for r in ranked:
            entry = found.entries[r.entry]
            rows.append(
                {
                    "rank": r.rank,
                    "entry_id": entry.pk,
                    "title": entry.title,
                    "authors": entry.author_list,
                    "outlet": entry.outlet,
                    "unit": entry.unit.name if entry.unit else "",
                    "category": category.name,
                    "score": round(r.score, 6),
                    "tied": r.tied,
                    "prize": awarded.get(entry.pk, ""),
                    "prize_label": str(labels.get(awarded.get(entry.pk, ""), "")),
                }
            )
    return {
        "award": award.slug,
        "method": query.method,
        "confirmed_method": award.confirmed_method,
        "entries": rows,
    }
