"""Personas and shared fixtures (healthchecks' alice/bob/charlie, for councils).

- ``council``: an active council with an e-mail domain;
- ``officer``, ``facilitator``, ``council_admin``: its members (the admin has
  enrolled in two-factor authentication, as admins must);
- ``outsider``: an officer of another, unrelated council who must be refused
  everywhere the council's private data lives;
- ``supplier_user``: a member of a supplier organisation;
- ``staff``: a platform admin (Django staff) with two-factor enrolled.
"""

import os

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from councils.models import Membership
from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"

# Property tests check correctness, not speed: a loaded CI machine must not
# turn hypothesis's per-example deadline into a flaky failure.
hypothesis_settings.register_profile("project", deadline=None, print_blob=True)
hypothesis_settings.load_profile("project")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip locally on SQLite, but CI must run them."""
    if settings.IS_POSTGRES:
        return
    if IN_CI:
        raise pytest.UsageError("CI=true but DATABASE_URL does not point at PostgreSQL.")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_hashing_and_mail(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def council(db):
    org = factories.OrganisationFactory(name="Leedsham", official_name="Leedsham City Council")
    factories.EmailDomainFactory(organisation=org, domain="leedsham.gov.uk")
    return org


@pytest.fixture
def other_council(db):
    org = factories.OrganisationFactory(
        name="Otherton", official_name="Otherton Borough Council", region="South East"
    )
    factories.EmailDomainFactory(organisation=org, domain="otherton.gov.uk")
    return org


@pytest.fixture
def officer(council):
    return factories.member_of(
        council, Membership.Role.MEMBER, email="olivia.officer@leedsham.gov.uk"
    )


@pytest.fixture
def facilitator(council):
    return factories.member_of(
        council, Membership.Role.FACILITATOR, email="fred.facilitator@leedsham.gov.uk"
    )


@pytest.fixture
def council_admin(council):
    user = factories.member_of(council, Membership.Role.ADMIN, email="ada.admin@leedsham.gov.uk")
    factories.enrol_totp(user)
    return user


@pytest.fixture
def outsider(other_council):
    return factories.member_of(
        other_council, Membership.Role.ADMIN, email="oscar.outsider@otherton.gov.uk"
    )


@pytest.fixture
def supplier(db):
    org = factories.SupplierFactory(name="Acme Digital Ltd", slug="acme-digital")
    factories.EmailDomainFactory(organisation=org, domain="acme.example")
    return org


@pytest.fixture
def supplier_user(supplier):
    return factories.member_of(supplier, Membership.Role.MEMBER, email="sam@acme.example")


@pytest.fixture
def staff(db):
    user = factories.UserFactory(email="stella.staff@platform.example", is_staff=True)
    factories.enrol_totp(user)
    return user


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(officer).get(...)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_client():
    """An anonymous REST client; ``api_client.force_authenticate(user)`` to act as someone."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_for():
    """A REST client acting as ``user`` (anonymous for None): ``api_for(officer).get(...)``.
    The one way tests reach the API as a persona."""
    from rest_framework.test import APIClient

    def _client(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks():
    """Each test starts with an empty cache (allauth's rate limits live there,
    in Redis under CI) and runs Celery tasks in-process."""
    from django.core.cache import cache

    from collab_platform.celery import app

    cache.clear()
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    cache.clear()


def pytest_sessionstart(session):
    """Under CI every service is real and required: Redis must answer at
    REDIS_URL (cache, rate limits, channel layer, broker). Chromium is checked
    by tests/e2e/conftest.py."""
    if not IN_CI:
        return
    import redis

    if not settings.REDIS_URL:
        raise pytest.UsageError("CI=true but REDIS_URL is not set.")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise pytest.UsageError(f"CI=true but Redis at REDIS_URL does not answer: {exc}") from exc
