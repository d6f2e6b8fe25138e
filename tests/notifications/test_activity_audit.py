"""Activity audit: every service that changes something a partner cares about
records an ``Activity`` through the outbox, in its own transaction, with the
right verb, actor, organisation and target; and no summary names a person
(feeds and digests read summaries; people are shown through ``{% person %}``).

Each test drives the service a door calls (or the door itself) and reads the
row written.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from councils.models import Membership
from councils.services import people as people_services
from initiatives.models import Comment, Initiative, Partnership
from initiatives.services import discussion, follows, partnerships
from initiatives.services import initiative as initiative_services
from notifications.models import Activity
from notifications.selectors.activity import FEED_VERBS
from swot.models import InitiativeSource, Workshop
from swot.services import workshops
from tests import factories
from tests.initiatives.support.partnerships import add_partnership
from tests.swot.results_setup import board_in_actions, do, place

pytestmark = pytest.mark.django_db


def _activity(verb: str, target) -> Activity:
    """The one activity ``verb`` about ``target``."""
    return Activity.objects.get(
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    )


def _assert_names_nobody(activity: Activity, *people) -> None:
    for person in people:
        assert person.display_name not in activity.summary
        assert person.full_name not in activity.summary
        assert person.email not in activity.summary


@pytest.fixture
def initiative(council):
    return factories.make_initiative(council, title="Shared waste round planning", slug="waste")


@pytest.fixture
def partner_council(db):
    return factories.OrganisationFactory(name="Partnerton", slug="partnerton")


@pytest.fixture
def partner_officer(partner_council):
    return factories.member_of(partner_council, Membership.Role.MEMBER)


@pytest.fixture
def partner_admin(partner_council):
    return factories.member_of(partner_council, Membership.Role.ADMIN)


# --- initiatives ----------------------------------------------------------------------


def test_creating_an_initiative_is_recorded(officer, council):
    created = initiative_services.create_initiative(
        by=officer,
        organisation=council,
        title="Joint council tax portal",
        summary="One portal for council tax.",
        service_areas=[factories.service_area()],
        visibility=Initiative.Visibility.PUBLIC,
    )
    activity = _activity("initiative.created", created)
    assert (activity.actor, activity.organisation) == (officer, council)
    _assert_names_nobody(activity, officer)


def test_changing_the_stage_is_recorded(initiative, officer, council):
    initiative_services.change_stage(initiative=initiative, to_stage="discovery", by=officer)
    activity = _activity("initiative.stage_changed", initiative)
    assert (activity.actor, activity.organisation) == (officer, council)
    assert activity.data["to"] == "discovery"


def test_a_council_expressing_interest_is_recorded(initiative, partner_council, partner_officer):
    partnerships.express_interest(
        initiative=initiative, organisation=partner_council, by=partner_officer
    )
    activity = _activity("partnership.interested", initiative)
    assert (activity.actor, activity.organisation) == (partner_officer, partner_council)
    _assert_names_nobody(activity, partner_officer)


def test_a_council_committing_is_recorded(initiative, partner_council, partner_admin):
    partnership = add_partnership(initiative, partner_council, status=Partnership.Status.INTERESTED)
    partnerships.sign_off_commitment(
        partnership=partnership,
        by=partner_admin,
        political_sponsor="Cllr Jane Smith",
        officer_sponsor="Raj Patel",
    )
    activity = _activity("partnership.committed", initiative)
    assert (activity.actor, activity.organisation) == (partner_admin, partner_council)
    # Sponsors are people too: the summary does not name them.
    assert "Jane Smith" not in activity.summary and "Raj Patel" not in activity.summary


def test_a_council_withdrawing_is_recorded(initiative, partner_council, partner_officer):
    partnership = add_partnership(initiative, partner_council, status=Partnership.Status.INTERESTED)
    partnerships.withdraw_partnership(partnership=partnership, by=partner_officer)
    activity = _activity("partnership.withdrawn", initiative)
    assert (activity.actor, activity.organisation) == (partner_officer, partner_council)


def test_posting_an_update_is_recorded(initiative, officer, council):
    update = discussion.post_update(
        initiative=initiative, by=officer, title="Discovery done", body="On to alpha."
    )
    activity = _activity("update.posted", initiative)
    assert (activity.actor, activity.organisation) == (officer, council)
    assert activity.data["update_id"] == update.pk
    _assert_names_nobody(activity, officer)


def test_posting_a_comment_through_the_page_is_recorded_without_a_name(
    client_for, initiative, outsider, council, other_council
):
    response = client_for(outsider).post(
        f"/initiatives/{initiative.slug}/comments/", {"body": "We did this last year."}
    )
    assert response.status_code in (200, 302, 303)
    comment = Comment.objects.get(initiative=initiative)
    activity = _activity("comment.posted", initiative)
    assert (activity.actor, activity.organisation) == (outsider, council)
    assert activity.data == {"comment_id": comment.pk, "organisation_id": other_council.pk}
    # The council's name is fine; the person's is not.
    assert activity.summary == "A comment from Otherton"
    _assert_names_nobody(activity, outsider)


def test_editing_and_deleting_a_comment_name_nobody(initiative, officer):
    comment = discussion.post_comment(initiative=initiative, by=officer, body="First thoughts")
    discussion.edit_comment(comment=comment, by=officer, body="Second thoughts")
    discussion.delete_comment(comment=comment, by=officer)
    for verb in ("comment.edited", "comment.deleted"):
        _assert_names_nobody(_activity(verb, initiative), officer)


def test_following_is_a_private_preference_not_activity(initiative, outsider):
    """Deliberately not recorded (initiatives.services.follows): partners'
    feeds and digests should not list who subscribed."""
    before = Activity.objects.count()
    follows.follow_initiative(initiative=initiative, user=outsider)
    follows.unfollow_initiative(initiative=initiative, user=outsider)
    assert Activity.objects.count() == before


# --- councils -------------------------------------------------------------------------


def test_approving_a_member_is_recorded_without_their_address(council, council_admin):
    applicant = factories.UserFactory(email="new.starter@leedsham.gov.uk")
    pending = Membership.objects.create(
        user=applicant, organisation=council, status=Membership.Status.PENDING
    )
    people_services.approve_membership(organisation=council, pk=pending.pk, by=council_admin)
    activity = _activity("membership.approved", pending)
    assert (activity.actor, activity.organisation) == (council_admin, council)
    assert activity.verb in FEED_VERBS  # anyone who sees the council reads it
    _assert_names_nobody(activity, applicant, council_admin)


# --- workshops ------------------------------------------------------------------------


def test_scheduling_a_workshop_is_recorded(facilitator, council):
    workshop = workshops.create_workshop(by=facilitator, title="Waste SWOT")
    activity = _activity("workshop.scheduled", workshop)
    assert (activity.actor, activity.organisation) == (facilitator, council)
    _assert_names_nobody(activity, facilitator)


def test_closing_sharing_and_drafting_from_a_workshop_are_recorded(
    facilitator, officer, outsider, council
):
    ready = board_in_actions(facilitator, officer, outsider)
    workshop = ready.workshop
    factories.service_area("waste-and-recycling")
    do(workshop, officer, "initiative.draft", group=ready.group, service_area="waste-and-recycling")
    drafted = InitiativeSource.objects.get(workshop=workshop).initiative
    activity = _activity("initiative.created", drafted)
    assert (activity.actor, activity.organisation) == (officer, council)
    assert activity.data["visibility"] == Initiative.Visibility.DRAFT

    do(workshop, facilitator, "phase.set", phase="closed")
    closed = _activity("workshop.closed", workshop)
    assert (closed.actor, closed.organisation) == (facilitator, council)

    host = place(workshop, facilitator)
    workshop = Workshop.objects.get(pk=workshop.pk)
    workshops.share_results(workshop=workshop, by=host, shared=True)
    shared = _activity("workshop.results_shared", workshop)
    assert (shared.actor, shared.organisation) == (facilitator, council)
    assert shared.verb in FEED_VERBS
    # Saying it again records nothing; taking it back is kept for the audit only.
    workshops.share_results(workshop=workshop, by=host, shared=True)
    assert Activity.objects.filter(verb="workshop.results_shared").count() == 1
    workshops.share_results(workshop=workshop, by=host, shared=False)
    unshared = _activity("workshop.results_unshared", workshop)
    assert unshared.verb not in FEED_VERBS


# --- one transaction ------------------------------------------------------------------


def test_a_rolled_back_service_leaves_no_activity(initiative, officer):
    """The activity is written in the service's transaction: when the
    surrounding transaction rolls back, the comment and its activity go together."""

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        discussion.post_comment(initiative=initiative, by=officer, body="Never saved")
        assert Activity.objects.filter(verb="comment.posted").exists()
        raise Refused
    assert not Comment.objects.exists()
    assert not Activity.objects.filter(verb="comment.posted").exists()


def test_a_refused_service_records_nothing(initiative, outsider):
    from django.core.exceptions import PermissionDenied

    before = Activity.objects.count()
    with pytest.raises(PermissionDenied):
        initiative_services.change_stage(initiative=initiative, to_stage="alpha", by=outsider)
    assert Activity.objects.count() == before
