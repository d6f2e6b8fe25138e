"""Reads about initiatives themselves. ``visible_to`` is the one place
initiative visibility is decided for querysets; every door and every other
selector builds on it, and ``get_initiative_for_user`` is the access helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from core.doors import access
from councils.models import Membership, Need, Organisation, ServiceArea
from councils.selectors.people import active_membership_for

from ..models import Initiative, Partnership, StageChange


def visible_to(user) -> QuerySet[Initiative]:
    """Initiatives ``user`` may see (DESIGN.md, Tenancy):

    - public: anyone, signed in or not (the open catalogue);
    - platform: any signed-in user with an active membership;
    - partners: the lead and organisations with an open partnership;
    - draft: the lead only.
    Platform admins (staff) see everything, to moderate.
    """
    qs = Initiative.objects.all()
    if user is None or not user.is_authenticated:
        return qs.filter(visibility=Initiative.Visibility.PUBLIC)
    if user.is_staff:
        return qs
    membership = active_membership_for(user)
    if membership is None:
        return qs.filter(visibility=Initiative.Visibility.PUBLIC)
    org_id = membership.organisation_id
    is_partner = Exists(
        Partnership.objects.filter(
            initiative=OuterRef("pk"),
            organisation_id=org_id,
            status__in=Partnership.OPEN_STATUSES,
        )
    )
    return qs.filter(
        Q(visibility__in=[Initiative.Visibility.PUBLIC, Initiative.Visibility.PLATFORM])
        | Q(lead_organisation_id=org_id)
        | (Q(visibility=Initiative.Visibility.PARTNERS) & is_partner)
    )


def led_by(organisation_slug: str) -> Q:
    """Initiatives the organisation ``organisation_slug`` leads (the catalogue's
    ``lead`` filter, the dashboard's and the council page's counts)."""
    return Q(lead_organisation__slug=organisation_slug)


def taking_part() -> QuerySet[Partnership]:
    """The partnerships through which an organisation takes part in an
    initiative without leading it: the one definition behind the catalogue's
    ``partner`` filter and facet and "Taking part in" on a council page.

    Taking part means a partnership in ``Partnership.COMMITTED_STATUSES``:
    COMMITTED (its admin signed off, naming sponsors) or ACTIVE (the lead
    accepted it), the partners ``partner_count`` counts. An INVITED or
    INTERESTED organisation has not committed to anything yet, and a
    DECLINED or WITHDRAWN one no longer takes part. Suppliers accepted as
    delivery partners count; the lead's own partnership does not (that is
    ``led_by``)."""
    return Partnership.objects.filter(status__in=Partnership.COMMITTED_STATUSES).exclude(
        role=Partnership.Role.LEAD
    )


def taking_part_in(organisation_slug: str) -> Q:
    """Initiatives the organisation ``organisation_slug`` takes part in
    (``taking_part``). An EXISTS, so an initiative appears once."""
    return Q(
        Exists(
            taking_part().filter(initiative_id=OuterRef("pk"), organisation__slug=organisation_slug)
        )
    )


def get_initiative_for_user(
    user, slug: str, *, require: Callable[[object, Initiative], object] | None = None
) -> Initiative:
    """Access helper: the initiative, or 404 alike for missing and not visible,
    so slugs cannot be probed. ``require`` (a policy) then decides whether the
    user may also act on it (403 with the policy's reason)."""
    try:
        initiative = visible_to(user).select_related("lead_organisation").get(slug=slug)
    except Initiative.DoesNotExist:
        raise Http404("No such initiative.") from None
    return access(initiative, user, require=require)


def key_contact_candidates(organisation: Organisation) -> QuerySet[User]:
    """Who may be named an initiative's key contact: the lead organisation's
    active members, by name. The form offers these; the service refuses anyone
    else (and the API looks e-mail addresses up among these only, so it cannot
    be used to find out who has an account elsewhere)."""
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__status=Membership.Status.ACTIVE,
    ).order_by("full_name", "email")


# ---------------------------------------------------------------------------
# Detail page and the dashboard.
# ---------------------------------------------------------------------------


def initiative_detail(*, user, slug: str) -> Initiative:
    """The initiative with everything its overview shows, in a fixed number of
    queries (lead, key contact; service areas, tags, skills, stage timeline)."""
    try:
        return (
            visible_to(user)
            .select_related("lead_organisation", "key_contact", "created_by")
            .prefetch_related(
                "service_areas",
                "tags",
                "skills_needed",
                Prefetch(
                    "stage_changes",
                    queryset=StageChange.objects.select_related("changed_by").order_by(
                        "changed_on", "created_at", "pk"
                    ),
                ),
            )
            .get(slug=slug)
        )
    except Initiative.DoesNotExist:
        raise Http404("No such initiative.") from None


@dataclass
class DashboardInitiatives:
    """What the dashboard's Initiatives section shows: the council's own
    initiatives (at most a few), how many the catalogue lists for its "See
    all" links (``?lead=`` and ``?partner=``, the same filters), and
    suggestions."""

    mine: list[Initiative] = field(default_factory=list)
    # matching.InitiativeForYou rows: the initiative and why it fits
    suggested: list = field(default_factory=list)
    organisation: Organisation | None = None
    led_count: int = 0
    taking_part_count: int = 0
    needed_areas: list[str] = field(default_factory=list)


def initiatives_for_dashboard(user, *, limit: int = 5) -> DashboardInitiatives:
    """Short lists for an officer's dashboard: initiatives their council
    leads or partners in, and "initiatives for you": those looking for
    partners that the council has most in common with
    (``selectors.matching.initiatives_for``, with their explanations);
    and the counts behind "See all", computed with the catalogue's own
    ``led_by`` / ``taking_part_in`` over what the officer may see, so the
    number on the link is the number the catalogue then shows. A fixed
    number of queries after the (cached) membership, whatever the data."""
    membership = active_membership_for(user)
    if membership is None:
        return DashboardInitiatives()
    org_id = membership.organisation_id
    slug = membership.organisation.slug
    own = Partnership.objects.filter(
        initiative=OuterRef("pk"), organisation_id=org_id, status__in=Partnership.OPEN_STATUSES
    )
    takes_part = Exists(own)
    visible = visible_to(user).select_related("lead_organisation")
    # The council's own status on each (lead, partner, committed or
    # interested and waiting for the lead, invited): the dashboard says which.
    mine = list(
        visible.filter(takes_part)
        .annotate(my_role=Subquery(own.values("role")[:1]))
        .annotate(my_status=Subquery(own.values("status")[:1]))
        .order_by("-updated_at", "-pk")[:limit]
    )
    counts = visible_to(user).aggregate(
        led=Count("pk", filter=led_by(slug)), taking_part=Count("pk", filter=taking_part_in(slug))
    )
    needs = Need.objects.filter(organisation_id=org_id).values("service_area_id")
    # Named, so an empty list of suggestions can say why it is empty.
    needed_areas = list(
        ServiceArea.objects.filter(pk__in=needs).order_by("name").values_list("name", flat=True)
    )
    # Ranked by what the council has in common with each (initiatives.matching),
    # each with its explanation; imported here as matching builds on visible_to.
    from .matching import initiatives_for

    suggested = initiatives_for(user, organisation=membership.organisation, limit=limit)
    return DashboardInitiatives(
        mine=mine,
        suggested=suggested,
        needed_areas=needed_areas,
        organisation=membership.organisation,
        led_count=counts["led"],
        taking_part_count=counts["taking_part"],
    )
