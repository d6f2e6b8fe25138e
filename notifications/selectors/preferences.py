"""Reads about people's notification settings that a door needs before it
changes anything: what an unsubscribe link stands for."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from ..models import Unsubscription
from ..unsubscribe import LIST_LABELS, UnsubscribeToken, read_token


class LinkState(enum.Enum):
    INVALID = "invalid"  # forged, edited, or its person has gone
    USED = "used"  # already unsubscribed with this link
    READY = "ready"


@dataclass(frozen=True)
class UnsubscribeLink:
    state: LinkState
    token: UnsubscribeToken | None = None

    @property
    def list_label(self) -> str:
        return LIST_LABELS[self.token.list_name] if self.token else ""


def unsubscribe_link(raw: str) -> UnsubscribeLink:
    """What a link from an e-mail is, without changing anything: the page
    shows "not valid", "already unsubscribed" or the button from this. A
    link for someone no longer active is not valid (there is nothing to
    change); one whose nonce is recorded has been used."""
    token = read_token(raw)
    if token is None:
        return UnsubscribeLink(LinkState.INVALID)
    if not get_user_model().objects.filter(pk=token.user_id, is_active=True).exists():
        return UnsubscribeLink(LinkState.INVALID)
    if Unsubscription.objects.filter(nonce=token.nonce).exists():
        return UnsubscribeLink(LinkState.USED, token)
    return UnsubscribeLink(LinkState.READY, token)
