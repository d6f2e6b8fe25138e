"""``councils.policies.may_see_personal_names``, the one rule for whose names
a person is shown, and ``councils.names``, which applies it: every state a
viewer can be in, the labels others see, and what it costs."""

import pytest
from django.contrib.auth.models import AnonymousUser

from councils import names
from councils.models import Membership, Organisation
from councils.policies import (
    can_manage_people,
    can_onboard_authorities,
    can_view_members,
    may_see_personal_names,
)
from councils.selectors.people import active_membership_for
from initiatives.policies import can_moderate
from tests import factories

pytestmark = pytest.mark.django_db


def _with_membership(organisation, status, role=Membership.Role.MEMBER):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=organisation, status=status, role=role)
    return user


class TestWhoMaySeeNames:
    def test_nobody_and_anonymous_may_not(self):
        assert may_see_personal_names(None) is False
        assert may_see_personal_names(AnonymousUser()) is False

    def test_an_account_without_membership_may_not(self):
        assert may_see_personal_names(factories.UserFactory()) is False

    def test_an_unverified_account_without_membership_may_not(self):
        assert may_see_personal_names(factories.UserFactory(verified=False)) is False

    @pytest.mark.parametrize(
        "status", [Membership.Status.PENDING, Membership.Status.REJECTED, Membership.Status.REMOVED]
    )
    def test_a_membership_that_is_not_active_does_not_count(self, council, status):
        assert may_see_personal_names(_with_membership(council, status)) is False

    @pytest.mark.parametrize("role", Membership.Role.values)
    def test_active_members_of_an_active_organisation_may(self, council, role):
        assert may_see_personal_names(_with_membership(council, "active", role)) is True

    def test_suppliers_members_may(self, supplier_user):
        assert may_see_personal_names(supplier_user) is True

    @pytest.mark.parametrize("status", [Organisation.Status.ENDED, Organisation.Status.REGISTERED])
    def test_members_of_an_organisation_that_is_not_active_may_not(self, status):
        organisation = factories.OrganisationFactory(status=status)
        assert may_see_personal_names(_with_membership(organisation, "active")) is False

    def test_staff_may_even_without_membership(self, staff):
        assert may_see_personal_names(staff) is True

    def test_deactivated_accounts_may_not(self, officer, staff):
        for user in (officer, staff):
            user.is_active = False
            assert may_see_personal_names(user) is False

    def test_member_lists_follow_the_same_rule(self, council, officer, staff):
        assert can_view_members(officer, council) and can_view_members(staff, council)
        assert not can_view_members(AnonymousUser(), council)
        assert not can_view_members(factories.UserFactory(), council)

    def test_pages_restricted_to_admins_and_staff_only_reach_people_who_may(
        self, council, council_admin, staff
    ):
        """People management, onboarding and moderation show names without the
        tag; their own policies must imply the rule, so they stay consistent."""
        viewers = [
            AnonymousUser(),
            factories.UserFactory(),
            _with_membership(council, "pending", Membership.Role.ADMIN),
            _with_membership(
                factories.OrganisationFactory(status=Organisation.Status.ENDED),
                "active",
                Membership.Role.ADMIN,
            ),
            council_admin,
            staff,
        ]
        for viewer in viewers:
            allowed = (
                can_manage_people(viewer, council)
                or can_onboard_authorities(viewer)
                or can_moderate(viewer)
            )
            assert not allowed or may_see_personal_names(viewer), viewer

    def test_at_most_one_query_per_user_however_often_asked(
        self, officer, django_assert_num_queries
    ):
        # The active membership (with its organisation), cached on the user.
        with django_assert_num_queries(1):
            for _ in range(20):
                assert may_see_personal_names(officer)
        with django_assert_num_queries(0):
            assert may_see_personal_names(AnonymousUser()) is False

    def test_staff_cost_no_query(self, staff, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert may_see_personal_names(staff)


class TestWhatIsShown:
    def test_a_viewer_who_may_sees_the_name(self, officer, outsider, council):
        shown = names.show_person(outsider, officer, organisation=council)
        assert shown == officer.display_name and shown.is_name

    def test_others_see_organisation_and_role(self, officer, council, council_admin):
        viewer = factories.UserFactory()
        officer_label = names.show_person(viewer, officer, organisation=council)
        assert officer_label == "An officer at Leedsham" and not officer_label.is_name
        admin_label = names.show_person(
            viewer, council_admin, organisation=council, role=Membership.Role.ADMIN
        )
        assert admin_label == "A council admin at Leedsham"
        assert admin_label.in_sentence == "a council admin at Leedsham"
        assert (
            names.show_person(viewer, officer, organisation=council, role="facilitator")
            == "A workshop facilitator at Leedsham"
        )

    def test_labels_fit_the_kind_of_organisation(self, supplier_user, supplier):
        viewer = AnonymousUser()
        assert (
            names.show_person(viewer, supplier_user, organisation=supplier)
            == "A member of staff at Acme Digital Ltd"
        )
        assert (
            names.show_person(viewer, supplier_user, organisation=supplier, role="admin")
            == "An admin at Acme Digital Ltd"
        )

    def test_sponsors_typed_as_text_are_names_too(self, council, officer):
        shown = names.show_person(
            AnonymousUser(), "Cllr Jane Smith", organisation=council, role=names.POLITICAL_SPONSOR
        )
        assert shown == "A councillor at Leedsham"
        assert names.show_person(officer, "Cllr Jane Smith") == "Cllr Jane Smith"
        assert names.personal_name(AnonymousUser(), "Cllr Jane Smith") is None
        assert names.personal_name(officer, "Cllr Jane Smith") == "Cllr Jane Smith"

    def test_everyone_sees_their_own_name(self, council):
        pending = _with_membership(council, "pending")
        assert names.show_person(pending, pending).is_name
        assert names.personal_name(pending, pending) == pending.display_name

    def test_a_gone_account_is_a_former_member(self, council):
        for viewer in (AnonymousUser(), factories.member_of(council)):
            assert names.show_person(viewer, None, organisation=council) == "A former member"
            assert names.personal_name(viewer, None) is None

    def test_without_an_organisation_a_hidden_person_is_not_described(self, officer):
        """Where the platform did not record whom someone acted for, nobody is
        misattributed: there is simply nothing to show."""
        assert names.show_person(AnonymousUser(), officer) == ""

    def test_api_answer_is_none_when_hidden(self, officer, outsider):
        assert names.personal_name(AnonymousUser(), officer) is None
        assert names.personal_name(factories.UserFactory(), officer) is None
        assert names.personal_name(outsider, officer) == officer.display_name

    def test_inviters_are_an_admin_or_the_platform_team(self, council, council_admin, staff):
        from councils.models import Invitation

        by_admin = Invitation(organisation=council, invited_by=council_admin, role="member")
        by_staff = Invitation(organisation=council, invited_by=staff, role="admin")
        by_nobody = Invitation(organisation=council, invited_by=None, role="member")
        outsider = AnonymousUser()
        assert names.show_inviter(outsider, by_admin) == "A council admin at Leedsham"
        assert names.show_inviter(outsider, by_staff) == "The platform team"
        assert names.show_inviter(outsider, by_nobody) == "The platform team"
        assert names.show_inviter(staff, by_admin) == council_admin.display_name

    def test_acting_capacity_is_the_current_membership(self, council, council_admin, staff):
        organisation, role = names.acting_capacity(council_admin)
        assert organisation == council and role == Membership.Role.ADMIN
        assert names.acting_capacity(staff) == (None, names.PLATFORM_ADMIN)
        assert active_membership_for(council_admin) is not None
