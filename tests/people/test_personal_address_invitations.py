"""Invitations to webmail addresses (gmail.com...): allowed, but only once the
inviter has seen a warning and confirmed. The service refuses them otherwise,
whichever door calls it; the people page asks first."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils.models import Invitation, Membership
from councils.services.people import create_invitation
from notifications.models import Activity

pytestmark = pytest.mark.django_db

WARNING = (
    "alex@gmail.com is a personal e-mail address. Invitations usually go to council "
    "addresses; send it anyway?"
)


def invite_url(org):
    return reverse("councils:invite", kwargs={"slug": org.slug})


# The service --------------------------------------------------------------------------


def test_service_refuses_a_webmail_address_unless_confirmed(
    council, council_admin, django_capture_on_commit_callbacks
):
    for confirm in ({}, {"confirm_personal_address": False}, {"confirm_personal_address": "yes"}):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ValidationError) as error,
        ):
            create_invitation(
                organisation=council,
                email=" Alex@GMail.com ",
                role=Membership.Role.MEMBER,
                by=council_admin,
                **confirm,
            )
        assert error.value.message_dict == {"confirm_personal_address": [WARNING]}
        assert error.value.error_dict["confirm_personal_address"][0].code == "personal_address"
    assert not Invitation.objects.exists()
    assert not Activity.objects.filter(verb="invitation.created").exists()
    assert mail.outbox == []


def test_service_sends_a_confirmed_webmail_invitation_and_records_the_flag(
    council, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _raw = create_invitation(
            organisation=council,
            email="alex@gmail.com",
            role=Membership.Role.MEMBER,
            by=council_admin,
            confirm_personal_address=True,
        )
    assert invitation.is_personal_address
    assert Activity.objects.get(verb="invitation.created").data == {"personal_address": True}
    assert mail.outbox[0].to == ["alex@gmail.com"]


@pytest.mark.parametrize("email", ["ivy@leedsham.gov.uk", "ivy@nhs.net", "ivy@acme.example"])
def test_work_addresses_need_no_confirmation(council, council_admin, email):
    invitation, _raw = create_invitation(
        organisation=council, email=email, role=Membership.Role.MEMBER, by=council_admin
    )
    assert not invitation.is_personal_address
    assert Activity.objects.get(verb="invitation.created").data == {}


# The people page ------------------------------------------------------------------------


def test_page_warns_first_and_sends_only_after_confirmation(
    client_for, council, council_admin, django_capture_on_commit_callbacks
):
    client = client_for(council_admin)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(invite_url(council), {"email": "Alex@GMail.com", "role": "member"})
    body = asked.content.decode()
    assert asked.status_code == 200
    assert '<div class="govuk-warning-text" id="personal-address-warning">' in body
    assert WARNING in body
    assert 'name="personal_address" value="alex@gmail.com"' in body
    assert "Yes, send the invitation to this personal address" in body
    assert "There is a problem" not in body  # a question, not an error
    assert 'value="Alex@GMail.com"' in body  # what they typed is kept
    assert not Invitation.objects.exists() and mail.outbox == []

    # Sent again without ticking the box: an error on the box, still nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            invite_url(council),
            {"email": "alex@gmail.com", "role": "member", "personal_address": "alex@gmail.com"},
        )
    body = again.content.decode()
    assert again.status_code == 400
    assert "There is a problem" in body and 'href="#id_confirm_personal_address"' in body
    assert "Tick the box to send the invitation to this personal address" in body
    assert WARNING in body
    assert not Invitation.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            invite_url(council),
            {
                "email": "alex@gmail.com",
                "role": "member",
                "personal_address": "alex@gmail.com",
                "confirm_personal_address": "on",
            },
        )
    assert sent.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "alex@gmail.com"
    assert mail.outbox[0].to == ["alex@gmail.com"]
    people = client.get(sent["Location"]).content.decode()
    assert "Personal address" in people  # flagged in the open invitations


def test_a_confirmation_counts_only_for_the_address_it_was_given_for(
    client_for, council, council_admin
):
    """Ticked for alex@gmail.com, then the address changed to another personal
    one: that one is asked about afresh."""
    response = client_for(council_admin).post(
        invite_url(council),
        {
            "email": "sam@hotmail.co.uk",
            "role": "member",
            "personal_address": "alex@gmail.com",
            "confirm_personal_address": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "sam@hotmail.co.uk is a personal e-mail address" in body
    assert 'name="personal_address" value="sam@hotmail.co.uk"' in body
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_forged_confirmation_without_the_warned_address_asks_first(
    client_for, council, council_admin
):
    response = client_for(council_admin).post(
        invite_url(council),
        {"email": "alex@gmail.com", "role": "member", "confirm_personal_address": "on"},
    )
    assert response.status_code == 200 and WARNING in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_work_address_is_sent_at_once_without_a_warning(
    client_for, council, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(council_admin).post(
            invite_url(council), {"email": "ivy@leedsham.gov.uk", "role": "member"}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "ivy@leedsham.gov.uk"
    people = client_for(council_admin).get(response["Location"]).content.decode()
    assert "Personal address" not in people and "personal-address-warning" not in people
