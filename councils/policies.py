"""Who may do what with organisations and memberships. One predicate per
decision, shared by views, API, templates and the services that enforce
them; a ``*_refusal`` function answers ``None`` (allowed) or the reason,
so every door shows the words the service would raise."""

from __future__ import annotations

from core.email_domains import is_personal_address

from .models import Invitation, Membership, Organisation
from .selectors.people import active_membership_for


def is_platform_admin(user) -> bool:
    """Platform admins are Django staff."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def is_active_member_of(user, organisation: Organisation) -> bool:
    """The user acts for ``organisation`` (an active membership of it)."""
    membership = active_membership_for(user)
    return membership is not None and membership.organisation_id == organisation.pk


def is_admin_of(user, organisation: Organisation) -> bool:
    """The user is one of ``organisation``'s active admins."""
    membership = active_membership_for(user)
    return (
        membership is not None
        and membership.organisation_id == organisation.pk
        and membership.role == Membership.Role.ADMIN
    )


def is_council_admin(user) -> bool:
    """Admin of whichever organisation the user belongs to (for MFA enforcement)."""
    membership = active_membership_for(user)
    return membership is not None and membership.role == Membership.Role.ADMIN


def user_needs_mfa(user) -> bool:
    """Staff and council admins are privileged: they must enrol in two-factor
    authentication before any page or API call (the rule follows the role)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or is_council_admin(user))


def may_see_personal_names(user) -> bool:
    """People's names (officers, admins, commenters, key contacts, sponsors)
    go only to people the platform vouches for: platform staff, and members
    of an active organisation. Everyone else (anonymous visitors, accounts
    with no membership or a pending or rejected one, members of an ended or
    not yet onboarded organisation) sees the organisation and role instead.

    The one rule for every door (pages, API, CSV, e-mail); ``councils.names``
    applies it. At most one query per user object: the active membership,
    cached on the user by ``active_membership_for``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_platform_admin(user):
        return True
    membership = active_membership_for(user)
    return membership is not None and membership.organisation.is_active


def can_view_members(user, organisation: Organisation) -> bool:
    """Member lists are lists of names: whoever may see personal names."""
    return may_see_personal_names(user)


def can_edit_profile(user, organisation: Organisation) -> bool:
    """A council's own active members maintain its profile; nobody edits another's."""
    return organisation.is_active and is_active_member_of(user, organisation)


def can_manage_people(user, organisation: Organisation) -> bool:
    """Approving, inviting, changing roles and removing: the organisation's admins."""
    return organisation.is_active and is_admin_of(user, organisation)


def can_onboard_authorities(user) -> bool:
    """Switching authorities on, domains, first admins, access requests: platform admins."""
    return is_platform_admin(user)


def invitee_refusal(user, invitation: Invitation) -> str | None:
    """An invitation is for the address it was sent to, so a forwarded link
    cannot be used by someone else."""
    if invitation.email.lower() == user.email.lower():
        return None
    return (
        f"This invitation was sent to {invitation.email}, but you are signed in as "
        f"{user.email}. Sign in with that address instead."
    )


def personal_address_warning(email: str) -> str | None:
    """Inviting a webmail address (gmail.com...) is allowed, but it is usually
    a slip (a council address was meant), so the inviter is asked first."""
    if not is_personal_address(email):
        return None
    return (
        f"{email.strip().lower()} is a personal e-mail address. Invitations usually go to "
        "council addresses; send it anyway?"
    )


def joining_elsewhere_refusal(user, organisation: Organisation) -> str | None:
    """A person belongs to one organisation at a time."""
    current = active_membership_for(user)
    if current is None or current.organisation_id == organisation.pk:
        return None
    return (
        f"You are already a member of {current.organisation.name}. "
        "You can belong to one organisation at a time: leave it first."
    )


def access_request_refusal(user) -> str | None:
    """Only people without an organisation ask for a new one."""
    if active_membership_for(user) is None:
        return None
    return "You already belong to an organisation."
