"""Reading workshops: who the viewer is in one, which they may open, and the
access helper every door ends with.

A viewer is a signed-in user with a participant row, or a guest whose
session holds the secret token the join page gave them (one per workshop:
a guest is scoped to that workshop and nothing else).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from councils.selectors.people import active_membership_for

from .. import policies
from ..models import Participant, Workshop, hash_secret

GUEST_SESSION_KEY = "swot_guest_tokens"


def guest_token_from_session(session: Mapping[str, Any] | None, workshop_id: int) -> str | None:
    if not session:
        return None
    tokens = session.get(GUEST_SESSION_KEY) or {}
    token = tokens.get(str(workshop_id))
    return token if isinstance(token, str) and token else None


def participant_for(
    workshop: Workshop | int, *, user=None, session: Mapping[str, Any] | None = None
) -> Participant | None:
    """The viewer's participant row in ``workshop`` (any status), or ``None``.
    A signed-in user is found by account; otherwise a guest by their token."""
    workshop_id = workshop if isinstance(workshop, int) else workshop.pk
    rows = Participant.objects.select_related("user", "organisation", "workshop")
    if user is not None and user.is_authenticated:
        found = rows.filter(workshop_id=workshop_id, user=user).first()
        if found is not None:
            return found
    token = guest_token_from_session(session, workshop_id)
    if token:
        return rows.filter(
            workshop_id=workshop_id, user__isnull=True, guest_token_hash=hash_secret(token)
        ).first()
    return None


def access_workshop(
    workshop_id: int, *, user=None, session: Mapping[str, Any] | None = None
) -> tuple[Workshop, Participant]:
    """The workshop and the viewer's place in it, or 404: the same answer for
    "no such workshop" and "not yours", so ids cannot be probed."""
    participant = participant_for(workshop_id, user=user, session=session)
    if participant is None or not policies.can_view_workshop(participant):
        raise Http404("No such workshop.")
    return participant.workshop, participant


def access_results(
    workshop_id: int, *, user=None, session: Mapping[str, Any] | None = None
) -> tuple[Workshop, Participant | None]:
    """A workshop's summary: for its participants, or anyone signed in once the
    facilitator shared a closed workshop's results."""
    participant = participant_for(workshop_id, user=user, session=session)
    workshop = (
        participant.workshop if participant else Workshop.objects.filter(pk=workshop_id).first()
    )
    if workshop is None or not policies.can_view_results(user, workshop, participant):
        raise Http404("No such workshop.")
    return workshop, participant


def workshops_of(user) -> QuerySet[Workshop]:
    """The workshops ``user`` takes part in (not removed), newest first, with
    the counts the list shows (two queries in all)."""
    if user is None or not user.is_authenticated:
        return Workshop.objects.none()
    # A subquery, not a join: filtering on ``participants`` and then counting
    # them would reuse the join and count only the user's own row.
    taking_part = Participant.objects.filter(user=user, status=Participant.Status.JOINED)
    return (
        Workshop.objects.filter(pk__in=taking_part.values("workshop_id"))
        .select_related("owner", "initiative")
        .annotate(
            participant_count=Count(
                "participants",
                filter=Q(participants__status=Participant.Status.JOINED),
                distinct=True,
            )
        )
        .order_by("-scheduled_for", "-created_at", "-id")
    )


def visible_workshops(user) -> QuerySet[Workshop]:
    """Workshops whose existence and activity ``user`` may see: those they
    are invited to or take part in (not removed), and closed ones whose
    results were shared, for signed-in members and staff
    (``policies.can_view_results``). Feeds and digests filter on it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Workshop.objects.none()
    mine = Participant.objects.filter(
        user=user, status__in=[Participant.Status.INVITED, Participant.Status.JOINED]
    )
    shown = Q(pk__in=mine.values("workshop_id"))
    if user.is_staff or active_membership_for(user) is not None:
        shown |= Q(results_shared=True, phase=Workshop.Phase.CLOSED)
    return Workshop.objects.filter(shown)


def shared_results(user) -> QuerySet[Workshop]:
    """Closed workshops whose facilitators shared the results, for signed-in
    members of the platform."""
    if user is None or not user.is_authenticated:
        return Workshop.objects.none()
    return (
        Workshop.objects.filter(results_shared=True, phase=Workshop.Phase.CLOSED)
        .select_related("owner", "initiative")
        .order_by("-closed_at", "-id")
    )


def facilitator_of(user, workshop: Workshop) -> bool:
    participant = participant_for(workshop, user=user)
    return policies.is_facilitator(participant)
