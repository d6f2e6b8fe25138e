"""Last visit: when a signed-in person last looked at the platform, so their
next digest starts after what they have already seen.

The service writes at most once per ``VISIT_RESOLUTION``; this middleware
also remembers the time of its last write in the session, so a throttled
page view costs no query at all (the session is loaded for the signed-in
user anyway, and is only saved again when the time is refreshed). Signing in
counts as a visit and starts the clock (``record_visit_on_login``), so the
pages right after a login add nothing either.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services.preferences import VISIT_RESOLUTION, record_visit

SESSION_KEY = "notifications.visit_recorded_at"


def _due(request: HttpRequest, now: float) -> bool:
    recorded = request.session.get(SESSION_KEY)
    if not isinstance(recorded, int | float):
        return True
    # A clock that went backwards (or a tampered value) also refreshes.
    return not (0 <= now - recorded < VISIT_RESOLUTION.total_seconds())


def _remember(request: HttpRequest, now: float) -> None:
    request.session[SESSION_KEY] = now


def note_visit(request: HttpRequest) -> None:
    """Record the visit if the session has not done so recently."""
    now = time.time()
    if _due(request, now):
        record_visit(request.user)
        _remember(request, now)


def record_visit_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: signing in is a visit."""
    if request is None or not hasattr(request, "session"):
        return
    record_visit(user)
    _remember(request, time.time())


class RecordVisitMiddleware:
    """After a successful HTML GET by a signed-in person, note the visit.

    Only pages count: an API call, a download, a redirect or an error is not
    someone reading the platform."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and hasattr(request, "session")
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            note_visit(request)
        return response
