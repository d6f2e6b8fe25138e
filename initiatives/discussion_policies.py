"""Who may set an initiative's custom cost shares. Kept beside the other
discussion-area code until it is folded into ``initiatives.policies``."""

from . import policies
from .models import Initiative


def can_set_cost_shares(user, initiative: Initiative) -> bool:
    """The lead organisation's admins agree the custom split with partners and
    record it; nobody else may move money between councils' columns."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not policies.is_lead_admin(user, initiative):
        return False
    return initiative.lead_organisation.is_active
