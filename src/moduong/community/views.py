from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from moduong.accounts.captcha import (
    captcha_carried_initial,
    captcha_mode_apply,
    captcha_switch_requested,
)
from moduong.core.pageviews import page_view
from moduong.core.pagination import paginate
from moduong.core.services import per_address, rate_limit_exceeded

from . import selectors, services
from .forms import LetterForm, QuestionForm
from .models import LETTER_PAGE_SIZE, ExchangeIndexPage, ExchangePage, LettersPage

# How often a reader's open exchange page asks for new answers. See answers_poll.
POLL_SECONDS = 3


def rate(name: str, default: int) -> int:
    """A limit from the settings (tests override them) or else the environment."""
    value = getattr(settings, name, None)
    return int(value if value is not None else os.environ.get(name, default))


def over_limit(request: HttpRequest, scope: str, per_hour: int) -> bool:
    """An hour's window per client address, counted in the shared cache (Redis)."""
    return rate_limit_exceeded(
        request=request, action=f"community-{scope}", rate=per_address(per_hour, "h")
    )


@page_view("community.letters_listing")
def letters_listing(request: HttpRequest, page: LettersPage) -> HttpResponse:
    letters = paginate(request, selectors.letters_public(page=page), per_page=LETTER_PAGE_SIZE)
    return page.render(request, context_overrides={"letters": letters})


@page_view("community.letter_permalink")
def letter_permalink(request: HttpRequest, page: LettersPage, letter_id: int) -> HttpResponse:
    """A published letter's lasting address: to the page of the listing that shows it now."""
    number = selectors.letter_listing_number(page=page, letter_id=letter_id)
    if number is None:
        raise Http404
    query = f"?trang={number}" if number > 1 else ""
    return redirect(f"{page.url}{query}#thu-{letter_id}")


@page_view("community.letter_send")
def letter_send(request: HttpRequest, page: LettersPage) -> HttpResponse:
    switching = captcha_switch_requested(request)
    if switching:
        form = LetterForm(initial=captcha_carried_initial(request), user=request.user)
    else:
        form = LetterForm(request.POST or None, request.FILES or None, user=request.user)
    captcha_mode_apply(form, request)
    if request.method == "POST" and not switching:
        if over_limit(request, "letter", rate("LETTERS_RATE_PER_HOUR", 10)):
            return render(request, "429.html", status=429)
        if form.is_robot:
            # Answered as if accepted, so the robot learns nothing; nothing is stored.
            return redirect(page.url + "gui-thu/?da-gui=1")
        if form.is_valid():
            try:
                services.letter_create(
                    page=page,
                    **form.writer(),
                    subject=form.cleaned_data["subject"],
                    message=form.cleaned_data["message"],
                    attachment=form.cleaned_data["attachment"],
                    attachment_type=form.attachment_type,
                )
            except services.Duplicate:
                form.add_error(
                    None,
                    _(
                        # Said to the same writer only, whatever became of the letter since.
                        "You have already sent this letter and the editors have it."
                        " There is no need to send it again."
                    ),
                )
            else:
                return redirect(page.url + "gui-thu/?da-gui=1")
    return page.render(
        request,
        template="community/letter_form.html",
        context_overrides={"form": form, "sent": request.GET.get("da-gui") == "1"},
    )


@page_view("community.exchange_detail")
def exchange_detail(request: HttpRequest, page: ExchangePage) -> HttpResponse:
    form = None
    if page.is_open_for_questions:
        form = QuestionForm(user=request.user)
        captcha_mode_apply(form, request)
    return _exchange_render(request, page, form, sent=request.GET.get("da-gui") == "1")


@page_view("community.question_send")
def question_send(request: HttpRequest, page: ExchangePage) -> HttpResponse:
    if request.method != "POST":
        query = request.META.get("QUERY_STRING", "")
        return redirect(page.url + (f"?{query}" if query else ""))
    if captcha_switch_requested(request):
        form = QuestionForm(initial=captcha_carried_initial(request), user=request.user)
        captcha_mode_apply(form, request)
        return _exchange_render(request, page, form, sent=False)
    form = QuestionForm(request.POST, user=request.user)
    captcha_mode_apply(form, request)
    if not page.is_open_for_questions:
        form.add_error(None, _("This exchange has ended and no longer takes questions."))
    elif over_limit(request, "question", rate("QUESTIONS_RATE_PER_HOUR", 20)):
        return render(request, "429.html", status=429)
    elif form.is_robot:
        return redirect(page.url + "?da-gui=1#dat-cau-hoi")
    elif form.is_valid():
        try:
            services.question_create(
                exchange=page,
                **form.writer(),
                place=form.cleaned_data["place"],
                text=form.cleaned_data["text"],
            )
        except services.Duplicate:
            form.add_error("text", _("This question has already been sent to the exchange."))
        else:
            return redirect(page.url + "?da-gui=1#dat-cau-hoi")
    return _exchange_render(request, page, form, sent=False)


def _exchange_render(
    request: HttpRequest, page: ExchangePage, form: QuestionForm | None, *, sent: bool
) -> HttpResponse:
    """The exchange's page, as first shown and as shown again with the errors of a question."""
    answers = selectors.answers_published(exchange_id=page.pk)
    context = {
        "answers": answers,
        "answers_version": answers[-1].sequence if answers else 0,
        "state": page.state(),
        "poll_seconds": POLL_SECONDS,
        "guests": list(page.guests.select_related("photo")),
        "form": form,
        "sent": sent,
    }
    return page.render(request, context_overrides=context)


# Live answers reach readers by htmx polling, not server-sent events. An SSE stream holds one
# connection open per reader for the whole exchange: 1,000 readers would be 1,000 busy
# gunicorn threads (our sync/threaded workers, no ASGI server in the stack), and many office
# proxies buffer or cut long responses. A poll every POLL_SECONDS is a short request like any
# other, goes through nginx and any cache unchanged, and is answered from one cache read:
# "204 nothing new" when the reader already has the newest answer (htmx then leaves the page
# alone), else the few new answers, rendered once per (from, to) pair and kept in the cache
# until the next published answer; an ETag lets plain HTTP clients revalidate for free.
# bench/exchange.py measures it at 1,000 simultaneous readers.
@require_safe  # GET, and HEAD for monitors and link checkers
def answers_poll(request: HttpRequest, exchange_id: int) -> HttpResponse:
    try:
        after = max(0, int(request.GET.get("sau", 0)))
    except (TypeError, ValueError):
        after = 0
    version = selectors.answers_version(exchange_id=exchange_id)
    if version is None:
        raise Http404
    etag = f'"{exchange_id}-{after}-{version}"'
    if after >= version:
        response = HttpResponse(status=204)
    elif request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(
            selectors.answers_fragment(
                exchange_id=exchange_id, after=after, version=version, poll_seconds=POLL_SECONDS
            )
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@page_view("community.exchanges_context")
def exchanges_context(index: ExchangeIndexPage, context: dict[str, Any]) -> dict[str, Any]:
    """What the page of online exchanges (ExchangeIndexPage) lists."""
    context["exchanges"] = selectors.exchange_list(index=index)
    return context
