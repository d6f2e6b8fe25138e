"""Two gaps an outside probe found in the two-factor rule: an unenrolled
admin's token sent alongside someone else's session, and a "next" address
that points at another site."""

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.services import create_api_token
from collab_platform.middleware import MFA_NEXT_SESSION_KEY
from councils.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_without_totp(council):
    return factories.member_of(
        council, Membership.Role.ADMIN, email="new.admin@leedsham.gov.uk", totp=False
    )


def test_a_token_with_another_persons_session_is_checked_as_the_token(admin_without_totp, officer):
    _token, raw = create_api_token(user=admin_without_totp, name="script")
    browser = Client()
    browser.force_login(officer)  # any other signed-in session cookie
    response = browser.get("/api/v1/initiatives/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_the_officers_own_session_still_works_without_a_token(officer):
    browser = Client()
    browser.force_login(officer)
    assert browser.get("/api/v1/initiatives/").status_code == 200


def test_an_unenrolled_admin_cannot_create_a_token(client_for, admin_without_totp):
    response = client_for(admin_without_totp).post("/accounts/tokens/", {"name": "script"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")
    assert not ApiToken.objects.filter(user=admin_without_totp).exists()


def test_an_enrolled_admin_can(client_for, council_admin):
    response = client_for(council_admin).post("/accounts/tokens/", {"name": "script"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=council_admin).count() == 1


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("//evil.example/", "/"),
        # The test client reads this one as host + path, as a proxy might.
        ("//evil.example/initiatives/", "/initiatives/"),
    ],
)
def test_continue_after_set_up_never_leaves_the_site(client_for, admin_without_totp, path, kept):
    client = client_for(admin_without_totp)
    response = client.get(path)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert client.session[MFA_NEXT_SESSION_KEY] == kept


def test_a_local_next_is_kept(client_for, admin_without_totp, council):
    client = client_for(admin_without_totp)
    client.get(f"/councils/{council.slug}/people/?tab=pending")
    assert client.session[MFA_NEXT_SESSION_KEY] == f"/councils/{council.slug}/people/?tab=pending"
