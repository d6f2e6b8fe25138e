"""Arrangements for the partnership tests: put a partnership in a given state
directly (the services are what the tests exercise), and take a snapshot of
what a refused transition must leave unchanged."""

from initiatives.models import Initiative, Partnership, PartnershipEvent
from tests import factories

Status = Partnership.Status
Role = Partnership.Role
Visibility = Initiative.Visibility


def add_partnership(initiative, organisation=None, *, status=Status.INTERESTED, role=None):
    """A partnership of ``organisation`` (a new council when None) in the
    given state; suppliers take the supplier role unless ``role`` says otherwise."""
    organisation = organisation or factories.OrganisationFactory()
    if role is None:
        role = Role.SUPPLIER if organisation.is_supplier else Role.PARTNER
    return factories.PartnershipFactory(
        initiative=initiative, organisation=organisation, status=status, role=role
    )


def snapshot(partnership: Partnership) -> tuple:
    """What must not change when a transition is refused."""
    partnership.refresh_from_db()
    return (
        partnership.status,
        partnership.role,
        partnership.political_sponsor,
        partnership.officer_sponsor,
        partnership.pledged_pence,
        partnership.pledged_staff_days,
        partnership.signed_off_by_id,
        PartnershipEvent.objects.filter(partnership=partnership).count(),
    )
