"""Arrangement helpers for the updates, discussion and cost-sharing tests
(imported by those test modules; not a conftest, so other areas are unaffected)."""

import pytest

from councils.models import Membership
from initiatives.models import Initiative, Partnership
from tests import factories


def make_initiative(lead, **fields) -> Initiative:
    """An initiative led by ``lead`` with its lead partnership (as the create
    service makes it)."""
    fields.setdefault("visibility", Initiative.Visibility.PUBLIC)
    fields.setdefault("title", "Shared waste round planning")
    fields.setdefault("summary", "Plan waste rounds together across councils.")
    fields.setdefault("slug", f"initiative-{Initiative.objects.count() + 1}")
    initiative = Initiative.objects.create(lead_organisation=lead, **fields)
    Partnership.objects.create(
        initiative=initiative,
        organisation=lead,
        role=Partnership.Role.LEAD,
        status=Partnership.Status.ACTIVE,
    )
    return initiative


def add_partner(initiative, organisation=None, *, status=Partnership.Status.ACTIVE, **kw):
    organisation = organisation or factories.OrganisationFactory()
    return factories.PartnershipFactory(
        initiative=initiative, organisation=organisation, status=status, **kw
    )


@pytest.fixture
def initiative(council):
    return make_initiative(council, estimated_cost_pence=1_000_000)


@pytest.fixture
def partner_council(initiative):
    org = factories.OrganisationFactory(name="Partnerton", population=500_000)
    add_partner(initiative, org, status=Partnership.Status.COMMITTED)
    return org


@pytest.fixture
def partner_officer(partner_council):
    return factories.member_of(partner_council, Membership.Role.MEMBER)


@pytest.fixture
def interested_officer(initiative):
    org = factories.OrganisationFactory(name="Keenshire")
    add_partner(initiative, org, status=Partnership.Status.INTERESTED)
    return factories.member_of(org, Membership.Role.MEMBER)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
