"""Reads about initiatives. ``visible_to`` is the one place initiative
visibility is decided for querysets; every door builds on it."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from councils.selectors import active_membership_for

from .models import Initiative, Partnership

# Partnership statuses that make an organisation "a partner" for visibility.
OPEN_PARTNERSHIP_STATUSES = (
    Partnership.Status.INVITED,
    Partnership.Status.INTERESTED,
    Partnership.Status.COMMITTED,
    Partnership.Status.ACTIVE,
)


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
            status__in=OPEN_PARTNERSHIP_STATUSES,
        )
    )
    return qs.filter(
        Q(visibility__in=[Initiative.Visibility.PUBLIC, Initiative.Visibility.PLATFORM])
        | Q(lead_organisation_id=org_id)
        | (Q(visibility=Initiative.Visibility.PARTNERS) & is_partner)
    )


def get_initiative_for_user(user, slug: str) -> Initiative:
    """Access helper: the initiative, or 404 alike for missing and not visible."""
    try:
        return visible_to(user).select_related("lead_organisation").get(slug=slug)
    except Initiative.DoesNotExist:
        raise Http404("No such initiative.")
