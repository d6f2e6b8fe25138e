"""Accepting an invitation can raise a member's role, never lower it: an old
"officer" invitation must not demote the organisation's last admin."""

import pytest

from councils.models import Membership
from councils.services.people import accept_invitation, create_invitation
from tests import factories


def _invite_then_join(council, by, *, invited_role, joined_role, email):
    """An invitation sent before the person joined the council another way."""
    _, raw = create_invitation(organisation=council, email=email, role=invited_role, by=by)
    user = factories.member_of(council, joined_role, email=email)
    return user, raw


@pytest.mark.django_db
def test_old_invitation_does_not_demote_the_last_admin(council, staff):
    admin, raw = _invite_then_join(
        council,
        staff,
        invited_role=Membership.Role.MEMBER,
        joined_role=Membership.Role.ADMIN,
        email="solo@leedsham.gov.uk",
    )
    membership = accept_invitation(raw_token=raw, user=admin)
    assert membership.role == Membership.Role.ADMIN
    admins = Membership.objects.filter(
        organisation=council, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    )
    assert list(admins.values_list("user__email", flat=True)) == ["solo@leedsham.gov.uk"]


@pytest.mark.django_db
def test_invitation_raises_an_officer_to_admin(council, staff):
    officer, raw = _invite_then_join(
        council,
        staff,
        invited_role=Membership.Role.ADMIN,
        joined_role=Membership.Role.MEMBER,
        email="riser@leedsham.gov.uk",
    )
    assert accept_invitation(raw_token=raw, user=officer).role == Membership.Role.ADMIN
