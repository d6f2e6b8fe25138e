"""Reads for the workshop pages (list, forms, people, invitations) that are
more than the access helper in ``selectors.workshops``: the list split into
its sections, the initiatives a workshop may be linked to, the people a
facilitator may invite, and an e-mailed invitation found by its token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from councils.models import Membership, Organisation
from councils.selectors.people import active_membership_for

from ..models import Participant, Workshop, hash_secret
from .workshops import shared_results, workshops_of

# Phases in which a workshop is running on the board (between set-up and close).
LIVE_PHASES = frozenset(
    {
        Workshop.Phase.BRAINSTORM,
        Workshop.Phase.GROUP,
        Workshop.Phase.VOTE,
        Workshop.Phase.ACTIONS,
    }
)

# How many people a facilitator's search lists at once: enough to pick from,
# few enough that the search cannot list the platform's whole membership.
SEARCH_LIMIT = 20
SEARCH_MIN_LENGTH = 3


@dataclass
class WorkshopList:
    upcoming: list[Workshop] = field(default_factory=list)
    live: list[Workshop] = field(default_factory=list)
    closed: list[Workshop] = field(default_factory=list)
    shared: list[Workshop] = field(default_factory=list)

    @property
    def has_own(self) -> bool:
        return bool(self.upcoming or self.live or self.closed)


def _with_participant_count(queryset: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return queryset.annotate(
        participant_count=Count(
            "participants",
            filter=Q(participants__status=Participant.Status.JOINED),
            distinct=True,
        )
    )


def workshop_list(user) -> WorkshopList:
    """The "Your workshops" page: the user's own workshops by phase (upcoming
    soonest first, the rest newest first) and the shared results of
    workshops they did not take part in. Two queries, however many rows."""
    sections = WorkshopList()
    own = list(workshops_of(user))
    for workshop in own:
        if workshop.phase == Workshop.Phase.SETUP:
            sections.upcoming.append(workshop)
        elif workshop.phase in LIVE_PHASES:
            sections.live.append(workshop)
        else:
            sections.closed.append(workshop)
    # Soonest first; a workshop without a date yet goes last.
    sections.upcoming.sort(key=lambda w: (w.scheduled_for is None, w.scheduled_for, -w.pk))
    own_ids = {w.pk for w in own}
    sections.shared = list(_with_participant_count(shared_results(user)).exclude(pk__in=own_ids))
    return sections


def linkable_initiatives(user):
    """Initiatives a new workshop may be linked to: those the user's
    organisation leads or takes part in, among those the user may see (a
    select of the whole catalogue would be unusable)."""
    from initiatives.models import Partnership
    from initiatives.selectors.initiative import visible_to

    membership = active_membership_for(user)
    if membership is None:
        return visible_to(user).none()
    organisation_id = membership.organisation_id
    return (
        visible_to(user)
        .filter(
            Q(lead_organisation_id=organisation_id)
            | Q(
                partnerships__organisation_id=organisation_id,
                partnerships__status__in=Partnership.OPEN_STATUSES,
            )
        )
        .distinct()
        .order_by("title")
    )


def people_in(workshop: Workshop) -> list[Participant]:
    """Everyone taking part or invited (not removed), facilitators first, with
    what the names rules need (the user and the organisation) in one query."""
    return list(
        Participant.objects.filter(workshop=workshop)
        .exclude(status=Participant.Status.REMOVED)
        .select_related("user", "organisation")
        .order_by("role", "created_at", "id")  # "facilitator" sorts first
    )


def participant_or_404(workshop: Workshop, participant_pk: int) -> Participant:
    """One participant of ``workshop`` (404 for anyone else's): the people page's actions."""
    found = (
        Participant.objects.select_related("user", "organisation", "workshop")
        .filter(workshop=workshop, pk=participant_pk)
        .exclude(status=Participant.Status.REMOVED)
        .first()
    )
    if found is None:
        raise Http404("No such participant.")
    return found


def invitable_users(workshop: Workshop):
    """Who a facilitator may add: active members of active organisations (any
    council) with an active account, not already taking part or invited."""
    in_workshop = Participant.objects.filter(workshop=workshop, user__isnull=False).exclude(
        status=Participant.Status.REMOVED
    )
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__status=Membership.Status.ACTIVE,
            memberships__organisation__status=Organisation.Status.ACTIVE,
        )
        .exclude(pk__in=in_workshop.values("user_id"))
        .distinct()
    )


def search_invitable_users(workshop: Workshop, query: str) -> list:
    """The first few ``invitable_users`` whose name or e-mail address contains
    ``query``; nothing for a query too short to mean anyone in particular."""
    text = (query or "").strip()
    if len(text) < SEARCH_MIN_LENGTH:
        return []
    return list(
        invitable_users(workshop)
        .filter(Q(email__icontains=text) | Q(full_name__icontains=text))
        .order_by("full_name", "email")[:SEARCH_LIMIT]
    )


def organisations_of(users) -> dict[int, object]:
    """Each user's active organisation, in one query (for the search results)."""
    return {
        m.user_id: m.organisation
        for m in Membership.objects.select_related("organisation").filter(
            user__in=list(users), status=Membership.Status.ACTIVE
        )
    }


def invitation_for_token(token: str) -> Participant | None:
    """The e-mailed invitation ``token`` opens, if it is still open (accepting
    one clears its token, so a used link finds nothing)."""
    if not token:
        return None
    return (
        Participant.objects.select_related("workshop", "workshop__owner")
        .filter(invite_token_hash=hash_secret(token), user__isnull=True)
        .exclude(invite_token_hash="")
        .exclude(status=Participant.Status.REMOVED)
        .first()
    )


def locked_options(workshop: Workshop) -> frozenset[str]:
    """The options the edit form leaves out in the workshop's phase, as the
    service would refuse them (``services.workshops.update_workshop``):
    anonymity and private brainstorm once the brainstorm has started, the
    votes once voting has."""
    locked: set[str] = set()
    if workshop.phase != Workshop.Phase.SETUP:
        locked |= {"anonymous_items", "private_brainstorm"}
    if workshop.phase in (Workshop.Phase.VOTE, Workshop.Phase.ACTIONS, Workshop.Phase.CLOSED):
        locked.add("votes_per_participant")
    return frozenset(locked)
