"""Signed-in officers reach an initiative's key contact through a form: the
platform e-mails the message (with the sender's name, organisation and
address, so the key contact can reply) and never shows the key contact's
address. Only members of active organisations may; a sender is limited to a
few messages an hour."""

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(council, officer):
    return factories.InitiativeFactory(
        lead_organisation=council, title="Shared waste rounds", key_contact=officer
    )


@pytest.fixture
def sender(other_council):
    return factories.member_of(other_council, full_name="Sam Sender", email="sam@otherton.gov.uk")


def contact_url(initiative) -> str:
    return reverse("initiatives:contact_key_contact", kwargs={"slug": initiative.slug})


def test_an_officer_sends_the_key_contact_a_message(
    client_for, initiative, officer, sender, django_capture_on_commit_callbacks
):
    client = client_for(sender)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert f'href="{contact_url(initiative)}"' in page
    assert officer.email not in page
    form = client.get(contact_url(initiative)).content.decode()
    assert "sam@otherton.gov.uk" in form and officer.email not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(initiative), {"message": "Do you use Bartec?"})
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert message.subject == "A message about Shared waste rounds"
    assert "Do you use Bartec?" in message.body
    assert "Sam Sender (Otherton" in message.body and "sam@otherton.gov.uk" in message.body


@pytest.mark.parametrize("data", [{"message": ""}, {"message": "   "}, {"message": "x" * 2001}])
def test_bad_messages_are_refused_and_nothing_is_sent(client_for, initiative, sender, data):
    response = client_for(sender).post(contact_url(initiative), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error:" in html
    assert "Enter your message" in html or "2,000 characters or fewer" in html
    assert not mail.outbox


def test_senders_are_limited_to_five_messages_an_hour(
    client_for, initiative, sender, django_capture_on_commit_callbacks
):
    client = client_for(sender)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            response = client.post(contact_url(initiative), {"message": f"Hello {number}"})
            assert response.status_code == 302
    sixth = client.post(contact_url(initiative), {"message": "Hello again"})
    assert sixth.status_code == 429
    assert "You have sent 5 messages in the last hour" in sixth.content.decode()
    assert len(mail.outbox) == 5


def test_who_may_not_contact_the_key_contact(client, client_for, initiative, officer):
    # Anonymous: sign in first.
    response = client.get(contact_url(initiative))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    # No membership: refused, and no link on the page.
    stranger = factories.UserFactory(email="someone@example.org")
    assert client_for(stranger).get(contact_url(initiative)).status_code == 403
    assert client_for(stranger).post(contact_url(initiative), {"message": "Hi"}).status_code == 403
    assert (
        contact_url(initiative)
        not in client_for(stranger).get(initiative.get_absolute_url()).content.decode()
    )
    # The key contact themselves.
    assert client_for(officer).get(contact_url(initiative)).status_code == 403
    assert not mail.outbox


def test_no_key_contact_and_invisible_initiatives(client_for, council, other_council, sender):
    unnamed = factories.InitiativeFactory(lead_organisation=council, key_contact=None)
    assert client_for(sender).get(contact_url(unnamed)).status_code == 403
    draft = factories.InitiativeFactory(
        lead_organisation=council, visibility="draft", key_contact=factories.member_of(council)
    )
    assert client_for(sender).get(contact_url(draft)).status_code == 404
    assert client_for(sender).post(contact_url(draft), {"message": "Hi"}).status_code == 404
    assert not mail.outbox
