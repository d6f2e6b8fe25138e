"""Membership services directly: the rules hold whichever door calls them."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from councils.models import Invitation, Membership
from councils.services import people as services
from tests import factories


@pytest.mark.django_db
class TestRequestMembership:
    def test_asking_twice_returns_the_same_pending_request(
        self, council, council_admin, django_capture_on_commit_callbacks
    ):
        user = factories.UserFactory(email="penny@leedsham.gov.uk")
        with django_capture_on_commit_callbacks(execute=True):
            first = services.request_membership(user=user, organisation=council)
            second = services.request_membership(user=user, organisation=council)
        assert first.pk == second.pk
        assert Membership.objects.filter(user=user).count() == 1
        assert len(mail.outbox) == 1  # admins are told once

    def test_members_cannot_ask_to_join_again(self, council, officer, other_council):
        with pytest.raises(ValidationError, match="already a member"):
            services.request_membership(user=officer, organisation=other_council)
        assert Membership.objects.filter(user=officer).count() == 1

    def test_ended_organisation_takes_no_requests(self, council):
        council.status = council.Status.ENDED
        council.save()
        user = factories.UserFactory(email="penny@leedsham.gov.uk")
        with pytest.raises(ValidationError, match="not active on the platform"):
            services.request_membership(user=user, organisation=council)
        assert not Membership.objects.filter(user=user).exists()
        assert len(mail.outbox) == 0


@pytest.mark.django_db
class TestDecisions:
    def test_cannot_approve_someone_already_active_elsewhere(
        self, council, council_admin, outsider
    ):
        pending = factories.MembershipFactory(
            user=outsider, organisation=council, status=Membership.Status.PENDING
        )
        with pytest.raises(ValidationError, match="already belongs"):
            services.approve_membership(organisation=council, pk=pending.pk, by=council_admin)
        pending.refresh_from_db()
        assert pending.status == Membership.Status.PENDING


@pytest.mark.django_db
class TestLastAdmin:
    def test_cannot_demote_or_remove_the_only_admin(self, council, council_admin):
        membership = Membership.objects.get(user=council_admin)
        with pytest.raises(ValidationError, match="at least one admin"):
            services.change_role(
                organisation=council, pk=membership.pk, role="member", by=council_admin
            )
        with pytest.raises(ValidationError, match="at least one admin"):
            services.remove_member(organisation=council, pk=membership.pk, by=council_admin)
        membership.refresh_from_db()
        assert (membership.role, membership.status) == ("admin", "active")

    def test_pending_or_removed_admins_do_not_count(self, council, council_admin):
        other = factories.member_of(council, Membership.Role.ADMIN)
        Membership.objects.filter(user=other).update(status=Membership.Status.REMOVED)
        membership = Membership.objects.get(user=council_admin)
        with pytest.raises(ValidationError, match="at least one admin"):
            services.remove_member(organisation=council, pk=membership.pk, by=council_admin)
        membership.refresh_from_db()
        assert (membership.role, membership.status) == ("admin", "active")

    def test_with_two_admins_one_may_go(self, council, council_admin):
        other = Membership.objects.get(user=factories.member_of(council, Membership.Role.ADMIN))
        services.remove_member(organisation=council, pk=other.pk, by=council_admin)
        other.refresh_from_db()
        assert other.status == Membership.Status.REMOVED
        mine = Membership.objects.get(user=council_admin)
        with pytest.raises(ValidationError, match="at least one admin"):
            services.change_role(organisation=council, pk=mine.pk, role="member", by=council_admin)
        mine.refresh_from_db()
        assert (mine.role, mine.status) == ("admin", "active")

    def test_admins_of_other_councils_do_not_count(self, council, council_admin, outsider):
        membership = Membership.objects.get(user=council_admin)
        with pytest.raises(ValidationError, match="at least one admin"):
            services.change_role(
                organisation=council, pk=membership.pk, role="facilitator", by=council_admin
            )
        membership.refresh_from_db()
        assert (membership.role, membership.status) == ("admin", "active")


@pytest.mark.django_db
def test_revoking_an_accepted_invitation_is_refused(council, council_admin):
    from django.utils import timezone

    invitation = Invitation.objects.create(
        organisation=council,
        email="x@leedsham.gov.uk",
        role="member",
        token_hash="a" * 64,
        invited_by=council_admin,
        expires_at=timezone.now() + timezone.timedelta(days=1),
        accepted_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="already been accepted"):
        services.revoke_invitation(organisation=council, pk=invitation.pk, by=council_admin)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    """The admin rows are locked, so concurrent demotions are serialised and
    the second sees the first's result: one succeeds, one is refused."""
    council = factories.OrganisationFactory(name="Raceton")
    first = factories.member_of(council, Membership.Role.ADMIN)
    second = factories.member_of(council, Membership.Role.ADMIN)
    first_m = Membership.objects.get(user=first)
    second_m = Membership.objects.get(user=second)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(membership, by):
        try:
            barrier.wait()
            services.change_role(organisation=council, pk=membership.pk, role="member", by=by)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=demote, args=(second_m, first)),
        threading.Thread(target=demote, args=(first_m, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert (
        Membership.objects.filter(
            organisation=council, role="admin", status=Membership.Status.ACTIVE
        ).count()
        == 1
    )
