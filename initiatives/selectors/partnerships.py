"""Reads for partnerships: an initiative's partners with their sign-off,
pledges and transition history, the viewer's own partnership and what the
viewer may do (``partners``), the access helper for one partnership, and the
organisations a lead could invite or hand over to.

``partners`` runs a constant number of queries whatever the number of
partners or events: partnerships come with their organisation and signer
joined, skills and events (with actors) are prefetched, and every permission
is computed in Python from the prefetched rows (``policies`` reads
``initiative._prefetched_objects_cache``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from councils.models import Organisation, Skill
from councils.selectors.people import active_membership_for

from .. import policies
from ..models import Initiative, Partnership, PartnershipEvent


def partnerships_with_history(initiative: Initiative) -> QuerySet[Partnership]:
    """The initiative's partnerships, lead first then by joining date, with
    organisation, signer, pledged skills and events (and their actors): three
    queries in all."""
    return (
        Partnership.objects.filter(initiative=initiative)
        .select_related("organisation", "signed_off_by")
        .prefetch_related(
            Prefetch("pledged_skills", queryset=Skill.objects.order_by("name")),
            Prefetch(
                "events",
                queryset=PartnershipEvent.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .order_by("created_at", "id")
    )


def _ordered(partnerships: list[Partnership]) -> list[Partnership]:
    """Lead first, then open partnerships, then closed ones, each by join date."""
    rank = {
        Partnership.Status.ACTIVE: 1,
        Partnership.Status.COMMITTED: 1,
        Partnership.Status.INTERESTED: 2,
        Partnership.Status.INVITED: 2,
        Partnership.Status.DECLINED: 3,
        Partnership.Status.WITHDRAWN: 3,
    }
    # sorted() is stable, so rows keep their joining order within each rank.
    return sorted(
        partnerships, key=lambda p: 0 if p.role == Partnership.Role.LEAD else rank.get(p.status, 4)
    )


def load_partnerships(initiative: Initiative) -> list[Partnership]:
    """Fetch the partnerships with history and install them as the initiative's
    prefetched ``partnerships``, so policies asked afterwards run no queries."""
    qs = partnerships_with_history(initiative)
    rows = list(qs)  # fills qs's result cache
    for row in rows:
        row.initiative = initiative
    if not hasattr(initiative, "_prefetched_objects_cache"):
        initiative._prefetched_objects_cache = {}
    initiative._prefetched_objects_cache["partnerships"] = qs
    return rows


@dataclass
class PartnerRow:
    """One line of the partners table, with what the viewer may do to it."""

    partnership: Partnership
    skills: list[Skill] = field(default_factory=list)
    can_sign_off: bool = False
    can_accept: bool = False
    can_decline: bool = False
    can_withdraw: bool = False

    @property
    def has_actions(self) -> bool:
        return self.can_sign_off or self.can_accept or self.can_decline or self.can_withdraw


@dataclass
class EventRow:
    """One transition in the history: who moved which organisation, and when."""

    event: PartnershipEvent
    organisation: Organisation


@dataclass
class Partners:
    """An initiative's partners as one viewer sees them."""

    rows: list[PartnerRow]
    events: list[EventRow]
    # The viewer's organisation and its partnership here (if any).
    organisation: Organisation | None
    my_partnership: Partnership | None
    can_express_interest: bool
    can_invite_partner: bool
    can_hand_over_lead: bool


def partners(*, initiative: Initiative, user) -> Partners:
    """The partners table, its history and the viewer's actions.

    Queries (constant): the viewer's membership (cached on the user, often
    already fetched by the context processor); partnerships with organisation
    and signer; their pledged skills; their events with actors; and at most
    one visibility check for a non-public initiative (``can_view_initiative``)
    per policy that needs it.
    """
    membership = active_membership_for(user)
    loaded = load_partnerships(initiative)
    organisation_id = membership.organisation_id if membership else None

    rows: list[PartnerRow] = []
    events: list[EventRow] = []
    my_partnership = None
    for partnership in _ordered(loaded):
        row = PartnerRow(partnership=partnership, skills=list(partnership.pledged_skills.all()))
        if organisation_id is not None and partnership.organisation_id == organisation_id:
            my_partnership = partnership
        # Only the viewer's own organisation, or the lead's admins, can act on
        # a row; the policies answer False for everyone else without a query.
        row.can_sign_off = policies.can_sign_off(user, partnership)
        row.can_accept = policies.can_accept_partnership(user, partnership)
        row.can_decline = policies.can_decline_partnership(user, partnership)
        row.can_withdraw = policies.can_withdraw(user, partnership)
        rows.append(row)
        for event in partnership.events.all():
            events.append(EventRow(event=event, organisation=partnership.organisation))
    events.sort(key=lambda e: (e.event.created_at, e.event.pk))
    return Partners(
        rows=rows,
        events=events,
        organisation=membership.organisation if membership else None,
        my_partnership=my_partnership,
        can_express_interest=policies.can_express_interest(user, initiative),
        can_invite_partner=policies.can_invite_partner(user, initiative),
        can_hand_over_lead=policies.can_hand_over_lead(user, initiative),
    )


def get_partnership_for_user(user, initiative: Initiative, pk: int) -> Partnership:
    """Access helper: a partnership of an initiative the caller already resolved
    through ``get_initiative_for_user``; 404 alike for missing or on another
    initiative (the initiative itself was checked for visibility)."""
    try:
        partnership = Partnership.objects.select_related("organisation").get(
            pk=pk, initiative=initiative
        )
    except Partnership.DoesNotExist:
        raise Http404("No such partnership.") from None
    partnership.initiative = initiative
    return partnership


def invitable_organisations(initiative: Initiative) -> QuerySet[Organisation]:
    """Active organisations the lead could invite: not the lead, and without an
    open partnership already (withdrawn or declined ones may be invited back)."""
    open_ids = Partnership.objects.filter(
        initiative=initiative, status__in=Partnership.OPEN_STATUSES
    ).values("organisation_id")
    return (
        Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        .exclude(pk=initiative.lead_organisation_id)
        .exclude(pk__in=open_ids)
        .order_by("name")
    )


def eligible_new_lead_organisations(initiative: Initiative) -> QuerySet[Organisation]:
    """The organisations the lead may hand over to (``policies.eligible_new_leads``),
    as a queryset a form's choice field can validate against, by name."""
    return Organisation.objects.filter(
        pk__in=[p.organisation_id for p in policies.eligible_new_leads(initiative)]
    ).order_by("name")
