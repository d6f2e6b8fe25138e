"""Who is at a board right now: one ``Presence`` row per live connection
(a websocket, or a polling client), refreshed while it lives.

A person with two tabs open is present once; they leave when their last
connection closes or stops refreshing (``selectors.board.PRESENCE_TIMEOUT``).
Only arrivals and departures are broadcast, as small deltas: sending the
whole list on every change would cost participants² messages' worth of
bytes while a 200-person room fills up.
"""

from __future__ import annotations

from django.utils import timezone

from notifications import outbox

from ..models import Participant, Presence
from ..selectors.board import PRESENCE_TIMEOUT, participant_dict


def _live_elsewhere(participant: Participant, connection: str) -> bool:
    cutoff = timezone.now() - PRESENCE_TIMEOUT
    return (
        Presence.objects.filter(participant=participant, seen_at__gte=cutoff)
        .exclude(connection=connection)
        .exists()
    )


def touch(participant: Participant, connection: str) -> bool:
    """Record that ``connection`` (a channel name, or ``poll:<session>``) is
    alive. Returns whether the person has just arrived (and, if so, tells the
    board)."""
    arrived = (
        not _live_elsewhere(participant, connection)
        and not Presence.objects.filter(
            connection=connection, seen_at__gte=timezone.now() - PRESENCE_TIMEOUT
        ).exists()
    )
    Presence.objects.update_or_create(
        connection=connection,
        defaults={
            "workshop_id": participant.workshop_id,
            "participant": participant,
            "seen_at": timezone.now(),
        },
    )
    if arrived:
        outbox.publish(
            (
                participant.workshop.group_name,
                {"type": "board.presence", "joined": participant_dict(participant)},
            )
        )
    return arrived


def leave(participant: Participant, connection: str) -> bool:
    """Forget ``connection``. Returns whether that was the person's last live
    connection (and, if so, tells the board they left)."""
    Presence.objects.filter(connection=connection).delete()
    if _live_elsewhere(participant, connection):
        return False
    outbox.publish(
        (participant.workshop.group_name, {"type": "board.presence", "left": participant.pk})
    )
    return True
