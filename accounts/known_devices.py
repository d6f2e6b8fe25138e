"""Known devices: why a stranger cannot lock a council admin out.

allauth stops password guessing by counting failed sign-ins per account
("5 in 5 minutes"). Counted that way alone, anyone who knows an admin's
address can lock them out on purpose. So the count is kept per account *and
device*: a browser in which the person has signed in before carries a signed
``known_device`` cookie, and its failures are counted apart from everyone
else's. A stranger's guesses still hit the limit (for every unknown device),
but the person, on a device they have used, can still sign in with the right
password. The cookie proves only "this browser signed in as this person
before"; it never skips the password or the second factor.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

COOKIE_NAME = "known_device"
SALT = "accounts.known-device"
MAX_AGE_SECONDS = 180 * 24 * 60 * 60


def remember_device(response: HttpResponseBase, user) -> None:
    """After a complete sign-in, mark this browser as one ``user`` uses."""
    value = signing.dumps({"user": user.pk, "device": secrets.token_urlsafe(12)}, salt=SALT)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=MAX_AGE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def device_of(request: HttpRequest, user_id: int | None) -> str | None:
    """The device id this browser holds for ``user_id``, if it signed in as them before."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw or user_id is None:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user_id:
        return None
    device = data.get("device")
    return device if isinstance(device, str) else None
