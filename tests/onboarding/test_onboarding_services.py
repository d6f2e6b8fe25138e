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


# Shared domains: public suffixes and webmail ---------------------------------------------


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        (
            "gov.uk",
            "gov.uk is shared by many organisations, so it cannot identify one council. "
            "Use the council's own domain, such as leeds.gov.uk.",
        ),
        ("@CO.UK", "co.uk is shared by many organisations"),
        ("sch.uk", "sch.uk is shared by many organisations"),
        ("anyschool.sch.uk", "anyschool.sch.uk is shared by many organisations"),
        ("gmail.com", "gmail.com is a public e-mail service"),
        ("Outlook.com", "outlook.com is a public e-mail service"),
        ("hotmail.co.uk", "hotmail.co.uk is a public e-mail service"),
        ("mail.yahoo.co.uk", "mail.yahoo.co.uk is a public e-mail service"),
    ],
)
def test_shared_domains_are_refused_and_nothing_is_recorded(council, staff, domain, message):
    with pytest.raises(ValidationError) as error:
        onboarding.add_email_domain(organisation=council, domain=domain, by=staff)

    assert list(error.value.message_dict) == ["domain"]
    assert error.value.message_dict["domain"][0].startswith(message)
    assert list(EmailDomain.objects.values_list("domain", flat=True)) == ["leedsham.gov.uk"]
    assert not Activity.objects.filter(verb="organisation.domain_added").exists()


def test_a_single_label_is_refused_by_the_pattern(council, staff):
    with pytest.raises(ValidationError) as error:
        onboarding.add_email_domain(organisation=council, domain="com", by=staff)
    assert error.value.message_dict == {
        "domain": ["Enter a domain such as leeds.gov.uk, in lower case, without @."]
    }


def test_an_organisations_own_domains_are_accepted(council, staff):
    for domain in ("leedsham-city.gov.uk", "mail.leedsham.gov.uk", "leedshamtrust.nhs.uk"):
        onboarding.add_email_domain(organisation=council, domain=domain, by=staff)
    assert council.email_domains.count() == 4


def test_a_supplier_with_a_webmail_domain_is_not_created(staff):
    with pytest.raises(ValidationError) as error:
        onboarding.create_organisation(
            kind=Organisation.Kind.SUPPLIER,
            official_name="Bluefin Ltd",
            domains=["bluefin.example", "gmail.com", "co.uk"],
            by=staff,
        )
    assert error.value.message_dict == {
        "domains": [
            "gmail.com is a public e-mail service: anyone can have an address there, so it "
            "cannot identify one organisation. Use the organisation's own domain, such as "
            "acme.co.uk.",
            "co.uk is shared by many organisations, so it cannot identify one organisation. "
            "Use the organisation's own domain, such as acme.co.uk.",
        ]
    }
    assert not Organisation.objects.filter(official_name="Bluefin Ltd").exists()
    assert not EmailDomain.objects.filter(domain="bluefin.example").exists()
    assert not Activity.objects.exists()


def test_the_model_field_refuses_shared_domains_too(council):
    """Doors that do not use the service (the admin, imports) call full_clean."""
    for domain in ("gov.uk", "gmail.com"):
        with pytest.raises(ValidationError) as error:
            EmailDomain(organisation=council, domain=domain).full_clean()
        assert "domain" in error.value.message_dict
    EmailDomain(organisation=council, domain="leedsham-city.gov.uk").full_clean()


def test_a_stored_shared_domain_never_matches_at_sign_up(council):
    """A row saved before the rule (here bypassing validation) is ignored."""
    from councils.selectors.people import organisation_for_email

    EmailDomain.objects.create(organisation=council, domain="gmail.com")
    assert organisation_for_email("alex@gmail.com") is None
    assert organisation_for_email("alex@leedsham.gov.uk") == council
