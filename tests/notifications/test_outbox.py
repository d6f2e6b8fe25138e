"""The outbox: an action, its Activity and its e-mails stand or fall together,
and e-mail only leaves once the transaction has committed."""

import pytest
from django.core import mail
from django.db import transaction

from councils.models import Invitation, Membership
from notifications import emails, outbox
from notifications.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def _invitation_emails(organisation, *addresses):
    return [
        message
        for address in addresses
        for message in emails.invitation(
            Invitation(organisation=organisation, email=address, role=Membership.Role.MEMBER),
            url="https://collab.example/invite/abc",
        )
    ]


def test_activity_is_written_and_mail_waits_for_commit(council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        activity = outbox.notify(
            verb="test.invited",
            organisation=council,
            target=council,
            summary="Invited two people",
            emails=_invitation_emails(council, "a@leedsham.gov.uk", "b@leedsham.gov.uk"),
        )
        assert Activity.objects.filter(pk=activity.pk).exists()
        assert mail.outbox == []
    assert len(callbacks) == 1
    # One message per recipient: nobody sees the other addresses.
    assert [m.to for m in mail.outbox] == [["a@leedsham.gov.uk"], ["b@leedsham.gov.uk"]]
    assert all("https://collab.example/invite/abc" in m.body for m in mail.outbox)


def test_a_rolled_back_action_records_and_sends_nothing(
    council, django_capture_on_commit_callbacks
):
    class Refused(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused),
        transaction.atomic(),
    ):
        outbox.notify(
            verb="test.invited",
            organisation=council,
            emails=_invitation_emails(council, "a@leedsham.gov.uk"),
        )
        raise Refused
    assert not Activity.objects.filter(verb="test.invited").exists()
    assert mail.outbox == []


def test_the_same_address_is_mailed_once(council):
    messages = emails.membership_requested(
        factories.MembershipFactory(organisation=council),
        recipients=["ada@leedsham.gov.uk", "ADA@leedsham.gov.uk", ""],
    )
    assert [m.to for m in messages] == ["ada@leedsham.gov.uk"]


def test_links_in_e_mails_use_the_site_url_not_the_request(council, settings):
    settings.SITE_URL = "https://collab.example"
    membership = factories.MembershipFactory(organisation=council)
    (message,) = emails.membership_requested(membership, recipients=["ada@leedsham.gov.uk"])
    assert f"https://collab.example/councils/{council.slug}/people/" in message.body


def test_live_events_are_sent_on_commit(council, django_capture_on_commit_callbacks):
    received = []
    outbox.register_event_sender(received.append)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            outbox.notify(
                verb="test.board", organisation=council, event=("board-1", {"type": "item"})
            )
            assert received == []
    finally:
        outbox._event_senders.remove(received.append)
    assert received == [("board-1", {"type": "item"})]


def test_unknown_partnership_message_is_a_programming_error():
    with pytest.raises(ValueError, match="No partnership message called 'wrong'"):
        emails.partnership_news("wrong", None, subject="", by=None, recipients=[])
