"""Error pages: every failure a reader can reach ends here, in Vietnamese, never a traceback."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("moduong.errors")


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        400,
        _("The request could not be understood"),
        _("The address or the data sent is not valid. Please go back and try again."),
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("You do not have access to this page"),
        _("Please log in with an account that has access, or go back to the home page."),
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Page not found"),
        _(
            "The page you are looking for does not exist or has been moved. Try the search box"
            " or the menu above."
        ),
    )


@requires_csrf_token
def uri_too_long(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        414,
        _("The address is too long"),
        _(
            "The address of this page is longer than the site accepts. Please check the link,"
            " or start again from the home page or the search box."
        ),
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    try:
        body = loader.get_template("core/500.html").render({})
    except Exception:  # the page itself failed too (a static file missing from the manifest)
        # Said in plain words rather than with a second traceback, which would reach the reader.
        logger.exception("The 500 page could not be made; the plain one was sent")
        title = escape(_("The site is having a problem"))
        text = escape(
            _(
                "Something went wrong on our side and has been recorded for the technical team."
                " Please try again in a few minutes."
            )
        )
        body = (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body><main><h1>{title}</h1><p>{text}</p>"
            f'<p><a href="/">{escape(_("Back to the home page"))}</a></p></main></body></html>'
        )
    return HttpResponse(body, status=500)


def busy(request: HttpRequest) -> HttpResponse:
    """A lock waited for too long (see core.locks): nothing was changed, try again."""
    message = _(
        "This data is being updated by another task. Nothing was changed: please try again in"
        " a moment."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message}, status=503, headers={"Retry-After": "5"})
    response = _error_page(request, 503, _("The system is busy"), message)
    response["Retry-After"] = "5"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return _error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "For your safety the form could not be sent: it has expired or was opened from"
            " another site. Please reload the page and send it again."
        ),
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
