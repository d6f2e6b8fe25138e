"""Personas and initiatives shared by the initiative tests, added to the
project's (tests/conftest.py: council, officer, council_admin, outsider...):

- ``initiative``: a public initiative led by ``council`` (its lead
  partnership only);
- ``partner_council``: another active council, "Partnerton", with
  ``partner_admin`` (TOTP-enrolled, as admins must) and ``partner_officer``;
  it has no partnership until a test arranges one;
- ``committed_partner_officer`` / ``interested_officer``: officers of two
  more councils, already COMMITTED to / INTERESTED in ``initiative``.
"""

import pytest

from councils.models import Membership
from initiatives.models import Partnership
from tests import factories

from .support.partnerships import add_partnership


@pytest.fixture
def initiative(council):
    return factories.make_initiative(
        council, title="Shared waste round planning", slug="waste-rounds"
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
def committed_partner_officer(initiative):
    org = factories.OrganisationFactory(name="Committon", population=500_000)
    add_partnership(initiative, org, status=Partnership.Status.COMMITTED)
    return factories.member_of(org, Membership.Role.MEMBER)


@pytest.fixture
def interested_officer(initiative):
    org = factories.OrganisationFactory(name="Keenshire")
    add_partnership(initiative, org, status=Partnership.Status.INTERESTED)
    return factories.member_of(org, Membership.Role.MEMBER)
