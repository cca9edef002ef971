"""Readers' side: the short address of a QR code, subscribing, confirming, unsubscribing."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from moduong.core.network import client_address
from moduong.core.pageviews import page_view
from moduong.core.services import per_address, rate_limit_exceeded

from . import selectors, services
from .forms import SubscribeForm
from .models import BulletinIndexPage, EditionPage, SeriesPage

UNKNOWN = 404
RETIRED = 410
# Each request for a pending address mails it a confirmation again: from one address, a few
# an hour are a forgetful reader, more are someone filling other people's inboxes.
SUBSCRIBE_PER_HOUR = 10


@never_cache
@require_http_methods(["GET", "HEAD"])
def qr_redirect(request: HttpRequest, code: str = "") -> HttpResponse:
    """302 (never 301: a code can be re-pointed, and a browser keeps a 301 for ever) to where
    the code leads now. Anything that is not a live code gets a page in Vietnamese and is not
    counted."""
    target = selectors.code_target(code=code)
    if target is None:
        retired = selectors.code_is_well_formed(code) and selectors.code_is_retired(code=code)
        return render(
            request,
            "bulletins/code_unknown.html",
            {"retired": retired},
            status=RETIRED if retired else UNKNOWN,
        )
    if request.method == "GET":
        services.scan_record(
            target=target,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            address=client_address(request),
        )
    if target.url is None:  # a series with no edition published yet
        return render(request, "bulletins/code_unknown.html", {"waiting": True})
    return HttpResponseRedirect(target.url)


@page_view("bulletins.index_context")
def index_context(request: HttpRequest, index: BulletinIndexPage, context: dict) -> dict:
    context["series_list"] = selectors.series_list(index=index)
    return context


@page_view("bulletins.series_context")
def series_context(request: HttpRequest, series: SeriesPage, context: dict) -> dict:
    context["years"] = selectors.editions_by_year(series=series)
    return context


@page_view("bulletins.edition_context")
def edition_context(request: HttpRequest, edition: EditionPage, context: dict) -> dict:
    context["series"] = edition.get_parent().specific
    context["print"] = selectors.edition_print(edition=edition)
    return context


@page_view("bulletins.print_pdf")
def print_pdf(request: HttpRequest, edition: EditionPage, size: str) -> FileResponse:
    printed = selectors.edition_print(edition=edition)
    file = printed.file_for(size) if printed else None
    if not file:
        raise Http404
    return FileResponse(
        file.open("rb"), content_type="application/pdf", filename=f"{edition.slug}-{size}.pdf"
    )


@page_view("bulletins.subscribe")
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest, series: SeriesPage) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and rate_limit_exceeded(
            request=request,
            action="bulletins-subscribe",
            rate=per_address(SUBSCRIBE_PER_HOUR, "h"),
        )
    ):
        form.add_error(None, "Bạn đã gửi quá nhiều yêu cầu đăng ký. Hãy thử lại sau một giờ.")
        return render(
            request, "bulletins/subscribe.html", {"page": series, "form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        services.subscriber_subscribe(series=series, email=form.cleaned_data["email"])
        # The same answer whether the address was new, pending or already subscribed: the
        # form tells nobody who reads what.
        messages.success(
            request,
            "Cảm ơn bạn. Nếu địa chỉ này chưa đăng ký, một thư xác nhận vừa được gửi đến:"
            " hãy bấm vào liên kết trong thư để bắt đầu nhận bản tin.",
        )
        return redirect(series.url + "dang-ky/")
    return render(request, "bulletins/subscribe.html", {"page": series, "form": form})


@require_http_methods(["GET", "HEAD"])
def confirm(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        subscriber = services.subscriber_confirm(signed=signed)
    except services.BulletinError as error:
        return render(request, "bulletins/subscription.html", {"error": error.message}, status=400)
    return render(
        request, "bulletins/subscription.html", {"confirmed": True, "series": subscriber.series}
    )


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link scanner that follows links must not unsubscribe anyone); POST, from the
    page's button or from a mail client's one-click button, does it."""
    if request.method == "POST":
        subscriber = services.subscriber_unsubscribe(token=token)
        if subscriber is None:
            return render(request, "bulletins/subscription.html", {"unknown": True}, status=404)
        return render(
            request, "bulletins/subscription.html", {"left": True, "series": subscriber.series}
        )
    subscriber = selectors.subscriber_by_token(token=token)
    if subscriber is None:
        return render(request, "bulletins/subscription.html", {"unknown": True}, status=404)
    return render(
        request,
        "bulletins/unsubscribe.html",
        {"subscriber": subscriber, "series": subscriber.series},
    )


@page_view("bulletins.print_status")
def print_status(request: HttpRequest, edition: EditionPage) -> HttpResponse:
    """The print files' block of the web edition, polled by htmx while they are being made."""
    return render(
        request,
        "bulletins/includes/print_files.html",
        {"page": edition, "print": selectors.edition_print(edition=edition)},
    )
