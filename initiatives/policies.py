"""Who may do what with initiatives. One predicate per decision, used by the
pages, the API and templates alike."""

from councils.models import Membership
from councils.selectors import active_membership_for

from .models import Initiative


def _membership(user) -> Membership | None:
    return active_membership_for(user)


def can_view_initiative(user, initiative: Initiative) -> bool:
    """Mirror of ``selectors.visible_to`` for a single object already in hand."""
    from .selectors import visible_to

    if initiative.visibility == Initiative.Visibility.PUBLIC:
        return True
    return visible_to(user).filter(pk=initiative.pk).exists()


def is_lead_member(user, initiative: Initiative) -> bool:
    membership = _membership(user)
    return membership is not None and membership.organisation_id == initiative.lead_organisation_id


def is_lead_admin(user, initiative: Initiative) -> bool:
    membership = _membership(user)
    return (
        membership is not None
        and membership.organisation_id == initiative.lead_organisation_id
        and membership.role == Membership.Role.ADMIN
    )


def can_edit_initiative(user, initiative: Initiative) -> bool:
    """The lead organisation's active members edit the initiative."""
    return is_lead_member(user, initiative)


def can_create_initiative(user) -> bool:
    """Any active member of an active council or public body; suppliers do not lead."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.organisation.is_active
        and not membership.organisation.is_supplier
    )
