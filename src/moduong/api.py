"""The one JSON API, under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json. Each app
that has public JSON endpoints adds its router here."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from moduong.awards.api import router as awards_router
from moduong.community.api import router as community_router
from moduong.conferences.api import router as conferences_router
from moduong.contests.api import router as contests_router
from moduong.library.api import router as library_router
from moduong.monitoring.api import router as monitoring_router
from moduong.search.api import router as search_router
from moduong.training.api import router as training_router

_ERROR = {
    "type": "object",
    "properties": {"message": {"type": "string", "description": "In Vietnamese, for a person."}},
    "required": ["message"],
}
_INVALID = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["message", "errors"],
}
# What every operation of a kind may answer besides its own declared statuses: refusals made by
# the framework around the view (the parameters' validation, the login, the CSRF check, a body
# that is not JSON), which a view cannot declare for itself.
_SHARED_REFUSALS = {
    "422": ("The parameters or the body do not match this schema.", _INVALID),
    "400": ("The body is not JSON, or a value is refused (see message).", _ERROR),
    "401": ("Not logged in.", _ERROR),
    "403": ("The CSRF check failed (a logged-in browser must send X-CSRFToken).", _ERROR),
    "404": ("No such object.", _ERROR),
}


class MoDuongAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The schema with every status the API really answers (schemathesis checks it)."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                params = operation.get("parameters", [])
                statuses = set()
                if params or "requestBody" in operation:
                    statuses.add("422")
                if "requestBody" in operation:
                    statuses.add("400")
                if operation.get("security"):
                    statuses.add("401")
                    if method != "get":
                        statuses.add("403")
                if any(param.get("in") == "path" for param in params):
                    statuses.add("404")
                responses = operation.setdefault("responses", {})
                for status in sorted(statuses - set(responses)):
                    description, body = _SHARED_REFUSALS[status]
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": body}},
                    }
        return schema


# No interactive docs page: it would load its script from a CDN, and nothing here is fetched
# at run time. The schema is what clients and fuzzers read.
api = MoDuongAPI(
    title="Mở Đường API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,
    description="Public read endpoints of a Mở Đường portal.",
)
api.add_router("/search", search_router)
api.add_router("/", community_router)
api.add_router("/books", library_router)
api.add_router("/contests", contests_router)
api.add_router("/training", training_router)
api.add_router("/awards", awards_router)
api.add_router("/conferences", conferences_router)
api.add_router("/monitoring", monitoring_router)


def _ninja_message(exc: HttpError) -> str:
    """ninja's own refusals speak English ("Unauthorized", "CSRF check Failed", "Cannot parse
    request body"); ours are already in Vietnamese and pass through."""
    if isinstance(exc, AuthenticationError):
        return _("Please log in first.")
    text = str(exc)
    if text.startswith("CSRF check Failed"):
        return _(
            "The form has expired or was sent from another site (CSRF check). Reload the page"
            " and try again."
        )
    if text.startswith("Cannot parse request body"):
        return _("The request body could not be read: it must be valid JSON.")
    return text


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"message": _ninja_message(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"message": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"message": _("The parameters are not valid."), "errors": exc.errors}, status=422
    )
