"""The workshops API through a REST client: the same services and rules as the
board (phase rules, vote limits, stale edits, private brainstorm, anonymity),
404 for a workshop you are not in, 400 with field errors for bad input."""

import json

import pytest
from django.test import Client

from swot.models import Item, Participant, Vote, Workshop
from swot.selectors.workshops import GUEST_SESSION_KEY
from swot.services import board, workshops


def _p(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


@pytest.fixture
def workshop(facilitator, officer):
    ws = workshops.create_workshop(by=facilitator, title="Waste", private_brainstorm=True)
    workshops.invite_users(workshop=ws, by=_p(ws, facilitator), users=[officer])
    board.perform(
        workshop_id=ws.pk,
        participant=_p(ws, facilitator),
        kind="phase.set",
        args={"phase": "brainstorm"},
    )
    return ws


def test_a_facilitator_creates_and_lists_workshops(api_for, facilitator, officer):
    created = api_for(facilitator).post(
        "/api/v1/workshops/",
        {"title": "Readiness", "template": "readiness", "votes_per_participant": 3},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phase"] == "setup" and body["votes_per_participant"] == 3
    assert Workshop.objects.get(pk=body["id"]).prompts  # the template's prompts
    listed = api_for(facilitator).get("/api/v1/workshops/").json()
    assert [w["id"] for w in listed["results"]] == [body["id"]]
    assert api_for(officer).get("/api/v1/workshops/").json()["results"] == []


def test_creating_needs_the_facilitator_role_and_a_title(api_for, officer, facilitator):
    assert (
        api_for(officer).post("/api/v1/workshops/", {"title": "Mine"}, format="json").status_code
        == 403
    )
    bad = api_for(facilitator).post("/api/v1/workshops/", {"title": ""}, format="json")
    assert bad.status_code == 400 and "title" in bad.json()
    assert not Workshop.objects.exists()


def test_someone_not_taking_part_gets_404_everywhere(api_for, workshop, outsider):
    client = api_for(outsider)
    for url in ("", "participants/", "board/", "operations/?since=0", "groups/", "actions/"):
        assert client.get(f"/api/v1/workshops/{workshop.pk}/{url}").status_code == 404, url
    added = client.post(
        f"/api/v1/workshops/{workshop.pk}/items/",
        {"quadrant": "strengths", "text": "Hi"},
        format="json",
    )
    assert added.status_code == 404
    assert not Item.objects.exists()


def test_items_votes_and_groups_go_through_the_board_services(
    api_for, workshop, facilitator, officer
):
    me = api_for(officer)
    added = me.post(
        f"/api/v1/workshops/{workshop.pk}/items/",
        {"quadrant": "strengths", "text": "Shared CRM"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert added.status_code == 201 and added.json()["type"] == "ack"
    again = me.post(
        f"/api/v1/workshops/{workshop.pk}/items/",
        {"quadrant": "strengths", "text": "Shared CRM"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    item = Item.objects.get()
    edited = me.patch(
        f"/api/v1/workshops/{workshop.pk}/items/{item.pk}/",
        {"text": "Shared CRM system", "version": item.version},
        format="json",
    )
    assert edited.status_code == 201
    stale = me.patch(
        f"/api/v1/workshops/{workshop.pk}/items/{item.pk}/",
        {"text": "Lost?", "version": item.version},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale" and stale.json()["item"]["text"] == "Shared CRM system"
    # Voting is for the vote phase.
    early = me.post(f"/api/v1/workshops/{workshop.pk}/items/{item.pk}/vote/")
    assert early.status_code == 400 and early.json()["code"] == "invalid"
    host = api_for(facilitator)
    for phase in ("group", "vote"):
        ok = host.post(
            f"/api/v1/workshops/{workshop.pk}/operations/",
            {"kind": "phase.set", "args": {"phase": phase}},
            format="json",
        )
        assert ok.status_code == 201, ok.content
    assert me.post(f"/api/v1/workshops/{workshop.pk}/items/{item.pk}/vote/").status_code == 201
    assert Vote.objects.count() == 1
    assert me.delete(f"/api/v1/workshops/{workshop.pk}/items/{item.pk}/vote/").status_code == 201
    assert Vote.objects.count() == 0
    refused = me.post(
        f"/api/v1/workshops/{workshop.pk}/operations/",
        {"kind": "phase.set", "args": {"phase": "actions"}},
        format="json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "refused"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "item.explode"}, "kind"),
        ({"kind": "item.add", "args": [1]}, "args"),
        ({"kind": "item.add", "id": "x" * 65}, "id"),
    ],
)
def test_bad_operations_get_400_and_change_nothing(api_for, workshop, officer, body, field):
    answer = api_for(officer).post(
        f"/api/v1/workshops/{workshop.pk}/operations/", body, format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert not Item.objects.exists()


def test_bad_item_input_and_nul_bytes_are_field_errors(api_for, workshop, officer):
    me = api_for(officer)
    for body in (
        {"quadrant": "middle", "text": "Hm"},
        {"quadrant": "strengths", "text": "a\x00b"},
        {"quadrant": "strengths", "text": "x" * 281},
    ):
        answer = me.post(f"/api/v1/workshops/{workshop.pk}/items/", body, format="json")
        assert answer.status_code == 400, body
    overflow = me.delete(f"/api/v1/workshops/{workshop.pk}/items/{2**62}/")
    assert overflow.status_code in (400, 404)
    assert not Item.objects.exists()


def test_polling_since_validates_and_replays(api_for, workshop, officer):
    me = api_for(officer)
    assert me.get(f"/api/v1/workshops/{workshop.pk}/operations/?since=abc").status_code == 400
    assert me.get(f"/api/v1/workshops/{workshop.pk}/operations/?since={2**64}").status_code == 400
    workshop.refresh_from_db()
    seq = workshop.last_seq
    me.post(
        f"/api/v1/workshops/{workshop.pk}/items/",
        {"quadrant": "threats", "text": "Cuts"},
        format="json",
    )
    frames = me.get(f"/api/v1/workshops/{workshop.pk}/operations/?since={seq}").json()
    assert [f["kind"] for f in frames["frames"]] == ["item.add"]
    assert frames["last_seq"] == seq + 1


def test_private_brainstorm_and_anonymity_hold_through_the_api(
    api_for, facilitator, officer, outsider
):
    ws = workshops.create_workshop(
        by=facilitator, title="Quiet", private_brainstorm=True, anonymous_items=True
    )
    workshops.invite_users(workshop=ws, by=_p(ws, facilitator), users=[officer, outsider])
    board.perform(
        workshop_id=ws.pk,
        participant=_p(ws, facilitator),
        kind="phase.set",
        args={"phase": "brainstorm"},
    )
    secret = "Our contract with Acme ends in March"
    api_for(officer).post(
        f"/api/v1/workshops/{ws.pk}/items/",
        {"quadrant": "weaknesses", "text": secret},
        format="json",
    )
    other = api_for(outsider)
    for url in ("board/", "operations/?since=0"):
        assert secret not in other.get(f"/api/v1/workshops/{ws.pk}/{url}").content.decode()
    host_view = api_for(facilitator).get(f"/api/v1/workshops/{ws.pk}/board/").json()
    shown = [i for q in host_view["quadrants"] for i in q["items"]]
    assert shown[0]["text"] == secret and shown[0]["author"] is None  # anonymous even to the host
    assert officer.email not in json.dumps(host_view)
    board.perform(workshop_id=ws.pk, participant=_p(ws, facilitator), kind="brainstorm.reveal")
    revealed = other.get(f"/api/v1/workshops/{ws.pk}/board/").content.decode()
    assert secret in revealed and officer.display_name not in revealed


def test_a_guest_uses_the_api_with_their_session_and_needs_the_csrf_token(workshop, facilitator):
    code = workshops.set_guest_link(workshop=workshop, by=_p(workshop, facilitator), enabled=True)
    _, token = workshops.join_as_guest(workshop_id=workshop.pk, code=code, name="Sam")
    browser = Client(enforce_csrf_checks=True)
    session = browser.session
    session[GUEST_SESSION_KEY] = {str(workshop.pk): token}
    session.save()
    assert browser.get(f"/api/v1/workshops/{workshop.pk}/board/").status_code == 200
    forged = browser.post(
        f"/api/v1/workshops/{workshop.pk}/items/",
        json.dumps({"quadrant": "strengths", "text": "From another site"}),
        content_type="application/json",
    )
    assert forged.status_code == 403
    assert not Item.objects.exists()
    # Nothing else on the platform opens to a guest.
    assert browser.get("/api/v1/workshops/").status_code in (401, 403)


def test_participants_list_and_invite(
    api_for, workshop, facilitator, officer, outsider, mailoutbox
):
    listed = api_for(officer).get(f"/api/v1/workshops/{workshop.pk}/participants/").json()
    assert {p["id"] for p in listed} == {_p(workshop, facilitator).pk, _p(workshop, officer).pk}
    refused = api_for(officer).post(
        f"/api/v1/workshops/{workshop.pk}/participants/", {"email": outsider.email}, format="json"
    )
    assert refused.status_code == 403
    invited = api_for(facilitator).post(
        f"/api/v1/workshops/{workshop.pk}/participants/", {"email": outsider.email}, format="json"
    )
    assert invited.status_code == 201, invited.content
    assert Participant.objects.filter(workshop=workshop, user=outsider).exists()
    bad = api_for(facilitator).post(
        f"/api/v1/workshops/{workshop.pk}/participants/", {"email": "not an address"}, format="json"
    )
    assert bad.status_code == 400 and "email" in bad.json()


def test_actions_are_listed_as_the_board_shows_them(api_for, workshop, facilitator, officer):
    host = api_for(facilitator)
    added = host.post(
        f"/api/v1/workshops/{workshop.pk}/items/",
        {"quadrant": "weaknesses", "text": "Contracts end at different times"},
        format="json",
    )
    assert added.status_code == 201
    item = Item.objects.get()
    for phase in ("group", "vote", "actions"):
        host.post(
            f"/api/v1/workshops/{workshop.pk}/operations/",
            {"kind": "phase.set", "args": {"phase": phase}},
            format="json",
        )
    bad = host.post(
        f"/api/v1/workshops/{workshop.pk}/operations/",
        {"kind": "action.add", "args": {"text": "Align contract ends"}},
        format="json",
    )
    assert bad.status_code == 400 and "items" in bad.json()["errors"]
    made = host.post(
        f"/api/v1/workshops/{workshop.pk}/operations/",
        {"kind": "action.add", "args": {"text": "Align contract ends", "items": [item.pk]}},
        format="json",
    )
    assert made.status_code == 201, made.content
    listed = api_for(officer).get(f"/api/v1/workshops/{workshop.pk}/actions/").json()
    assert [a["text"] for a in listed] == ["Align contract ends"]
    assert facilitator.email not in json.dumps(listed)
