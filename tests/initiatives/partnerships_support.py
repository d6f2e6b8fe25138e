"""Arrangement helpers and personas for the partnership, follow and policy-matrix
tests (imported by those modules; not a conftest, so other areas are unaffected).

Personas added to the shared ones (tests/conftest.py):
- ``partner_council``: another active council, "Partnerton";
- ``partner_admin`` (TOTP-enrolled, as admins must) and ``partner_officer``.
"""

import pytest
from rest_framework.test import APIClient

from councils.models import Membership
from initiatives.models import Initiative, Partnership, PartnershipEvent
from tests import factories

Status = Partnership.Status
Role = Partnership.Role
Visibility = Initiative.Visibility


def make_initiative(lead, **fields) -> Initiative:
    """An initiative led by ``lead`` with its ACTIVE LEAD partnership and
    partner_count 1, as the create service leaves it."""
    fields.setdefault("visibility", Visibility.PUBLIC)
    fields.setdefault("title", "Shared waste round planning")
    fields.setdefault("summary", "Plan waste rounds together across councils.")
    fields.setdefault("slug", f"h5-initiative-{Initiative.objects.count() + 1}")
    fields.setdefault("partner_count", 1)
    initiative = Initiative.objects.create(lead_organisation=lead, **fields)
    Partnership.objects.create(
        initiative=initiative, organisation=lead, role=Role.LEAD, status=Status.ACTIVE
    )
    return initiative


def add_partnership(initiative, organisation, *, status=Status.INTERESTED, role=None):
    """Arrange a partnership directly (the services are what the tests exercise)."""
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


@pytest.fixture
def partner_council(db):
    org = factories.OrganisationFactory(
        name="Partnerton", official_name="Partnerton District Council", slug="partnerton"
    )
    factories.EmailDomainFactory(organisation=org, domain="partnerton.gov.uk")
    return org


@pytest.fixture
def partner_admin(partner_council):
    user = factories.member_of(
        partner_council, Membership.Role.ADMIN, email="pat.admin@partnerton.gov.uk"
    )
    factories.enrol_totp(user)
    return user


@pytest.fixture
def partner_officer(partner_council):
    return factories.member_of(
        partner_council, Membership.Role.MEMBER, email="percy.officer@partnerton.gov.uk"
    )


@pytest.fixture
def initiative(council):
    return make_initiative(council, title="Shared waste round planning", slug="waste-rounds")


@pytest.fixture
def api_for():
    """An API client logged in as ``user`` (or anonymous for None)."""

    def _client(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client
