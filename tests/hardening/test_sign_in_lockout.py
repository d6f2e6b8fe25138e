"""Failed sign-ins are still limited, but a stranger who knows an admin's
address cannot lock them out of a browser they have signed in from before."""

import pytest
from django.test import Client

from accounts import known_devices
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def _attempt(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _signed_in(response) -> bool:
    return response.status_code == 302


def _sign_out(client: Client) -> None:
    """Sign out as a person does (``Client.logout`` would also drop every cookie)."""
    assert client.post("/accounts/logout/").status_code == 302
    assert known_devices.COOKIE_NAME in client.cookies


def test_a_stranger_cannot_lock_out_a_known_device(officer):
    own_browser = Client()
    assert _signed_in(_attempt(own_browser, officer.email, DEFAULT_PASSWORD))
    assert known_devices.COOKIE_NAME in own_browser.cookies
    _sign_out(own_browser)

    stranger = Client()
    for _ in range(5):
        assert not _signed_in(_attempt(stranger, officer.email, "wrong guess"))
    refused = _attempt(stranger, officer.email, DEFAULT_PASSWORD)
    assert not _signed_in(refused)
    assert TOO_MANY in refused.content.decode()

    # The person, in the browser they use, still gets in with their password.
    assert _signed_in(_attempt(own_browser, officer.email, DEFAULT_PASSWORD))


def test_guessing_from_a_known_device_is_limited_too(officer):
    browser = Client()
    assert _signed_in(_attempt(browser, officer.email, DEFAULT_PASSWORD))
    _sign_out(browser)
    for _ in range(5):
        assert not _signed_in(_attempt(browser, officer.email, "wrong guess"))
    assert TOO_MANY in _attempt(browser, officer.email, DEFAULT_PASSWORD).content.decode()


def test_a_device_cookie_for_someone_else_or_forged_counts_as_unknown(officer, council_admin):
    browser = Client()
    assert _signed_in(_attempt(browser, officer.email, DEFAULT_PASSWORD))
    _sign_out(browser)
    stranger = Client()
    for _ in range(5):
        _attempt(stranger, council_admin.email, "wrong guess")
    # The officer's device cookie says nothing about the admin's account...
    assert TOO_MANY in _attempt(browser, council_admin.email, "x").content.decode()
    # ...and a tampered cookie is no device at all.
    stranger.cookies[known_devices.COOKIE_NAME] = browser.cookies[known_devices.COOKIE_NAME].value[
        :-2
    ]
    assert TOO_MANY in _attempt(stranger, council_admin.email, "x").content.decode()
