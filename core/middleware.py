"""Request and response hygiene that every door needs, so no view has to
remember it.

- ``RejectHostileInputMiddleware``: a NUL byte can never be a valid value
  (PostgreSQL refuses it in text, so it would otherwise surface as a 500
  wherever a parameter reaches a query). A request carrying one in its path,
  query string or form fields is answered 400 before any view runs, in the
  format the client asked for.
- ``SecurityHeadersMiddleware``: ``Permissions-Policy`` on every response,
  and ``Cache-Control: private`` on every response to a signed-in person, so
  a shared proxy never stores a page with someone's data in it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

NUL = "\x00"
DATABASE_DOWN = "The database is not answering. Try again in a minute."
NUL_MESSAGE = "The request contains a NUL character, which is never valid here."


def wants_json(request: HttpRequest) -> bool:
    """API clients (and anything asking for JSON) get errors as JSON."""
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 in the format the client asked for."""
    if wants_json(request):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    return False


class RejectHostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return bad_request(request, NUL_MESSAGE)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that has gone away answers 503 in the client's format (JSON
    for the API, plain text for CSV downloads, a styled page otherwise), with
    ``Retry-After``, instead of a generic 500 after a long wait."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)


def is_database_unavailable(exception: BaseException | None) -> bool:
    """Whether an exception means the database is not answering (down,
    unreachable, or the connection dropped mid-request)."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """The 503 for a database that is not answering, in the client's format:
    JSON for the API, plain text for CSV downloads, a styled page otherwise.
    Used by the middleware (failures in views) and by ``handler500``
    (failures before the view, such as loading the session or the user)."""
    logger.error("Database unavailable for %s (%s)", request.path, type(exception).__name__)
    if wants_json(request):
        response = JsonResponse({"detail": DATABASE_DOWN}, status=503)
    elif request.path_info.endswith(".csv"):
        response = HttpResponse(DATABASE_DOWN, status=503, content_type="text/plain; charset=utf-8")
    else:
        # No context processors: they would ask the database again.
        html = loader.get_template("errors/503.html").render()
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if _signed_in(request):
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response


def _signed_in(request: HttpRequest) -> bool:
    """Whether the response may carry someone's data. Asks only what the
    request already knows (the user if a view loaded it, else whether a
    session cookie came with it), so it adds no query to any page."""
    user = request.__dict__.get("_cached_user")
    if user is not None:
        return bool(user.is_authenticated)
    return settings.SESSION_COOKIE_NAME in request.COOKIES
