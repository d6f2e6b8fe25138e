"""The people page of a workshop: facilitators invite platform users from any
council and addresses without an account, switch the guest link, change
roles and remove people. Participants who are not facilitators get 403,
people not taking part 404, and a refused action changes nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from councils.models import Membership
from swot.models import Participant, Workshop, hash_secret
from swot.services import workshops
from tests import factories

pytestmark = pytest.mark.django_db


def _participant(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


@pytest.fixture
def workshop(facilitator, officer):
    ws = workshops.create_workshop(by=facilitator, title="Waste collaboration")
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer])
    return ws


def _url(name, workshop, **kwargs):
    return reverse(f"swot:{name}", kwargs={"pk": workshop.pk, **kwargs})


def test_people_page_is_for_facilitators(
    client, client_for, facilitator, officer, outsider, workshop
):
    url = _url("people", workshop)
    assert client.get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(officer).get(url).status_code == 403
    response = client_for(facilitator).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert officer.display_name in html and facilitator.display_name in html


def test_every_action_refuses_a_participant_who_is_not_facilitator(
    client_for, officer, facilitator, workshop, outsider
):
    client = client_for(officer)
    host = _participant(workshop, facilitator)
    posts = [
        (_url("invite_users", workshop), {"q": "oscar", "users": [outsider.pk]}),
        (_url("invite_by_email", workshop), {"email": "new.person@example.org"}),
        (_url("guest_link", workshop), {"enabled": "on"}),
        (_url("set_role", workshop, participant_pk=host.pk), {f"p{host.pk}-role": "participant"}),
        (_url("remove_participant", workshop, participant_pk=host.pk), {"confirm": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    workshop.refresh_from_db()
    assert not workshop.guest_link_enabled
    assert workshop.participants.count() == 2
    assert _participant(workshop, facilitator).role == Participant.Role.FACILITATOR
    assert not mail.outbox


def test_search_finds_people_from_any_council_but_not_those_taking_part(
    client_for, facilitator, officer, outsider, workshop
):
    client = client_for(facilitator)
    outsider.full_name = "Oscar Outsider"
    outsider.save()
    found = client.get(_url("people", workshop), {"q": "oscar"}).content.decode()
    assert "Oscar Outsider" in found and "Otherton" in found
    # Someone already taking part is not offered again.
    officer_found = client.get(_url("people", workshop), {"q": officer.email}).content.decode()
    assert 'name="users"' not in officer_found
    assert "Nobody on the platform matches" in officer_found
    # Two letters are not enough to search.
    short = client.get(_url("people", workshop), {"q": "os"}).content.decode()
    assert "Type at least 3 letters" in short and 'name="users"' not in short


def test_search_leaves_out_people_without_an_active_membership(
    client_for, facilitator, workshop, council
):
    pending = factories.UserFactory(email="pat.pending@leedsham.gov.uk", full_name="Pat Pending")
    factories.MembershipFactory(
        user=pending, organisation=council, status=Membership.Status.PENDING
    )
    html = client_for(facilitator).get(_url("people", workshop), {"q": "pat"}).content.decode()
    assert "Pat Pending" not in html


def test_inviting_platform_users(
    client_for, facilitator, outsider, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(facilitator).post(
            _url("invite_users", workshop), {"q": "oscar", "users": [outsider.pk]}
        )
    assert response.status_code == 302
    added = _participant(workshop, outsider)
    assert added.status == Participant.Status.JOINED
    assert added.organisation.name == "Otherton"
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert f"/workshops/{workshop.pk}/" in mail.outbox[0].body


def test_inviting_nobody_or_someone_not_invitable_is_an_error(
    client_for, facilitator, officer, workshop
):
    client = client_for(facilitator)
    nothing = client.post(_url("invite_users", workshop), {"q": "oscar"})
    assert nothing.status_code == 400
    assert "Select the people to invite" in nothing.content.decode()
    inactive = factories.UserFactory(email="gone@otherton.gov.uk", is_active=False)
    for bad in (inactive.pk, officer.pk, "not-a-number", 999999):
        response = client.post(_url("invite_users", workshop), {"q": "x", "users": [bad]})
        assert response.status_code == 400, bad
    assert workshop.participants.count() == 2
    assert not mail.outbox


def test_inviting_by_email_sends_a_sign_up_link(
    client_for, facilitator, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(facilitator).post(
            _url("invite_by_email", workshop), {"email": "New.Person@Example.org"}
        )
    assert response.status_code == 302
    invited = Participant.objects.get(workshop=workshop, email="new.person@example.org")
    assert invited.status == Participant.Status.INVITED and invited.user is None
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]
    assert "/workshops/accept/" in mail.outbox[0].body
    # The people page lists the invitation.
    html = client_for(facilitator).get(_url("people", workshop)).content.decode()
    assert "new.person@example.org" in html and "Invited by email" in html


def test_inviting_an_address_that_has_an_account_adds_the_person(
    client_for, facilitator, outsider, workshop
):
    response = client_for(facilitator).post(
        _url("invite_by_email", workshop), {"email": outsider.email.upper()}
    )
    assert response.status_code == 302
    assert _participant(workshop, outsider).status == Participant.Status.JOINED


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.org"])
def test_a_bad_address_is_an_error(client_for, facilitator, workshop, email):
    response = client_for(facilitator).post(_url("invite_by_email", workshop), {"email": email})
    assert response.status_code == 400
    assert "email" in response.context["email_form"].errors
    assert workshop.participants.count() == 2
    assert not mail.outbox


def test_guest_link_shows_the_code_once_and_can_be_switched_off(client_for, facilitator, workshop):
    client = client_for(facilitator)
    response = client.post(_url("guest_link", workshop), {"enabled": "on"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.guest_link_enabled and workshop.join_code_hash
    first = client.get(_url("people", workshop))
    code = first.context["join_code"]
    assert hash_secret(code) == workshop.join_code_hash
    html = first.content.decode()
    assert f"{code[:5]} {code[5:]}" in html
    assert f"/workshops/{workshop.pk}/join/?code={code}" in html
    # Shown once: the next visit no longer has it.
    assert code not in client.get(_url("people", workshop)).content.decode()

    client.post(_url("guest_link", workshop), {"enabled": "off"})
    workshop.refresh_from_db()
    assert not workshop.guest_link_enabled and not workshop.join_code_hash


def test_set_role_and_its_refusals(client_for, facilitator, officer, workshop):
    client = client_for(facilitator)
    officer_p = _participant(workshop, officer)
    host = _participant(workshop, facilitator)
    response = client.post(
        _url("set_role", workshop, participant_pk=officer_p.pk),
        {f"p{officer_p.pk}-role": "facilitator"},
    )
    assert response.status_code == 302
    officer_p.refresh_from_db()
    assert officer_p.role == Participant.Role.FACILITATOR

    bad = client.post(
        _url("set_role", workshop, participant_pk=officer_p.pk), {f"p{officer_p.pk}-role": "boss"}
    )
    assert bad.status_code == 400
    own = client.post(
        _url("set_role", workshop, participant_pk=host.pk), {f"p{host.pk}-role": "participant"}
    )
    assert own.status_code == 400
    assert "You cannot change your own role." in own.content.decode()
    host.refresh_from_db()
    assert host.role == Participant.Role.FACILITATOR


def test_removing_someone_needs_a_confirmation(client_for, facilitator, officer, workshop):
    client = client_for(facilitator)
    officer_p = _participant(workshop, officer)
    url = _url("remove_participant", workshop, participant_pk=officer_p.pk)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove" in confirm.content.decode()
    officer_p.refresh_from_db()
    assert officer_p.status == Participant.Status.JOINED  # a GET changes nothing
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    officer_p.refresh_from_db()
    assert officer_p.status == Participant.Status.REMOVED
    # The removed officer can no longer open the workshop.
    assert client_for(officer).get(_url("detail", workshop)).status_code == 404


def test_a_facilitator_cannot_remove_themselves(client_for, facilitator, workshop):
    host = _participant(workshop, facilitator)
    response = client_for(facilitator).post(
        _url("remove_participant", workshop, participant_pk=host.pk), {"confirm": "yes"}
    )
    assert response.status_code == 400
    assert "You cannot remove yourself" in response.content.decode()
    host.refresh_from_db()
    assert host.status == Participant.Status.JOINED


def test_participants_of_another_workshop_are_not_found(client_for, facilitator, outsider):
    mine = workshops.create_workshop(by=facilitator, title="Mine")
    theirs = workshops.create_workshop(by=outsider, title="Theirs")
    their_host = _participant(theirs, outsider)
    client = client_for(facilitator)
    assert (
        client.get(_url("remove_participant", mine, participant_pk=their_host.pk)).status_code
        == 404
    )
    assert (
        client.post(
            _url("set_role", mine, participant_pk=their_host.pk),
            {f"p{their_host.pk}-role": "participant"},
        ).status_code
        == 404
    )
    assert _participant(theirs, outsider).status == Participant.Status.JOINED


def test_closed_workshop_takes_no_more_people(client_for, facilitator, outsider, workshop):
    from swot.services import board

    for phase in ("brainstorm", "group", "vote", "actions", "closed"):
        board.perform(
            workshop_id=workshop.pk,
            participant=_participant(workshop, facilitator),
            kind="phase.set",
            args={"phase": phase},
        )
    client = client_for(facilitator)
    html = client.get(_url("people", workshop)).content.decode()
    assert "nobody else can be invited" in html
    response = client.post(_url("invite_users", workshop), {"q": "x", "users": [outsider.pk]})
    assert response.status_code == 400
    assert "This workshop has closed." in response.content.decode()
    assert client.post(_url("guest_link", workshop), {"enabled": "on"}).status_code == 400
    assert not Workshop.objects.get(pk=workshop.pk).guest_link_enabled


def test_people_page_query_count(
    client_for, facilitator, workshop, django_assert_max_num_queries, other_council
):
    host = _participant(workshop, facilitator)
    users = [factories.member_of(other_council) for _ in range(5)]
    workshops.invite_users(workshop=workshop, by=host, users=users)
    client = client_for(facilitator)
    # session, user, membership, the viewer's participant, the people (with
    # users and organisations); a search adds the people found and their
    # organisations.
    with django_assert_max_num_queries(5):
        assert client.get(_url("people", workshop)).status_code == 200
    with django_assert_max_num_queries(7):
        found = client.get(_url("people", workshop), {"q": "otherton"})
    assert found.content.decode().count('name="users"') == 0  # all five already take part
    for n in range(3):
        factories.member_of(other_council, full_name=f"Newcomer {n}")
    with django_assert_max_num_queries(7):
        found = client.get(_url("people", workshop), {"q": "newcomer"})
    assert found.content.decode().count('name="users"') == 3
