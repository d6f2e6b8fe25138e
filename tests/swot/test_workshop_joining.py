"""Coming into a workshop: an e-mailed invitation accepted (signed in, or
after signing up or in), and a guest joining with the code. Wrong codes are
form errors and create nothing; too many of them answer 429; a guest's
session opens their board and no other page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from swot.models import Participant
from swot.selectors.workshops import GUEST_SESSION_KEY, participant_for
from swot.services import board, workshops
from swot.views.joining import WRONG_CODES_RATE
from tests import factories

pytestmark = pytest.mark.django_db


def _participant(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


@pytest.fixture
def workshop(facilitator):
    return workshops.create_workshop(by=facilitator, title="Waste collaboration")


@pytest.fixture
def host(workshop, facilitator):
    return _participant(workshop, facilitator)


@pytest.fixture
def code(workshop, host):
    return workshops.set_guest_link(workshop=workshop, by=host, enabled=True)


def _accept_url(token):
    return reverse("swot:accept_invitation", kwargs={"token": token})


def _join_url(workshop):
    return reverse("swot:join", kwargs={"pk": workshop.pk})


# Invitations ---------------------------------------------------------------------------


def test_signed_in_invitee_accepts_and_lands_on_the_workshop(client_for, workshop, host):
    _invited, token = workshops.invite_by_email(
        workshop=workshop, by=host, email="nia.new@example.org"
    )
    nia = factories.UserFactory(email="nia.new@example.org")
    client = client_for(nia)
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert "Waste collaboration" in page.content.decode()
    assert "Accept invitation" in page.content.decode()
    response = client.post(_accept_url(token))
    assert response.status_code == 302
    assert response["Location"] == reverse("swot:detail", kwargs={"pk": workshop.pk})
    assert _participant(workshop, nia).status == Participant.Status.JOINED
    # The link is used up.
    again = client.get(_accept_url(token))
    assert again.status_code == 404
    assert "not valid or has already been used" in again.content.decode()


def test_anonymous_invitee_is_sent_to_sign_up_and_back(client, workshop, host):
    _invited, token = workshops.invite_by_email(
        workshop=workshop, by=host, email="nia.new@example.org"
    )
    page = client.get(_accept_url(token))
    html = page.content.decode()
    assert page.status_code == 200
    next_param = f"next=/workshops/accept/{token}/"
    assert f"{reverse('account_signup')}?{next_param}" in html
    assert f"{reverse('account_login')}?{next_param}" in html
    # The link proved the address: sign-up shows it locked.
    signup = client.get(reverse("account_signup")).content.decode()
    assert 'value="nia.new@example.org"' in signup and "readonly" in signup
    # An anonymous POST changes nothing and asks them to sign in.
    response = client.post(_accept_url(token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Participant.objects.get(workshop=workshop, email="nia.new@example.org").user is None


def test_invitee_without_an_account_signs_up_and_takes_part(
    client, workshop, host, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workshops.invite_by_email(workshop=workshop, by=host, email="nia.new@example.org")
    link = re.search(r"https?://[^/\s]+(/workshops/accept/[^\s]+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = client.post(
            reverse("account_signup"),
            {
                "full_name": "Nia New",
                "job_title": "Consultant",
                "email": "ignored@example.org",
                "password1": "a-long-Password-for-tests-123",
                "password2": "a-long-Password-for-tests-123",
                "next": link,
            },
        )
    # Signed in at once (the link proved the address) and back at the invitation.
    assert signed_up.status_code == 302 and signed_up["Location"] == link
    accepted = client.post(link)
    assert accepted["Location"] == reverse("swot:detail", kwargs={"pk": workshop.pk})
    nia = Participant.objects.get(workshop=workshop, user__email="nia.new@example.org")
    assert nia.status == Participant.Status.JOINED
    assert client.get(accepted["Location"]).status_code == 200


def test_someone_else_cannot_accept_an_invitation(client_for, workshop, host, outsider):
    invited, token = workshops.invite_by_email(
        workshop=workshop, by=host, email="nia.new@example.org"
    )
    client = client_for(outsider)
    page = client.get(_accept_url(token))
    assert page.status_code == 403
    assert "This invitation was sent to nia.new@example.org" in page.content.decode()
    assert client.post(_accept_url(token)).status_code == 403
    invited.refresh_from_db()
    assert invited.user is None
    assert not Participant.objects.filter(workshop=workshop, user=outsider).exists()


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300, "%00"])
def test_a_bad_token_is_a_clear_page(client, client_for, officer, token):
    for c in (client, client_for(officer)):
        response = c.get(_accept_url(token))
        assert response.status_code in (400, 404)


def test_a_removed_invitation_cannot_be_accepted(client_for, workshop, host):
    invited, token = workshops.invite_by_email(
        workshop=workshop, by=host, email="nia.new@example.org"
    )
    workshops.remove_participant(workshop=workshop, by=host, participant=invited)
    nia = factories.UserFactory(email="nia.new@example.org")
    client = client_for(nia)
    assert client.get(_accept_url(token)).status_code == 404
    assert client.post(_accept_url(token)).status_code == 404
    assert not Participant.objects.filter(workshop=workshop, user=nia).exists()


def test_an_invitation_to_a_closed_workshop_says_so(client_for, workshop, host, facilitator):
    _invited, token = workshops.invite_by_email(
        workshop=workshop, by=host, email="nia.new@example.org"
    )
    for phase in ("brainstorm", "group", "vote", "actions", "closed"):
        board.perform(
            workshop_id=workshop.pk, participant=host, kind="phase.set", args={"phase": phase}
        )
    nia = factories.UserFactory(email="nia.new@example.org")
    response = client_for(nia).post(_accept_url(token))
    assert response.status_code == 410
    assert "has closed" in response.content.decode()


# Guests --------------------------------------------------------------------------------


def test_the_join_page_prefills_the_code_and_names_no_workshop(client, workshop, code):
    response = client.get(_join_url(workshop), {"code": code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{code[:5]} {code[5:]}"' in html
    # Before the code is checked the page says nothing about the workshop.
    assert "Waste collaboration" not in html


def test_a_guest_joins_with_the_code_and_goes_to_the_board(client, workshop, code):
    response = client.post(
        _join_url(workshop), {"code": f"{code[:5]} {code[5:]}".lower(), "name": "Gail Guest"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/workshops/{workshop.pk}/board/"
    token = client.session[GUEST_SESSION_KEY][str(workshop.pk)]
    guest = participant_for(workshop, session=client.session)
    assert guest.guest_name == "Gail Guest" and guest.is_guest
    assert guest.status == Participant.Status.JOINED
    assert token not in (guest.guest_token_hash, "")
    # Coming back to the join page goes straight to the board.
    assert client.get(_join_url(workshop))["Location"] == f"/workshops/{workshop.pk}/board/"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "WRONGCODE1", "name": "Gail"}, "code"),
        ({"code": "", "name": "Gail"}, "code"),
        ({"code": "right", "name": ""}, "name"),
        ({"code": "right", "name": "x" * 81}, "name"),
    ],
)
def test_bad_join_attempts_are_form_errors_and_create_nothing(client, workshop, code, data, field):
    if data["code"] == "right":
        data = {**data, "code": code}
    response = client.post(_join_url(workshop), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert workshop.participants.count() == 1
    assert GUEST_SESSION_KEY not in client.session


def test_no_code_works_while_the_guest_link_is_off(client, workshop, host, code):
    workshops.set_guest_link(workshop=workshop, by=host, enabled=False)
    response = client.post(_join_url(workshop), {"code": code, "name": "Gail"})
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert workshop.participants.count() == 1


def test_a_missing_workshop_looks_like_a_wrong_code(client):
    page = client.get("/workshops/999999/join/")
    assert page.status_code == 200
    response = client.post("/workshops/999999/join/", {"code": "ABCDE23456", "name": "Gail"})
    assert response.status_code == 400
    assert "The join code is not right" in response.content.decode()


def test_wrong_codes_are_rate_limited_per_address_and_workshop(client, workshop, code, facilitator):
    limit = int(WRONG_CODES_RATE.split("/")[0])
    for _ in range(limit):
        assert client.post(_join_url(workshop), {"code": "WRONG", "name": "G"}).status_code == 400
    limited = client.post(_join_url(workshop), {"code": code, "name": "Gail"})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert workshop.participants.count() == 1
    # Another workshop from the same address is not affected.
    other = workshops.create_workshop(by=facilitator, title="Other")
    other_code = workshops.set_guest_link(
        workshop=other, by=_participant(other, facilitator), enabled=True
    )
    assert client.post(_join_url(other), {"code": other_code, "name": "G"}).status_code == 302


def test_right_codes_are_not_counted(client, workshop, code):
    limit = int(WRONG_CODES_RATE.split("/")[0])
    for n in range(limit + 2):
        client.session.flush()
        client.cookies.clear()
        response = client.post(_join_url(workshop), {"code": code, "name": f"Guest {n}"})
        assert response.status_code == 302
    assert workshop.participants.filter(user__isnull=True).count() == limit + 2


def test_a_guest_sees_nothing_else(client, workshop, code, facilitator, council):
    client.post(_join_url(workshop), {"code": code, "name": "Gail Guest"})
    pk = workshop.pk
    for path in (
        "/workshops/",
        f"/workshops/{pk}/",
        f"/workshops/{pk}/edit/",
        f"/workshops/{pk}/people/",
        reverse("swot:create"),
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("account_login")), path
    # Another workshop's join page still wants its own code.
    other = workshops.create_workshop(by=facilitator, title="Other")
    assert client.post(_join_url(other), {"code": code, "name": "G"}).status_code == 400
    # Signed-in pages treat the guest as the anonymous visitor they are.
    assert client.get(reverse("councils:people", kwargs={"slug": council.slug})).status_code == 302


def test_a_closed_workshop_takes_no_guests(client, workshop, host, code):
    for phase in ("brainstorm", "group", "vote", "actions", "closed"):
        board.perform(
            workshop_id=workshop.pk, participant=host, kind="phase.set", args={"phase": phase}
        )
    response = client.post(_join_url(workshop), {"code": code, "name": "Late Guest"})
    assert response.status_code == 400
    assert "This workshop has closed." in response.content.decode()
    assert workshop.participants.count() == 1


def test_a_participant_following_the_join_link_goes_to_the_board(
    client_for, workshop, code, facilitator
):
    response = client_for(facilitator).get(_join_url(workshop), {"code": code})
    assert response["Location"] == f"/workshops/{workshop.pk}/board/"


def test_the_service_refuses_an_invitation_after_removal(workshop, host, officer):
    """Not only the page: ``accept_invitation`` itself refuses a withdrawn
    invitation, and an old link cannot bring back someone removed."""
    from django.core.exceptions import ValidationError

    invited, token = workshops.invite_by_email(
        workshop=workshop, by=host, email="nia.new@example.org"
    )
    workshops.remove_participant(workshop=workshop, by=host, participant=invited)
    nia = factories.UserFactory(email="nia.new@example.org")
    with pytest.raises(ValidationError, match="withdrawn"):
        workshops.accept_invitation(token=token, user=nia)
    assert not Participant.objects.filter(workshop=workshop, user=nia).exists()

    # Invited by e-mail, then added (and removed) by account: the link stays dead.
    _second, second_token = workshops.invite_by_email(
        workshop=workshop, by=host, email="max.later@example.org"
    )
    max_user = factories.UserFactory(email="max.later@example.org")
    added = workshops.invite_users(workshop=workshop, by=host, users=[max_user])
    workshops.remove_participant(workshop=workshop, by=host, participant=added[0])
    with pytest.raises(ValidationError, match="withdrawn"):
        workshops.accept_invitation(token=second_token, user=max_user)
    assert (
        Participant.objects.get(workshop=workshop, user=max_user).status
        == Participant.Status.REMOVED
    )
