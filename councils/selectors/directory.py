"""Reads for the directory: which organisations a person may see, the access
helper every door uses to load one, and the directory's search rules (shared
by the ``/councils/`` page and ``/api/v1/organisations/``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from core.doors import DEFAULT_REFUSAL, Policy, access, get_or_404

from ..models import Organisation, SystemInUse, normalise_name

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
    service_area: str = "",
    supplier: str = "",
    product: str = "",
    contract_ends_before: date | None = None,
) -> QuerySet[Organisation]:
    """Apply the directory's rules to an already scoped queryset (the API's
    and the page's), keeping its prefetches.

    The profile filters (service area, supplier, product, contract end) match
    one system that meets them all; each result carries the systems that
    matched as ``matching_systems`` (one prefetch query, whatever the data),
    so a result can say why it is there."""
    qs = queryset.filter(status=Organisation.Status.ACTIVE)
    system_rules = Q()
    if service_area:
        system_rules &= Q(service_area__slug=service_area)
    if supplier:
        system_rules &= Q(supplier_key=normalise_name(supplier))
    if product:
        system_rules &= Q(product_key=normalise_name(product))
    if contract_ends_before:
        system_rules &= Q(contract_end_date__lt=contract_ends_before)
    query = query.strip()
    text_rules = Q()
    if query:
        key = normalise_name(query)
        text_rules = Q(supplier_key__contains=key) | Q(product_key__contains=key)
        matching_ids = SystemInUse.objects.filter(system_rules & text_rules).values(
            "organisation_id"
        )
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(official_name__icontains=query)
            | Q(register_code__iexact=query)
            | Q(gss_code__iexact=query)
            | Q(pk__in=matching_ids)
        )
    if system_rules:
        qs = qs.filter(pk__in=SystemInUse.objects.filter(system_rules).values("organisation_id"))
    if system_rules or query:
        shown = system_rules & text_rules if query and not system_rules else system_rules
        qs = qs.prefetch_related(
            Prefetch(
                "systems",
                queryset=SystemInUse.objects.filter(shown)
                .select_related("service_area")
                .order_by("service_area__name", "supplier", "product"),
                to_attr="matching_systems",
            )
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
