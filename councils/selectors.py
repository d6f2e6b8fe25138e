"""Reads about organisations and memberships. Views never filter tenants by
hand: they come here (or to ``policies``) instead."""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import EmailDomain, Membership, Organisation

_CACHE_ATTR = "_active_membership_cache"


def active_membership_for(user) -> Membership | None:
    """The user's one active membership (or None), cached on the user object
    so templates and policies can ask repeatedly within a request."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, _CACHE_ATTR):
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, status=Membership.Status.ACTIVE)
            .first()
        )
        setattr(user, _CACHE_ATTR, membership)
    return getattr(user, _CACHE_ATTR)


def forget_membership_cache(user) -> None:
    """Call after a service changes the user's memberships."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organisation_of(user) -> Organisation | None:
    membership = active_membership_for(user)
    return membership.organisation if membership else None


def organisation_for_email(email: str) -> Organisation | None:
    """The active organisation whose registered domain matches the address."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    match = (
        EmailDomain.objects.select_related("organisation")
        .filter(domain=domain, organisation__status=Organisation.Status.ACTIVE)
        .first()
    )
    return match.organisation if match else None


def visible_organisations(user) -> QuerySet[Organisation]:
    """Organisations a user may see. Active ones are public (the directory is
    open); staff also see registered-but-not-onboarded and ended ones."""
    qs = Organisation.objects.all()
    if user is not None and user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(status=Organisation.Status.ACTIVE)


def get_organisation_for_user(user, slug: str) -> Organisation:
    """Access helper: the organisation, or 404 alike for missing and not visible."""
    try:
        return visible_organisations(user).get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation.")


def directory_organisations(
    *,
    user,
    query: str = "",
    nation: str = "",
    region: str = "",
    authority_type: str = "",
    kind: str = "",
) -> QuerySet[Organisation]:
    """The council directory: active organisations filtered by the directory's facets."""
    return narrow_to_directory(
        visible_organisations(user),
        query=query,
        nation=nation,
        region=region,
        authority_type=authority_type,
        kind=kind,
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


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("user")
        .filter(organisation=organisation, status=Membership.Status.ACTIVE)
        .order_by("user__full_name", "user__email")
    )


def pending_memberships(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("user")
        .filter(organisation=organisation, status=Membership.Status.PENDING)
        .order_by("created_at")
    )


def admins_of(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's active admins whose accounts still work: the people
    who decide for it and are told what needs deciding."""
    return members_of(organisation).filter(role=Membership.Role.ADMIN, user__is_active=True)


def admin_addresses(organisation: Organisation) -> list[str]:
    """E-mail addresses of ``admins_of(organisation)``, for the outbox."""
    return list(
        admins_of(organisation)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def pending_memberships_of_user(user) -> list[Membership]:
    """A person's own requests still awaiting approval (shown on their dashboard)."""
    return list(
        Membership.objects.select_related("organisation").filter(
            user=user, status=Membership.Status.PENDING
        )
    )


def member_by_email(organisation: Organisation, email: str):
    """An active member of ``organisation`` with this address, or None. Looks
    only inside the organisation, so callers cannot probe who has an account."""
    membership = (
        Membership.objects.select_related("user")
        .filter(
            organisation=organisation,
            status=Membership.Status.ACTIVE,
            user__email__iexact=email.strip(),
        )
        .first()
    )
    return membership.user if membership else None
