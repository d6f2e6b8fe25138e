"""Reads about people: memberships (a person's one active membership, an
organisation's members, admins and pending requests) and invitations."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from core.email_domains import organisation_domain_problem
from core.tokens import hash_token

from ..models import EmailDomain, Invitation, Membership, Organisation

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


def people_by_address(addresses: Iterable[str]) -> dict:
    """The accounts behind some e-mail addresses, keyed by the address in
    lower case, each with its active membership already cached (so asking
    the policies about them costs nothing more): two queries however many.
    For the e-mail door, which shows each recipient what they may see."""
    wanted = {address.strip().lower() for address in addresses if address}
    if not wanted:
        return {}
    users = list(
        get_user_model().objects.annotate(address=Lower("email")).filter(address__in=wanted)
    )
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.select_related("organisation").filter(
            user__in=users, status=Membership.Status.ACTIVE
        )
    }
    for user in users:
        setattr(user, _CACHE_ATTR, memberships.get(user.pk))
    return {user.address: user for user in users}


def forget_membership_cache(user) -> None:
    """Call after a service changes the user's memberships."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organisation_of(user) -> Organisation | None:
    """The organisation the user acts for, if any."""
    membership = active_membership_for(user)
    return membership.organisation if membership else None


def organisation_for_email(email: str) -> Organisation | None:
    """The active organisation whose registered domain matches the address.

    A public suffix or webmail domain never matches, even if one was stored
    before they were refused: it would let anyone ask to join."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if organisation_domain_problem(domain):
        return None
    match = (
        EmailDomain.objects.select_related("organisation")
        .filter(domain=domain, organisation__status=Organisation.Status.ACTIVE)
        .first()
    )
    return match.organisation if match else None


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's active members, by name."""
    return (
        Membership.objects.select_related("user")
        .filter(organisation=organisation, status=Membership.Status.ACTIVE)
        .order_by("user__full_name", "user__email")
    )


def member_role_counts(organisation: Organisation) -> list[tuple[str, int]]:
    """How many active members ``organisation`` has in each role, as
    (role label, count) in the roles' order: what a council's page says
    about its people to someone who may not see their names. One query."""
    counts = dict(
        Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
        .order_by()
        .values("role")
        .annotate(count=Count("pk"))
        .values_list("role", "count")
    )
    return [(role.label, counts[role.value]) for role in Membership.Role if counts.get(role.value)]


def active_member_or_404(organisation: Organisation, pk: int) -> Membership:
    """One active membership of ``organisation``; another council's id is a
    404 like a missing one."""
    membership = members_of(organisation).filter(pk=pk).first()
    if membership is None:
        raise Http404("No such member.")
    return membership


def pending_memberships(organisation: Organisation) -> QuerySet[Membership]:
    """Requests to join ``organisation`` awaiting its admins, oldest first."""
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
    membership = members_of(organisation).filter(user__email__iexact=email.strip()).first()
    return membership.user if membership else None


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations to ``organisation`` whose link still works, newest first."""
    return (
        Invitation.objects.select_related("invited_by")
        .filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
    )


def invitation_for_token(raw_token: str) -> Invitation | None:
    """The invitation a link's raw token belongs to (used or not), found by
    its digest: only the hash is stored."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def usable_invitation(raw_token: str) -> Invitation | None:
    """The invitation for ``raw_token`` if its link still works."""
    invitation = invitation_for_token(raw_token)
    return invitation if invitation is not None and invitation.is_usable else None
