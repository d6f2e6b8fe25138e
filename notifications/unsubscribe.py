"""One-click unsubscribe (RFC 8058): signed links that need no login.

A token names one person and one list and carries a random nonce. It is
signed with the project's key under this module's salt, so it cannot be
forged, cannot be edited to name someone else or another list, and cannot
be used with any other signed value on the site. Using it records the nonce
(``Unsubscription``), so the same link works once: a replay changes nothing.
It does one thing only: turn that person's list off.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from core import site

SALT = "notifications.unsubscribe"
# Each list is one switch on NotificationSettings; a link turns off exactly
# that switch and nothing else.
LISTS: dict[str, tuple[str, object]] = {
    "digest": ("digest_frequency", "off"),
    "workshop_invitations": ("immediate_workshop_invitations", False),
    "signoff_requests": ("immediate_signoff_requests", False),
    "membership_decisions": ("immediate_membership_decisions", False),
    "partnership_decisions": ("immediate_partnership_decisions", False),
}
LIST_LABELS = {
    "digest": "the activity digest",
    "workshop_invitations": "e-mails inviting you to workshops",
    "signoff_requests": "e-mails asking you to sign off a partnership",
    "membership_decisions": "e-mails about your membership being approved or rejected",
    "partnership_decisions": "e-mails about a lead council accepting or declining your council",
}


@dataclass(frozen=True)
class UnsubscribeToken:
    user_id: int
    list_name: str
    nonce: str


def make_token(user, list_name: str) -> str:
    if list_name not in LISTS:
        raise ValueError(f"No mailing list called {list_name!r}.")
    payload = {"u": user.pk, "l": list_name, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> UnsubscribeToken | None:
    """The token's contents, or None if it was not made by ``make_token``
    (forged, edited, truncated or signed for something else)."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, list_name, nonce = payload.get("u"), payload.get("l"), payload.get("n")
    if not isinstance(user_id, int) or list_name not in LISTS or not isinstance(nonce, str):
        return None
    return UnsubscribeToken(user_id=user_id, list_name=list_name, nonce=nonce)


def unsubscribe_url(user, list_name: str) -> str:
    return site.absolute_url(
        reverse("notifications:unsubscribe", kwargs={"token": make_token(user, list_name)})
    )


def headers_for(user, list_name: str) -> dict[str, str]:
    """RFC 8058 headers: mail clients show an "Unsubscribe" button that POSTs
    ``List-Unsubscribe=One-Click`` to the link, with no login and no page."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
