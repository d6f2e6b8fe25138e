"""Council admins and staff must enrol in TOTP before admin pages."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from councils.models import Membership
from tests import factories


@pytest.fixture
def admin_without_totp(council):
    return factories.member_of(
        council, Membership.Role.ADMIN, email="new.admin@leedsham.gov.uk", totp=False
    )


@pytest.mark.django_db
class TestCouncilAdmins:
    def test_without_totp_people_page_redirects_to_totp_activation(
        self, client_for, council, admin_without_totp
    ):
        url = reverse("councils:people", kwargs={"slug": council.slug})
        response = client_for(admin_without_totp).get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('mfa_activate_totp')}?{urlencode({'next': url})}"

    def test_without_totp_post_actions_are_blocked_too(
        self, client_for, council, admin_without_totp, officer
    ):
        membership = Membership.objects.get(user=officer)
        url = reverse(
            "councils:membership_remove", kwargs={"slug": council.slug, "pk": membership.pk}
        )
        response = client_for(admin_without_totp).post(url)
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE

    def test_with_totp_people_page_opens(self, client_for, council, council_admin):
        url = reverse("councils:people", kwargs={"slug": council.slug})
        assert client_for(council_admin).get(url).status_code == 200

    def test_api_answers_403_json(self, client_for, admin_without_totp):
        response = client_for(admin_without_totp).get("/api/v1/memberships/")
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]

    def test_api_token_is_no_way_round_the_rule(self, client, admin_without_totp):
        from accounts.services import create_api_token

        _token, raw = create_api_token(user=admin_without_totp, name="script")
        response = client.get("/api/v1/memberships/", HTTP_AUTHORIZATION=f"Token {raw}")
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]

    def test_officers_are_not_asked_for_mfa(self, client_for, council, officer):
        # Officers are refused the people page by policy (403), not sent to MFA set-up.
        url = reverse("councils:people", kwargs={"slug": council.slug})
        assert client_for(officer).get(url).status_code == 403

    def test_admin_sets_up_totp_then_reaches_people_page(self, client, council, admin_without_totp):
        client.post(
            reverse("account_login"),
            {"login": admin_without_totp.email, "password": factories.DEFAULT_PASSWORD},
        )
        people = reverse("councils:people", kwargs={"slug": council.slug})
        assert client.get(people).status_code == 302

        # The password was typed seconds ago: set-up does not ask for it again
        # (a session signed in earlier is asked: see the test below).
        activate = reverse("mfa_activate_totp")
        page = client.get(activate)
        assert page.status_code == 200
        html = page.content.decode()
        secret = page.context["form"].secret
        assert 'src="data:image/svg+xml' in html
        assert f'value="{secret}"' in html  # the secret is also shown as text
        assert html.count("<h1") == 1

        wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "There is a problem" in wrong.content.decode()

        code = factories.totp_code_for_secret(secret)
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_view_recovery_codes")
        codes = client.get(response["Location"])
        assert codes.status_code == 200
        assert "Unused codes" in codes.content.decode()
        # ...and offers the way back to where the admin was going.
        assert f'href="{people}">Continue</a>' in codes.content.decode()

        assert client.get(people).status_code == 200

    def test_enrolled_admin_signs_in_with_a_code(self, client, council):
        admin = factories.member_of(council, Membership.Role.ADMIN, email="two@leedsham.gov.uk")
        secret = factories.enrol_totp(admin)
        response = client.post(
            reverse("account_login"),
            {"login": admin.email, "password": factories.DEFAULT_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        page = client.get(reverse("mfa_authenticate"))
        html = page.content.decode()
        assert "Enter your code" in html and "placeholder=" not in html
        assert '<label class="govuk-label" for="id_code">Code' in html

        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert "There is a problem" in wrong.content.decode()
        assert "_auth_user_id" not in client.session

        code = factories.totp_code_for_secret(secret)
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(admin.pk)
        assert (
            client.get(reverse("councils:people", kwargs={"slug": council.slug})).status_code == 200
        )


@pytest.mark.django_db
class TestStaff:
    @pytest.mark.parametrize("path", ["/django-admin/", "/onboarding/"])
    def test_staff_without_totp_are_redirected(self, client_for, path):
        staff = factories.UserFactory(email="new.staff@platform.example", is_staff=True)
        response = client_for(staff).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))

    @pytest.mark.parametrize("path", ["/django-admin/", "/onboarding/"])
    def test_staff_with_totp_get_in(self, client_for, staff, path):
        response = client_for(staff).get(path)
        # The Django admin needs is_superuser-level permissions for its index only
        # when the user has none; a staff user still gets the page (200).
        assert response.status_code == 200


@pytest.mark.django_db
class TestTheRuleFollowsTheRole:
    """Until they enrol, privileged users are sent to enrol from every page,
    not just from a list of admin pages that could miss one."""

    def test_unenrolled_admin_is_sent_to_enrol_from_any_admin_action(
        self, client_for, council, admin_without_totp
    ):
        from initiatives.models import Initiative
        from tests import factories

        initiative = factories.make_initiative(
            council, cost_split_method=Initiative.CostSplit.CUSTOM, estimated_cost_pence=100
        )
        client = client_for(admin_without_totp)
        for path in (
            f"/initiatives/{initiative.slug}/cost-shares/",
            f"/initiatives/{initiative.slug}/lead/",
            "/initiatives/new/",
            "/",
        ):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.url.startswith(reverse("mfa_activate_totp")), path
        # Account pages stay reachable, so they can enrol and sign out
        # (a session not signed in moments ago is asked for the password
        # again before enrolment).
        enrol = client.get(reverse("mfa_activate_totp"))
        assert enrol.status_code == 302
        assert enrol.url.startswith(reverse("account_reauthenticate"))
        assert client.get(enrol.url).status_code == 200
        assert client.get(reverse("accounts:profile")).status_code == 200

    def test_officers_are_not_asked(self, client_for, officer):
        assert client_for(officer).get("/").status_code == 200


@pytest.mark.django_db
def test_django_admin_login_goes_through_allauth(client, staff):
    """The admin's own password-only form would skip the second factor and
    allauth's rate limits; it redirects to the account login instead."""
    response = client.post(
        "/django-admin/login/",
        {"username": staff.email, "password": factories.DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/django-admin/").status_code == 302
