"""Who may do what with organisations and memberships. One predicate per
decision, shared by views, API and templates."""

from .models import Membership, Organisation
from .selectors import active_membership_for


def is_platform_admin(user) -> bool:
    """Platform admins are Django staff."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def is_active_member_of(user, organisation: Organisation) -> bool:
    membership = active_membership_for(user)
    return membership is not None and membership.organisation_id == organisation.pk


def is_admin_of(user, organisation: Organisation) -> bool:
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


def can_view_members(user, organisation: Organisation) -> bool:
    """Member lists are for signed-in people only (officers' names are not public)."""
    return bool(user is not None and user.is_authenticated)


def can_edit_profile(user, organisation: Organisation) -> bool:
    """A council's own active members maintain its profile; nobody edits another's."""
    return organisation.is_active and is_active_member_of(user, organisation)


def can_manage_people(user, organisation: Organisation) -> bool:
    """Approving, inviting, changing roles and removing: the organisation's admins."""
    return organisation.is_active and is_admin_of(user, organisation)


def can_onboard_authorities(user) -> bool:
    return is_platform_admin(user)
