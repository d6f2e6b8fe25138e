"""Profile, personal API tokens and supplier access requests."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIRequestFactory

from accounts.api_auth import PersonalTokenAuthentication
from accounts.models import ApiToken
from core.tokens import hash_token
from councils.models import AccessRequest
from notifications.models import Activity
from tests import factories


def authenticate_with(raw):
    request = APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {raw}")
    return PersonalTokenAuthentication().authenticate(request)


@pytest.mark.django_db
class TestProfile:
    def test_shows_membership_mfa_status_and_tokens(self, client_for, officer):
        html = client_for(officer).get(reverse("accounts:profile")).content.decode()
        assert "Leedsham City Council" in html
        assert "Officer" in html
        assert "Two-factor authentication" in html and ">Off<" in html
        assert reverse("mfa_index") in html
        assert "You have no API tokens." in html

    def test_admin_with_totp_sees_it_on(self, client_for, council_admin):
        html = client_for(council_admin).get(reverse("accounts:profile")).content.decode()
        assert ">On<" in html
        assert "Manage people" in html

    def test_edit_name_and_job_title(self, client_for, officer):
        response = client_for(officer).post(
            reverse("accounts:profile"), {"full_name": "Olivia Okafor", "job_title": "Lead"}
        )
        assert response.status_code == 302
        officer.refresh_from_db()
        assert (officer.full_name, officer.job_title) == ("Olivia Okafor", "Lead")

    def test_blank_name_is_refused(self, client_for, officer):
        before = officer.full_name
        response = client_for(officer).post(
            reverse("accounts:profile"), {"full_name": "", "job_title": "Lead"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html and "Enter your full name" in html
        officer.refresh_from_db()
        assert officer.full_name == before and officer.job_title == ""

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("accounts:profile"))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_query_count_does_not_grow_with_tokens(
        self, client_for, officer, django_assert_max_num_queries
    ):
        client = client_for(officer)
        # 6 queries: session, user, active membership, pending memberships,
        # TOTP check, active tokens -- however many tokens there are.
        with django_assert_max_num_queries(6):
            client.get(reverse("accounts:profile"))
        for n in range(12):
            ApiToken.objects.create(
                user=officer, name=f"t{n}", prefix=f"ccp_{n:04d}", token_hash=f"{n:064d}"
            )
        with django_assert_max_num_queries(6):
            response = client.get(reverse("accounts:profile"))
        assert response.content.decode().count("Revoke<span") == 12


@pytest.mark.django_db
class TestApiTokens:
    def test_raw_token_shown_once_and_only_its_hash_stored(self, client_for, officer):
        client = client_for(officer)
        response = client.post(reverse("accounts:token_create"), {"name": "Power BI"})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        token = ApiToken.objects.get(user=officer)
        raw = response.context["raw"]
        assert raw.startswith("ccp_") and raw in response.content.decode()
        assert token.token_hash == hash_token(raw)
        assert token.prefix == raw[: ApiToken.PREFIX_LENGTH]
        assert raw not in {token.token_hash, token.prefix, token.name}
        # The list shows name and prefix, never the token again.
        profile = client.get(reverse("accounts:profile")).content.decode()
        assert "Power BI" in profile and token.prefix in profile
        assert raw not in profile
        assert authenticate_with(raw)[0] == officer
        assert Activity.objects.filter(verb="api_token.created").exists()

    def test_blank_name_is_refused(self, client_for, officer):
        response = client_for(officer).post(reverse("accounts:token_create"), {"name": " "})
        assert response.status_code == 400
        assert "Enter a name for the token" in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_revoked_token_no_longer_authenticates(self, client_for, officer):
        client = client_for(officer)
        raw = client.post(reverse("accounts:token_create"), {"name": "Script"}).context["raw"]
        token = ApiToken.objects.get()
        response = client.post(reverse("accounts:token_revoke", kwargs={"pk": token.pk}))
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        with pytest.raises(AuthenticationFailed):
            authenticate_with(raw)
        api = client.__class__()
        response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}")
        assert response.status_code == 401

    def test_cannot_revoke_someone_elses_token(self, client_for, officer, outsider):
        raw = client_for(officer).post(reverse("accounts:token_create"), {"name": "Mine"})
        raw = raw.context["raw"]
        token = ApiToken.objects.get()
        response = client_for(outsider).post(
            reverse("accounts:token_revoke", kwargs={"pk": token.pk})
        )
        assert response.status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None
        assert authenticate_with(raw)[0] == officer

    def test_token_pages_need_post(self, client_for, officer):
        assert client_for(officer).get(reverse("accounts:token_create")).status_code == 405


@pytest.mark.django_db
class TestRequestAccess:
    def test_person_without_organisation_requests_access_and_staff_are_told(
        self, client_for, staff, django_capture_on_commit_callbacks
    ):
        user = factories.UserFactory(email="sam@newsupplier.example")
        client = client_for(user)
        page = client.get(reverse("accounts:request_access"))
        assert page.status_code == 200
        assert "Request access for your organisation" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts:request_access"),
                {
                    "organisation_name": "New Supplier Ltd",
                    "kind": "supplier",
                    "website": "https://newsupplier.example",
                    "reason": "We build waste round software.",
                },
            )
        assert response.status_code == 302
        access_request = AccessRequest.objects.get(user=user)
        assert access_request.status == AccessRequest.Status.PENDING
        assert access_request.kind == "supplier"
        assert [m.to for m in mail.outbox] == [[staff.email]]
        assert "New Supplier Ltd" in mail.outbox[0].body
        # A second request is not possible while one is pending.
        again = client.get(reverse("accounts:request_access"))
        assert "waiting for a decision" in again.content.decode()
        client.post(
            reverse("accounts:request_access"),
            {"organisation_name": "Other", "kind": "supplier", "reason": "x"},
        )
        assert AccessRequest.objects.count() == 1

    def test_invalid_request_shows_errors_and_saves_nothing(self, client_for):
        user = factories.UserFactory(email="sam@newsupplier.example")
        response = client_for(user).post(
            reverse("accounts:request_access"),
            {"organisation_name": "", "kind": "council", "website": "not a url", "reason": ""},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter the organisation" in html
        assert "Say why you want to use the platform" in html
        assert not AccessRequest.objects.exists()

    def test_members_are_sent_to_their_dashboard(self, client_for, officer):
        response = client_for(officer).get(reverse("accounts:request_access"))
        assert response.status_code == 302
        assert not AccessRequest.objects.exists()
