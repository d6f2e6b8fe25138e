"""Immediate e-mails a person can opt out of: an opted-out account gets none,
everyone else gets RFC 8058 headers and an unsubscribe line, and the link in
the header works with a one-click POST from a mail client (no session)."""

import pytest
from django.core import mail
from django.test import Client

from councils.models import Membership
from councils.services import people
from initiatives.services import partnerships
from notifications import emails
from notifications.models import NotificationSettings
from notifications.services.preferences import update_settings
from swot.models import Participant
from swot.services import workshops
from tests import factories
from tests.initiatives.support.partnerships import Status, add_partnership

pytestmark = pytest.mark.django_db


def _opt_out(user, field):
    update_settings(user=user, changes={field: False})


def _link(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>")


def assert_unsubscribable(message, user, settings):
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = _link(message)
    assert link.startswith(settings.SITE_URL + "/notifications/unsubscribe/")
    # The footer carries the same one-use link, and the settings page.
    assert link in message.body
    assert "/notifications/settings/" in message.body


@pytest.fixture
def workshop(facilitator):
    return workshops.create_workshop(by=facilitator, title="Waste SWOT")


def _invite(workshop, facilitator, users):
    host = Participant.objects.get(workshop=workshop, user=facilitator)
    return workshops.invite_users(workshop=workshop, by=host, users=users)


def test_workshop_invitation_skips_the_opted_out_and_marks_the_rest(
    workshop, facilitator, officer, council, settings, django_capture_on_commit_callbacks
):
    keen = factories.member_of(council, email="keen.kim@leedsham.gov.uk")
    _opt_out(officer, "immediate_workshop_invitations")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        added = _invite(workshop, facilitator, [officer, keen])
    # The opted-out officer is still invited (the board shows it): only the
    # e-mail is not sent.
    assert {p.user for p in added} == {officer, keen}
    assert [m.to for m in mail.outbox] == [[keen.email]]
    assert_unsubscribable(mail.outbox[0], keen, settings)


def test_an_address_without_an_account_always_gets_its_workshop_invitation(
    workshop, facilitator, django_capture_on_commit_callbacks
):
    host = Participant.objects.get(workshop=workshop, user=facilitator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workshops.invite_by_email(workshop=workshop, by=host, email="new.person@example.org")
    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    # Nobody to unsubscribe: no settings of theirs exist.
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/notifications/unsubscribe/" not in message.body


def test_the_header_link_unsubscribes_with_a_one_click_post_and_no_session(
    workshop, facilitator, officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(workshop, facilitator, [officer])
    (message,) = mail.outbox
    mail_client = Client(enforce_csrf_checks=True)  # no cookies, no CSRF token
    response = mail_client.post(_link(message), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    row = NotificationSettings.objects.get(user=officer)
    assert row.immediate_workshop_invitations is False
    # Everything else is as it was.
    assert row.immediate_membership_decisions is True
    assert row.digest_frequency == "weekly"

    # The next invitation is not sent to them.
    other = workshops.create_workshop(by=facilitator, title="Second SWOT")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(other, facilitator, [officer])
    assert mail.outbox == []


def test_membership_decisions_respect_the_opt_out(
    council, council_admin, settings, django_capture_on_commit_callbacks
):
    wanted = factories.UserFactory(email="wanda.wanted@leedsham.gov.uk")
    quiet = factories.UserFactory(email="quinn.quiet@leedsham.gov.uk")
    _opt_out(quiet, "immediate_membership_decisions")
    first = factories.MembershipFactory(
        user=wanted, organisation=council, status=Membership.Status.PENDING
    )
    second = factories.MembershipFactory(
        user=quiet, organisation=council, status=Membership.Status.PENDING
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        people.approve_membership(organisation=council, pk=first.pk, by=council_admin)
        people.reject_membership(organisation=council, pk=second.pk, by=council_admin)
    assert [m.to for m in mail.outbox] == [[wanted.email]]
    assert_unsubscribable(mail.outbox[0], wanted, settings)
    assert "membership_decisions" not in mail.outbox[0].body  # words, not list names
    assert "about your membership" in mail.outbox[0].body


@pytest.fixture
def partner_council(db):
    org = factories.OrganisationFactory(name="Partnerton", slug="partnerton")
    factories.EmailDomainFactory(organisation=org, domain="partnerton.gov.uk")
    return org


def test_lead_decisions_reach_only_partner_admins_who_want_them(
    council, council_admin, partner_council, settings, django_capture_on_commit_callbacks
):
    keen = factories.member_of(partner_council, Membership.Role.ADMIN, email="k@partnerton.gov.uk")
    quiet = factories.member_of(partner_council, Membership.Role.ADMIN, email="q@partnerton.gov.uk")
    _opt_out(quiet, "immediate_partnership_decisions")
    initiative = factories.make_initiative(council, title="Shared waste rounds")
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnerships.accept_partner(partnership=partnership, by=council_admin)
    assert [m.to for m in mail.outbox] == [[keen.email]]
    assert_unsubscribable(mail.outbox[0], keen, settings)


def test_an_interest_needing_the_leads_decision_respects_the_signoff_opt_out(
    council, council_admin, partner_council, settings, django_capture_on_commit_callbacks
):
    second_admin = factories.member_of(council, Membership.Role.ADMIN, email="b@leedsham.gov.uk")
    _opt_out(council_admin, "immediate_signoff_requests")
    officer = factories.member_of(partner_council, email="o@partnerton.gov.uk")
    initiative = factories.make_initiative(council, title="Shared waste rounds")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnerships.express_interest(
            initiative=initiative, organisation=partner_council, by=officer
        )
    assert [m.to for m in mail.outbox] == [[second_admin.email]]
    assert_unsubscribable(mail.outbox[0], second_admin, settings)


def test_opting_out_of_one_list_leaves_the_others(
    council, council_admin, partner_council, django_capture_on_commit_callbacks
):
    admin = factories.member_of(partner_council, Membership.Role.ADMIN, email="a@partnerton.gov.uk")
    _opt_out(admin, "immediate_workshop_invitations")
    initiative = factories.make_initiative(council, title="Shared waste rounds")
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnerships.decline_partner(partnership=partnership, by=council_admin)
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_messages_without_a_list_carry_no_unsubscribe(council):
    """Invitations to join an organisation go to people without accounts
    and stay: no list, no headers."""
    from councils.models import Invitation

    (message,) = emails.invitation(
        Invitation(organisation=council, email="x@leedsham.gov.uk", role=Membership.Role.MEMBER),
        url="https://collab.example/invite/abc",
    )
    assert message.headers == {}
    assert message.html == ""


def test_an_unknown_list_is_a_programming_error(council):
    with pytest.raises(ValueError, match="No mailing list"):
        emails._emails("invitation", "x", ["a@b.c"], list_name="nope")


def test_send_email_keeps_its_old_signature_and_takes_headers_and_html():
    from notifications.tasks import send_email

    send_email.delay(to="a@example.org", subject="Old", body="Plain")
    send_email.delay(
        to="b@example.org",
        subject="New",
        body="Plain",
        headers={"List-Unsubscribe": "<https://x/>"},
        html_body="<p>Rich</p>",
    )
    old, new = mail.outbox
    assert (old.body, old.extra_headers, getattr(old, "alternatives", [])) == ("Plain", {}, [])
    assert new.extra_headers == {"List-Unsubscribe": "<https://x/>"}
    assert [tuple(a) for a in new.alternatives] == [("<p>Rich</p>", "text/html")]


def test_deliver_passes_headers_and_html_through_celery():
    emails.deliver(
        [emails.Email(to="c@example.org", subject="S", body="B", headers={"X-A": "1"}, html="<b>")]
    )
    (message,) = mail.outbox
    assert message.extra_headers == {"X-A": "1"}
    assert message.alternatives[0][0] == "<b>"


def test_the_interested_councils_own_admins_are_asked_to_sign_off(
    council, council_admin, partner_council, settings, django_capture_on_commit_callbacks
):
    keen = factories.member_of(partner_council, Membership.Role.ADMIN, email="k@partnerton.gov.uk")
    quiet = factories.member_of(partner_council, Membership.Role.ADMIN, email="q@partnerton.gov.uk")
    _opt_out(quiet, "immediate_signoff_requests")
    officer = factories.member_of(partner_council, email="o@partnerton.gov.uk")
    initiative = factories.make_initiative(council, title="Shared waste rounds")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnerships.express_interest(
            initiative=initiative, organisation=partner_council, by=officer
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {council_admin.email, keen.email}
    ask = by_address[keen.email]
    assert "your sign-off is needed" in ask.subject
    assert "Shared waste rounds" in ask.body and initiative.get_absolute_url() in ask.body
    assert_unsubscribable(ask, keen, settings)


def test_an_admin_who_says_their_council_is_interested_is_not_asked_to_sign_off(
    council, council_admin, partner_council, django_capture_on_commit_callbacks
):
    own_admin = factories.member_of(
        partner_council, Membership.Role.ADMIN, email="a@partnerton.gov.uk"
    )
    initiative = factories.make_initiative(council, title="Shared waste rounds")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnerships.express_interest(
            initiative=initiative, organisation=partner_council, by=own_admin
        )
    assert [m.to for m in mail.outbox] == [[council_admin.email]]
