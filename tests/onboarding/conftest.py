"""Fixtures for the staff onboarding tests."""

import pytest

from councils.models import AccessRequest, Organisation
from tests import factories


@pytest.fixture
def registered(db):
    """An authority imported from the register but not yet onboarded."""
    return factories.OrganisationFactory(
        name="Wakefield",
        official_name="City of Wakefield Metropolitan District Council",
        slug="wakefield",
        register_code="WKF",
        gss_code="E08000036",
        status=Organisation.Status.REGISTERED,
    )


@pytest.fixture
def ended(db):
    return factories.OrganisationFactory(
        name="Oldshire",
        slug="oldshire",
        register_code="OLD",
        gss_code="E10999999",
        status=Organisation.Status.ENDED,
    )


@pytest.fixture
def requester(db):
    return factories.UserFactory(email="rita.requester@northwind.example", full_name="Rita Reed")


@pytest.fixture
def access_request(requester):
    return AccessRequest.objects.create(
        user=requester,
        organisation_name="Northwind Software Ltd",
        kind=Organisation.Kind.SUPPLIER,
        website="https://northwind.example",
        reason="We run the waste system for twelve councils.",
    )
