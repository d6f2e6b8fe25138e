"""The onboarding services called directly: the rules every door shares."""

import pytest
from django.core.exceptions import ValidationError

from councils.models import EmailDomain, Organisation
from councils.services import onboarding
from notifications.models import Activity


def test_domains_are_normalised_and_recorded(registered, staff):
    email_domain = onboarding.add_email_domain(
        organisation=registered, domain=" @WakeField.Gov.UK. ", by=staff
    )

    assert email_domain.domain == "wakefield.gov.uk"
    activity = Activity.objects.get(verb="organisation.domain_added")
    assert (activity.actor, activity.organisation, activity.target) == (
        staff,
        registered,
        email_domain,
    )


def test_the_same_domain_twice_is_refused_with_a_clear_message(registered, staff):
    onboarding.add_email_domain(organisation=registered, domain="wakefield.gov.uk", by=staff)

    with pytest.raises(ValidationError) as error:
        onboarding.add_email_domain(organisation=registered, domain="WAKEFIELD.gov.uk", by=staff)

    assert error.value.message_dict == {
        "domain": ["wakefield.gov.uk already belongs to this organisation."]
    }
    assert EmailDomain.objects.count() == 1


def test_removing_a_domain_is_recorded_with_its_name(council, staff):
    onboarding.remove_email_domain(email_domain=council.email_domains.get(), by=staff)

    assert not council.email_domains.exists()
    activity = Activity.objects.get(verb="organisation.domain_removed")
    assert activity.data == {"domain": "leedsham.gov.uk"}
    assert activity.organisation == council


def test_activating_twice_is_refused(registered, staff):
    onboarding.activate_organisation(organisation=registered, by=staff)

    with pytest.raises(ValidationError, match="already active"):
        onboarding.activate_organisation(organisation=registered, by=staff)
    assert Activity.objects.filter(verb="organisation.activated").count() == 1


def test_create_organisation_refuses_register_kinds_and_bad_domains(staff):
    with pytest.raises(ValidationError) as error:
        onboarding.create_organisation(
            kind=Organisation.Kind.COUNCIL, official_name="Fake Council", by=staff
        )
    assert "kind" in error.value.message_dict
    assert not Organisation.objects.filter(official_name="Fake Council").exists()

    with pytest.raises(ValidationError) as error:
        onboarding.create_organisation(
            kind=Organisation.Kind.PUBLIC_BODY,
            official_name="NHS Digital Example",
            domains=["good.example", "not a domain"],
            by=staff,
        )
    assert "domains" in error.value.message_dict
    assert not Organisation.objects.filter(official_name="NHS Digital Example").exists()
    assert not EmailDomain.objects.filter(domain="good.example").exists()


def test_create_organisation_gives_unique_slugs(staff):
    first = onboarding.create_organisation(
        kind=Organisation.Kind.SUPPLIER, official_name="Civic Tools Ltd", by=staff
    )
    second = onboarding.create_organisation(
        kind=Organisation.Kind.SUPPLIER, official_name="Civic Tools Ltd", by=staff
    )

    assert (first.slug, second.slug) == ("civic-tools-ltd", "civic-tools-ltd-2")
    assert first.name == "Civic Tools Ltd"  # the short name defaults to the official one
