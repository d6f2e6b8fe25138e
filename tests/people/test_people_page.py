"""People management: admins approve, reject, change roles, remove and invite;
nobody else sees or changes anything."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from councils.models import Invitation, Membership
from notifications.models import Activity
from tests import factories


def people_url(org):
    return reverse("councils:people", kwargs={"slug": org.slug})


def action_url(name, org, pk):
    return reverse(f"councils:{name}", kwargs={"slug": org.slug, "pk": pk})


def pending_request(org, email):
    user = factories.UserFactory(email=email, full_name="Penny Pending", job_title="Analyst")
    return factories.MembershipFactory(
        user=user, organisation=org, status=Membership.Status.PENDING
    )


@pytest.mark.django_db
class TestPeoplePage:
    def test_admin_sees_pending_members_and_invitations(
        self, client_for, council, council_admin, officer
    ):
        pending_request(council, "penny@leedsham.gov.uk")
        Invitation.objects.create(
            organisation=council,
            email="ivy@leedsham.gov.uk",
            role=Membership.Role.FACILITATOR,
            token_hash="x" * 64,
            invited_by=council_admin,
            expires_at="2099-01-01T00:00:00Z",
        )
        response = client_for(council_admin).get(people_url(council))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Penny Pending" in html and "penny@leedsham.gov.uk" in html
        assert "Approve" in html and "Reject" in html
        assert officer.email in html
        assert "ivy@leedsham.gov.uk" in html and "Facilitator" in html
        assert "Send invitation" in html
        assert html.count("<h1") == 1

    def test_query_count_does_not_grow_with_people(
        self, client_for, council, council_admin, django_assert_max_num_queries
    ):
        client = client_for(council_admin)
        # 8 queries: session, user, the admin's active membership (cached for the
        # request), MFA enrolment check, organisation, pending requests, members,
        # open invitations -- the same however many people there are.
        with django_assert_max_num_queries(8):
            assert client.get(people_url(council)).status_code == 200
        for n in range(15):
            pending_request(council, f"pending{n}@leedsham.gov.uk")
            factories.member_of(council, Membership.Role.MEMBER)
            Invitation.objects.create(
                organisation=council,
                email=f"invitee{n}@leedsham.gov.uk",
                role=Membership.Role.MEMBER,
                token_hash=f"{n:064d}",
                invited_by=council_admin,
                expires_at="2099-01-01T00:00:00Z",
            )
        with django_assert_max_num_queries(8):
            response = client.get(people_url(council))
        assert response.content.decode().count("Approve<span") == 15

    def test_outsider_gets_404_and_changes_nothing(
        self, client_for, council, council_admin, officer, outsider
    ):
        membership = pending_request(council, "penny@leedsham.gov.uk")
        officer_membership = Membership.objects.get(user=officer)
        client = client_for(outsider)
        factories.enrol_totp(outsider)
        assert client.get(people_url(council)).status_code == 404
        for name, pk in [
            ("membership_approve", membership.pk),
            ("membership_reject", membership.pk),
            ("membership_role", officer_membership.pk),
            ("membership_remove", officer_membership.pk),
        ]:
            response = client.post(action_url(name, council, pk), {f"m{pk}-role": "admin"})
            assert response.status_code == 404, name
            assert officer.email not in response.content.decode()
        response = client.post(
            reverse("councils:invite", kwargs={"slug": council.slug}),
            {"email": "x@leedsham.gov.uk", "role": "admin"},
        )
        assert response.status_code == 404
        membership.refresh_from_db()
        officer_membership.refresh_from_db()
        assert membership.status == Membership.Status.PENDING
        assert officer_membership.role == Membership.Role.MEMBER
        assert officer_membership.status == Membership.Status.ACTIVE
        assert not Invitation.objects.exists()
        assert mail.outbox == []

    def test_officer_is_refused(self, client_for, council, officer, council_admin):
        membership = pending_request(council, "penny@leedsham.gov.uk")
        client = client_for(officer)
        assert client.get(people_url(council)).status_code == 403
        response = client.post(action_url("membership_approve", council, membership.pk))
        assert response.status_code == 403
        membership.refresh_from_db()
        assert membership.status == Membership.Status.PENDING

    def test_anonymous_is_sent_to_sign_in(self, client, council):
        response = client.get(people_url(council))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
class TestDecisions:
    def test_approve_activates_and_emails_the_person(
        self, client_for, council, council_admin, django_capture_on_commit_callbacks
    ):
        membership = pending_request(council, "penny@leedsham.gov.uk")
        client = client_for(council_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(action_url("membership_approve", council, membership.pk))
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE
        assert membership.decided_by == council_admin
        assert [m.to for m in mail.outbox] == [["penny@leedsham.gov.uk"]]
        assert "approved" in mail.outbox[0].body
        assert Activity.objects.filter(verb="membership.approved").count() == 1
        page = client.get(people_url(council)).content.decode()
        assert "can now use the platform" in page

    def test_reject_marks_rejected_and_emails_the_person(
        self, client_for, council, council_admin, django_capture_on_commit_callbacks
    ):
        membership = pending_request(council, "penny@leedsham.gov.uk")
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(council_admin).post(
                action_url("membership_reject", council, membership.pk)
            )
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.status == Membership.Status.REJECTED
        assert [m.to for m in mail.outbox] == [["penny@leedsham.gov.uk"]]
        assert "not approved" in mail.outbox[0].body
        assert Activity.objects.filter(verb="membership.rejected").exists()

    def test_deciding_twice_is_refused(self, client_for, council, council_admin):
        membership = pending_request(council, "penny@leedsham.gov.uk")
        client = client_for(council_admin)
        client.post(action_url("membership_reject", council, membership.pk))
        response = client.post(action_url("membership_approve", council, membership.pk))
        assert response.status_code == 400
        assert "already been decided" in response.content.decode()
        membership.refresh_from_db()
        assert membership.status == Membership.Status.REJECTED

    def test_cannot_decide_another_councils_request(
        self, client_for, council, council_admin, other_council
    ):
        theirs = pending_request(other_council, "someone@otherton.gov.uk")
        response = client_for(council_admin).post(
            action_url("membership_approve", council, theirs.pk)
        )
        assert response.status_code == 400
        theirs.refresh_from_db()
        assert theirs.status == Membership.Status.PENDING


@pytest.mark.django_db
class TestRolesAndRemoval:
    def test_change_role(self, client_for, council, council_admin, officer):
        membership = Membership.objects.get(user=officer)
        response = client_for(council_admin).post(
            action_url("membership_role", council, membership.pk),
            {f"m{membership.pk}-role": Membership.Role.FACILITATOR},
        )
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.role == Membership.Role.FACILITATOR
        assert Activity.objects.filter(verb="membership.role_changed").exists()

    def test_bad_role_changes_nothing(self, client_for, council, council_admin, officer):
        membership = Membership.objects.get(user=officer)
        response = client_for(council_admin).post(
            action_url("membership_role", council, membership.pk),
            {f"m{membership.pk}-role": "overlord"},
        )
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        membership.refresh_from_db()
        assert membership.role == Membership.Role.MEMBER

    def test_last_admin_cannot_demote_themselves(self, client_for, council, council_admin):
        membership = Membership.objects.get(user=council_admin)
        response = client_for(council_admin).post(
            action_url("membership_role", council, membership.pk),
            {f"m{membership.pk}-role": Membership.Role.MEMBER},
        )
        assert response.status_code == 400
        assert "must keep at least one admin" in response.content.decode()
        membership.refresh_from_db()
        assert membership.role == Membership.Role.ADMIN

    def test_last_admin_cannot_remove_themselves(self, client_for, council, council_admin):
        membership = Membership.objects.get(user=council_admin)
        response = client_for(council_admin).post(
            action_url("membership_remove", council, membership.pk)
        )
        assert response.status_code == 400
        assert "must keep at least one admin" in response.content.decode()
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE

    def test_admin_can_step_down_when_another_admin_remains(
        self, client_for, council, council_admin
    ):
        factories.member_of(council, Membership.Role.ADMIN)
        membership = Membership.objects.get(user=council_admin)
        response = client_for(council_admin).post(
            action_url("membership_role", council, membership.pk),
            {f"m{membership.pk}-role": Membership.Role.MEMBER},
        )
        # No longer an admin, so they are sent to their dashboard.
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        membership.refresh_from_db()
        assert membership.role == Membership.Role.MEMBER

    def test_remove_asks_first_then_removes(self, client_for, council, council_admin, officer):
        membership = Membership.objects.get(user=officer)
        client = client_for(council_admin)
        url = action_url("membership_remove", council, membership.pk)
        confirm = client.get(url)
        assert confirm.status_code == 200
        assert "Remove" in confirm.content.decode()
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE
        response = client.post(url)
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.status == Membership.Status.REMOVED
        assert Activity.objects.filter(verb="membership.removed").exists()
        # The removed officer no longer sees the council's dashboard.
        home = client_for(officer).get(reverse("home")).content.decode()
        assert "You are not part of an organisation yet" in home


@pytest.mark.django_db
class TestInvitations:
    def test_invite_sends_email_and_lists_invitation(
        self, client_for, council, council_admin, django_capture_on_commit_callbacks
    ):
        client = client_for(council_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("councils:invite", kwargs={"slug": council.slug}),
                {"email": "New.Person@Leedsham.gov.uk", "role": Membership.Role.FACILITATOR},
            )
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert invitation.email == "new.person@leedsham.gov.uk"
        assert invitation.role == Membership.Role.FACILITATOR
        assert mail.outbox[0].to == ["new.person@leedsham.gov.uk"]
        assert "/councils/invitations/" in mail.outbox[0].body
        assert "new.person@leedsham.gov.uk" in client.get(people_url(council)).content.decode()

    def test_invalid_invite_shows_errors_and_sends_nothing(
        self, client_for, council, council_admin, officer
    ):
        client = client_for(council_admin)
        response = client.post(
            reverse("councils:invite", kwargs={"slug": council.slug}),
            {"email": "not-an-address", "role": "overlord"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter an email address in the correct format" in html
        assert "Choose a role" in html
        response = client.post(
            reverse("councils:invite", kwargs={"slug": council.slug}),
            {"email": officer.email, "role": "member"},
        )
        assert response.status_code == 400
        assert "already a member" in response.content.decode()
        assert not Invitation.objects.exists()
        assert mail.outbox == []

    def test_revoke_invitation(self, client_for, council, council_admin):
        client = client_for(council_admin)
        client.post(
            reverse("councils:invite", kwargs={"slug": council.slug}),
            {"email": "ivy@leedsham.gov.uk", "role": "member"},
        )
        invitation = Invitation.objects.get()
        response = client.post(action_url("invitation_revoke", council, invitation.pk))
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert "There are no open invitations." in client.get(people_url(council)).content.decode()

    def test_outsider_cannot_revoke(self, client_for, council, council_admin, outsider):
        client_for(council_admin).post(
            reverse("councils:invite", kwargs={"slug": council.slug}),
            {"email": "ivy@leedsham.gov.uk", "role": "member"},
        )
        invitation = Invitation.objects.get()
        factories.enrol_totp(outsider)
        response = client_for(outsider).post(
            action_url("invitation_revoke", council, invitation.pk)
        )
        assert response.status_code == 404
        invitation.refresh_from_db()
        assert invitation.revoked_at is None


def test_users_exist_only_as_created(db):
    # Guard: no test in this module leaks users into others (sanity for factories).
    assert User.objects.count() == 0
