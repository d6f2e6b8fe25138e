"""Reads for the directory: which organisations a person may see, the access
helper every door uses to load one, and the directory's search rules (shared
by the ``/councils/`` page and ``/api/v1/organisations/``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from core.doors import DEFAULT_REFUSAL, Policy, access, get_or_404

from ..models import Organisation

NOT_FOUND = "No such organisation."


def visible_organisations(user) -> QuerySet[Organisation]:
    """Organisations a user may see. Active ones are public (the directory is
    open); staff also see registered-but-not-onboarded and ended ones."""
    qs = Organisation.objects.all()
    if user is not None and user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(status=Organisation.Status.ACTIVE)


def get_organisation_for_user(
    user,
    slug: str,
    *,
    require: Policy | None = None,
    message: str = DEFAULT_REFUSAL,
    visible_if: Policy | None = None,
) -> Organisation:
    """Access helper: the organisation ``slug`` for ``user``.

    404 alike for missing and not visible, so slugs cannot be probed; then
    ``require`` (a policy) answers 403 with ``message`` when the user may see
    the organisation but not do what they asked. ``visible_if`` narrows who
    may see this part of it at all (a council's people pages are its own
    members' business): anyone else gets the same 404 as for a missing one.
    """
    organisation = get_or_404(visible_organisations(user), NOT_FOUND, slug=slug)
    if visible_if is not None and not visible_if(user, organisation):
        raise Http404(NOT_FOUND)
    return access(organisation, user, require=require, message=message)


def directory_facet_values(field: str) -> list[str]:
    """The distinct non-empty values of ``field`` among active organisations,
    so a newly onboarded nation or authority type appears as a facet by itself."""
    return list(
        Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        .exclude(**{field: ""})
        .order_by(field)
        .values_list(field, flat=True)
        .distinct()
    )


def narrow_to_directory(
    queryset: QuerySet[Organisation],
    *,
    query: str = "",
    nation: str = "",
    region: str = "",
    authority_type: str = "",
    kind: str = "",
) -> QuerySet[Organisation]:
    """Apply the directory's rules to an already scoped queryset (the API's
    and the page's), keeping its prefetches and without a subquery."""
    qs = queryset.filter(status=Organisation.Status.ACTIVE)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(official_name__icontains=query)
            | Q(register_code__iexact=query)
            | Q(gss_code__iexact=query)
        )
    if nation:
        qs = qs.filter(nation=nation)
    if region:
        qs = qs.filter(region=region)
    if authority_type:
        qs = qs.filter(authority_type=authority_type)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")
