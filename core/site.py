"""The platform's one name and one address, for everything sent outside a
page (e-mails above all). Imports no app.

A link in an e-mail must not depend on the request that caused it: the host a
browser (or a proxy, or an attacker's ``Host`` header) used is not the
platform's address. Every e-mail, the platform's own (``notifications.emails``)
and allauth's (links in ``accounts.adapter``, sending in
``notifications.account_emails``), names the site ``settings.SITE_NAME`` and
links to ``settings.SITE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (``/accounts/login/``) on ``SITE_URL``."""
    return settings.SITE_URL + path


def on_site(url: str) -> str:
    """The same page as ``url`` (absolute on any host, or a path) on ``SITE_URL``."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


@dataclass(frozen=True)
class PlatformSite:
    """What templates written for ``django.contrib.sites`` read as
    ``current_site``: the platform's name and the host of ``SITE_URL``, never
    the request's host (Django's ``RequestSite`` would name the site
    "127.0.0.1:8000")."""

    name: str
    domain: str

    @classmethod
    def current(cls) -> PlatformSite:
        return cls(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def email_context() -> dict[str, object]:
    """What every e-mail template gets: ``site_name``, ``site_url`` and ``current_site``."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "current_site": PlatformSite.current(),
    }
