"""/api/v1/me/: who the caller is and which organisation they act for."""

import pytest

from accounts.models import ApiToken
from core.tokens import hash_token
from tests import factories

ME = "/api/v1/me/"


def make_token(user) -> str:
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name="test", prefix=raw[:8], token_hash=hash_token(raw))
    return raw


def test_anonymous_is_401_with_the_token_challenge(api_client, db):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_officer_sees_their_membership(api_client, officer, council):
    api_client.force_authenticate(officer)
    response = api_client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "olivia.officer@leedsham.gov.uk"
    assert body["display_name"] == officer.display_name
    assert body["is_platform_admin"] is False
    assert body["membership"]["role"] == "member"
    assert body["membership"]["organisation"]["slug"] == council.slug
    assert body["membership"]["organisation"]["url"].endswith(f"/organisations/{council.slug}/")


@pytest.mark.parametrize(
    ("persona", "role"),
    [("facilitator", "facilitator"), ("council_admin", "admin"), ("outsider", "admin")],
)
def test_roles_of_personas(api_client, request, persona, role):
    user = request.getfixturevalue(persona)
    api_client.force_authenticate(user)
    assert api_client.get(ME).json()["membership"]["role"] == role


def test_supplier_user(api_client, supplier_user, supplier):
    api_client.force_authenticate(supplier_user)
    organisation = api_client.get(ME).json()["membership"]["organisation"]
    assert organisation["slug"] == "acme-digital" and organisation["kind"] == "supplier"


def test_staff_without_membership(api_client, staff):
    api_client.force_authenticate(staff)
    body = api_client.get(ME).json()
    assert body["is_platform_admin"] is True
    assert body["membership"] is None


def test_pending_member_has_no_membership_yet(api_client, council):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=council, status="pending")
    api_client.force_authenticate(user)
    assert api_client.get(ME).json()["membership"] is None


def test_personal_token(api_client, officer):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(officer)}")
    response = api_client.get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == officer.email


def test_revoked_token_is_401(api_client, officer):
    from django.utils import timezone

    raw = make_token(officer)
    ApiToken.objects.filter(user=officer).update(revoked_at=timezone.now())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api_client.get(ME).status_code == 401


def test_session_login_works_too(client_for, officer):
    response = client_for(officer).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == officer.email


def test_me_is_read_only(api_client, officer):
    api_client.force_authenticate(officer)
    assert api_client.patch(ME, {"full_name": "Changed"}, format="json").status_code == 405
    officer.refresh_from_db()
    assert officer.full_name != "Changed"


def test_query_count(api_client, officer, django_assert_max_num_queries):
    raw = make_token(officer)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    api_client.get(ME)  # first use stamps last_used_at
    # The token (with its user joined) and the membership (with its organisation).
    with django_assert_max_num_queries(2):
        assert api_client.get(ME).status_code == 200
