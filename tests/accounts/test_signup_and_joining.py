"""Sign-up, e-mail verification and what it leads to: a join request to the
council that owns the domain, an accepted invitation, or the dashboard's
next steps. Driven through allauth's real pages and e-mails."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from councils.models import Invitation, Membership
from councils.services.people import create_invitation
from notifications.models import Activity
from tests import factories

PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client, email, full_name="Priya Patel", job_title="Digital lead", next_url=""):
    data = {
        "full_name": full_name,
        "job_title": job_title,
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    if next_url:
        data["next"] = next_url
    # allauth's e-mails leave through the outbox once the request's work commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("account_signup"), data)


def confirm_from_outbox(client, email):
    """Follow the link in the verification e-mail, as the person would."""
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm your email address" in page.content.decode()
    return client.post(url)


@pytest.mark.django_db
class TestSignup:
    def test_signup_page_asks_for_name_email_and_password(self, client):
        html = client.get(reverse("account_signup")).content.decode()
        for label in ("Full name", "Job title", "Email", "Password"):
            assert f">{label}" in html
        assert ">Sign up</button>" in html
        assert html.index('name="full_name"') < html.index('name="email"')

    def test_missing_name_and_bad_email_show_errors_and_create_nothing(self, client):
        response = client.post(
            reverse("account_signup"),
            {"full_name": "", "email": "nope", "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter your full name" in html
        assert 'href="#id_email"' in html
        assert not User.objects.exists()
        assert mail.outbox == []

    def test_council_domain_signup_leads_to_pending_request_and_admin_is_told(
        self, client, council, council_admin, django_capture_on_commit_callbacks
    ):
        response = sign_up(client, "priya.patel@leedsham.gov.uk")
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        user = User.objects.get(email="priya.patel@leedsham.gov.uk")
        assert (user.full_name, user.job_title) == ("Priya Patel", "Digital lead")
        assert not Membership.objects.filter(user=user).exists()

        with django_capture_on_commit_callbacks(execute=True):
            confirm_from_outbox(client, "priya.patel@leedsham.gov.uk")

        membership = Membership.objects.get(user=user)
        assert membership.organisation == council
        assert membership.status == Membership.Status.PENDING
        assert membership.role == Membership.Role.MEMBER
        to_admin = [m for m in mail.outbox if m.to == [council_admin.email]]
        assert len(to_admin) == 1
        assert "Priya Patel" in to_admin[0].subject
        assert reverse("councils:people", kwargs={"slug": council.slug}) in to_admin[0].body
        assert Activity.objects.filter(verb="membership.requested").exists()

        # Signed in by the confirmation; the dashboard says they are waiting.
        dashboard = client.get(reverse("home")).content.decode()
        assert "Waiting for approval" in dashboard
        assert "Leedsham" in dashboard

    def test_unknown_domain_gets_no_membership_and_next_steps(self, client, council):
        sign_up(client, "jo@unregistered.example")
        confirm_from_outbox(client, "jo@unregistered.example")
        user = User.objects.get(email="jo@unregistered.example")
        assert not Membership.objects.filter(user=user).exists()
        dashboard = client.get(reverse("home")).content.decode()
        assert "You are not part of an organisation yet" in dashboard
        assert reverse("accounts:request_access") in dashboard

    def test_unverified_user_cannot_sign_in(self, client, council):
        sign_up(client, "priya.patel@leedsham.gov.uk")
        client.logout()
        response = client.post(
            reverse("account_login"),
            {"login": "priya.patel@leedsham.gov.uk", "password": PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        assert not Membership.objects.exists()


@pytest.mark.django_db
class TestInvitationJourney:
    def invite(self, council, by, email="newbie@leedsham.gov.uk", role=Membership.Role.FACILITATOR):
        invitation, raw = create_invitation(organisation=council, email=email, role=role, by=by)
        return invitation, reverse("councils:accept_invitation", kwargs={"token": raw})

    def test_invited_person_signs_up_and_joins_with_the_invited_role(
        self, client, council, council_admin, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            self.invite(council, council_admin)
        link = re.search(r"https?://[^/\s]+(/councils/invitations/[^\s]+/)", mail.outbox[0].body)
        page = client.get(link.group(1))
        html = page.content.decode()
        assert page.status_code == 200
        assert "Join Leedsham City Council" in html
        assert "Facilitator" in html
        assert f"{reverse('account_signup')}?next=" in html
        assert f"{reverse('account_login')}?next=" in html

        # The sign-up form has the invited address filled in and locked.
        form = client.get(f"{reverse('account_signup')}?next={link.group(1)}").content.decode()
        email_input = re.search(r'<input[^>]*name="email"[^>]*>', form).group(0)
        assert 'value="newbie@leedsham.gov.uk"' in email_input and "readonly" in email_input
        assert "already confirmed" in form

        # Whatever is posted for the address, the invited one is used; the
        # link proved it, so there is no verification e-mail to wait for.
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            signed_up = sign_up(client, "someone.else@example.org", next_url=link.group(1))
        # Signed in at once and sent back to the invitation, which says they joined.
        assert signed_up.status_code == 302
        assert signed_up["Location"] == link.group(1)
        assert "You have joined Leedsham" in client.get(link.group(1)).content.decode()
        assert not [m for m in mail.outbox if "confirm" in m.subject.lower()]
        assert not User.objects.filter(email="someone.else@example.org").exists()

        user = User.objects.get(email="newbie@leedsham.gov.uk")
        assert user.emailaddress_set.get().verified
        membership = Membership.objects.get(user=user)
        assert membership.status == Membership.Status.ACTIVE
        assert membership.role == Membership.Role.FACILITATOR
        assert Invitation.objects.get().accepted_by == user
        # The invitation replaced the domain-based request: admins were not asked.
        assert not [m for m in mail.outbox if m.to == [council_admin.email]]
        assert "Leedsham" in client.get(reverse("home")).content.decode()

        # The link opened again later, signed out: it says so and offers sign-in.
        client.logout()
        again = client.get(link.group(1))
        assert again.status_code == 200
        html = again.content.decode()
        assert "This invitation has already been accepted" in html
        assert f"{reverse('account_login')}?next=" in html
        assert "invite you again" in html  # for someone who did not accept it

    def test_an_invited_admin_sets_up_two_factor_without_signing_in_twice(
        self, client, council, council_admin, django_capture_on_commit_callbacks
    ):
        _, url = self.invite(council, council_admin, role=Membership.Role.ADMIN)
        client.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            signed_up = sign_up(client, "newbie@leedsham.gov.uk", next_url=url)
        # Admins must set up two-factor authentication before anything else...
        landing = client.get(signed_up["Location"], follow=True)
        assert landing.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
        # ...and are not asked for the password they typed seconds ago.
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200, page.get("Location")
        assert "Confirm it is you" not in page.content.decode()
        assert Membership.objects.get(user__email="newbie@leedsham.gov.uk").role == "admin"

    def test_a_verification_link_is_still_needed_for_any_other_address(self, client, council):
        """Only the invitation's own address is taken as proved."""
        sign_up(client, "priya.patel@leedsham.gov.uk")
        assert (
            not User.objects.get(email="priya.patel@leedsham.gov.uk")
            .emailaddress_set.get()
            .verified
        )
        assert any(m.to == ["priya.patel@leedsham.gov.uk"] for m in mail.outbox)

    def test_signed_in_user_accepts_by_post(self, client_for, council, council_admin):
        invitation, url = self.invite(council, council_admin, email="joiner@leedsham.gov.uk")
        joiner = factories.UserFactory(email="joiner@leedsham.gov.uk")
        client = client_for(joiner)
        assert "Accept invitation" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 302
        membership = Membership.objects.get(user=joiner)
        assert (membership.status, membership.role) == ("active", "facilitator")
        # The spent link now says so rather than offering it again.
        assert "You have joined Leedsham" in client.get(url).content.decode()

    def test_wrong_address_is_refused_and_changes_nothing(
        self, client_for, council, council_admin, other_council
    ):
        invitation, url = self.invite(council, council_admin, email="joiner@leedsham.gov.uk")
        stranger = factories.UserFactory(email="stranger@example.org")
        client = client_for(stranger)
        page = client.get(url)
        assert page.status_code == 403
        assert "This invitation was sent to joiner@leedsham.gov.uk" in page.content.decode()
        response = client.post(url)
        assert response.status_code == 400
        assert "Sign in with that address" in response.content.decode()
        assert not Membership.objects.filter(user=stranger).exists()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_used_expired_revoked_and_unknown_tokens_are_refused(
        self, client_for, council, council_admin
    ):
        from datetime import timedelta

        from django.utils import timezone

        joiner = factories.UserFactory(email="joiner@leedsham.gov.uk")
        client = client_for(joiner)

        invitation, url = self.invite(council, council_admin, email="joiner@leedsham.gov.uk")
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 410
            assert "expired or has already been used" in response.content.decode()
        assert not Membership.objects.filter(user=joiner).exists()

        invitation, url = self.invite(council, council_admin, email="joiner@leedsham.gov.uk")
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        assert client.post(url).status_code == 410

        other = factories.UserFactory(email="first@leedsham.gov.uk")
        invitation, url = self.invite(council, council_admin, email="first@leedsham.gov.uk")
        client_for(other).post(url)
        client = client_for(joiner)
        assert client.post(url).status_code == 410
        assert not Membership.objects.filter(user=joiner).exists()

        response = client.get(reverse("councils:accept_invitation", kwargs={"token": "made-up"}))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, officer):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": officer.email, "password": "wrong"}
        )
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    # Even the right password is refused once the limit for this address is reached.
    response = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": factories.DEFAULT_PASSWORD},
    )
    assert response.status_code == 200  # the sign-in form again, with the lockout message
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_correct_login_signs_in(client, officer):
    response = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": factories.DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
