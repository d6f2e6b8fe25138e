"""The outbox: the one way a service hands off its side effects.

A service calls ``notify(...)`` inside its transaction. The ``Activity`` row
is written there and then, so the action and its record commit or roll back
together; the e-mails (and, once the live board exists, its Channels events)
are sent only after the transaction commits, so nobody is told about
something that was rolled back. No service calls ``send_mail`` itself.

Digests and feeds read the same ``Activity`` rows, so everything that
happens is told the same way whichever door it came through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction

from .emails import Email, deliver
from .models import Activity
from .services import record_activity

# A live event for the board: (group name, message dict). The board's channel
# layer sender registers itself here (swot.apps).
Event = tuple[str, dict[str, Any]]
_event_senders: list[Callable[[Event], None]] = []


def register_event_sender(sender: Callable[[Event], None]) -> None:
    """Let a live door (the board's channel layer) receive events on commit."""
    if sender not in _event_senders:
        _event_senders.append(sender)


def notify(
    *,
    verb: str,
    actor=None,
    target: models.Model | None = None,
    organisation=None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    emails: Iterable[Email] = (),
    event: Event | None = None,
) -> Activity:
    """Record that ``actor`` did ``verb`` to ``target`` and, after commit,
    send ``emails`` (built by ``notifications.emails``) and ``event``.

    Must be called inside the service's ``transaction.atomic`` block.
    """
    activity = record_activity(
        verb=verb,
        actor=actor,
        organisation=organisation,
        target=target,
        summary=summary,
        data=data,
    )
    send_after_commit(emails)
    if event is not None and _event_senders:
        transaction.on_commit(lambda: [send(event) for send in list(_event_senders)])
    return activity


def publish(event: Event) -> None:
    """Send a live ``event`` to the board once the current transaction commits.

    For changes that are not activity anyone's feed or digest should carry
    (an item added to a board, a vote): they go to the live doors only, and
    only if the change is saved."""
    if _event_senders:
        transaction.on_commit(lambda: [send(event) for send in list(_event_senders)])


def send_after_commit(emails: Iterable[Email]) -> None:
    """Send ``emails`` through Celery once the current transaction commits
    (at once when there is none). For messages that are not activity anyone
    else should read, such as allauth's confirmations and password resets;
    everything else goes through ``notify``."""
    messages = [message for message in emails if message.to]
    if messages:
        transaction.on_commit(lambda: deliver(messages))
