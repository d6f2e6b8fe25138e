"""Reads for the partners section of the initiative page and the partnership
API: partners with their sign-off and pledges, the transition history, the
viewer's own partnership, follow state and what the viewer may do.

``partnership_section`` runs a constant number of queries whatever the number
of partners or events: partnerships come with their organisation and signer
joined, skills and events (with actors) are prefetched, the follow state is one
aggregate, and every permission flag is computed in Python from the prefetched
rows (``policies`` reads ``initiative._prefetched_objects_cache``).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from councils.models import Organisation, Skill
from councils.selectors import active_membership_for

from . import policies
from .models import Follow, Initiative, Partnership, PartnershipEvent

# GOV.UK tag colour per status (the text always names the status too).
STATUS_TAG_CLASSES = {
    Partnership.Status.INVITED: "govuk-tag--light-blue",
    Partnership.Status.INTERESTED: "govuk-tag--yellow",
    Partnership.Status.COMMITTED: "govuk-tag--blue",
    Partnership.Status.ACTIVE: "govuk-tag--green",
    Partnership.Status.DECLINED: "govuk-tag--red",
    Partnership.Status.WITHDRAWN: "govuk-tag--grey",
}


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
    def tag_class(self) -> str:
        return STATUS_TAG_CLASSES.get(self.partnership.status, "govuk-tag--grey")

    @property
    def has_actions(self) -> bool:
        return self.can_sign_off or self.can_accept or self.can_decline or self.can_withdraw


@dataclass
class EventRow:
    """One transition in the history: who moved which organisation, and when."""

    event: PartnershipEvent
    organisation: Organisation


def follow_state(*, initiative: Initiative, user) -> tuple[int, bool]:
    """(follower count, whether ``user`` follows): one aggregate query."""
    follows = Follow.objects.filter(initiative=initiative)
    if user is None or not user.is_authenticated:
        return follows.count(), False
    result = follows.aggregate(total=Count("id"), mine=Count("id", filter=Q(user_id=user.pk)))
    return result["total"], bool(result["mine"])


def partnership_section(*, initiative: Initiative, user) -> dict:
    """Everything ``includes/partners.html`` needs.

    Queries (constant): the viewer's membership (cached on the user, often
    already fetched by the context processor); partnerships with organisation
    and signer; their pledged skills; their events with actors; the follow
    aggregate; and at most one visibility check for a non-public initiative
    (``can_view_initiative``) per policy that needs it.
    """
    membership = active_membership_for(user)
    rows = load_partnerships(initiative)
    organisation_id = membership.organisation_id if membership else None

    partner_rows: list[PartnerRow] = []
    event_rows: list[EventRow] = []
    my_partnership = None
    for partnership in _ordered(rows):
        row = PartnerRow(partnership=partnership, skills=list(partnership.pledged_skills.all()))
        if organisation_id is not None and partnership.organisation_id == organisation_id:
            my_partnership = partnership
        # Only the viewer's own organisation, or the lead's admins, can act on
        # a row; the policies answer False for everyone else without a query.
        row.can_sign_off = policies.can_sign_off(user, partnership)
        row.can_accept = policies.can_accept_partnership(user, partnership)
        row.can_decline = policies.can_decline_partnership(user, partnership)
        row.can_withdraw = policies.can_withdraw(user, partnership)
        partner_rows.append(row)
        for event in partnership.events.all():
            event_rows.append(EventRow(event=event, organisation=partnership.organisation))
    event_rows.sort(key=lambda e: (e.event.created_at, e.event.pk))

    follower_count, is_following = follow_state(initiative=initiative, user=user)
    return {
        "partner_rows": partner_rows,
        "partnership_events": event_rows,
        "my_partnership": my_partnership,
        "partnership_organisation": membership.organisation if membership else None,
        "follower_count": follower_count,
        "is_following": is_following,
        "can_follow": policies.can_follow(user, initiative),
        "can_express_interest": policies.can_express_interest(user, initiative),
        "can_invite_partner": policies.can_invite_partner(user, initiative),
        "can_hand_over_lead": policies.can_hand_over_lead(user, initiative),
    }


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
        initiative=initiative, status__in=policies.OPEN_STATUSES
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
