"""The board's HTTP doors: the server-rendered page and its no-script forms
(``board_op``), the polling fallback (``board_poll``) and JSON operations
(``board_ops``), with every error path changing nothing, and private
brainstorm and anonymity holding in the HTML and JSON alike."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Membership
from swot.models import Item, Operation, Participant, Vote, Workshop
from swot.selectors.workshops import GUEST_SESSION_KEY
from swot.services import board, workshops
from swot.views import board_http
from tests import factories

SECRET = "Our waste contract ends in March"


def _participant(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


def _do(workshop, user, kind, **args):
    return board.perform(
        workshop_id=workshop.pk, participant=_participant(workshop, user), kind=kind, args=args
    )


@pytest.fixture
def colleague(other_council):
    """An officer of another council taking part (workshops cross councils)."""
    return factories.member_of(
        other_council, Membership.Role.MEMBER, email="carla.colleague@otherton.gov.uk"
    )


def _workshop(facilitator, people, **options):
    ws = workshops.create_workshop(by=facilitator, title="Waste collaboration", **options)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=people)
    return ws


@pytest.fixture
def workshop(facilitator, officer, colleague):
    ws = _workshop(facilitator, [officer, colleague], template="readiness")
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    ws.refresh_from_db()
    return ws


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name, workshop):
    return reverse(f"swot:{name}", args=[workshop.pk])


def _post_ops(client, workshop, frame, **extra):
    body = frame if isinstance(frame, str | bytes) else json.dumps(frame)
    return client.post(_url("board_ops", workshop), body, content_type="application/json", **extra)


def _add(workshop, user, text="Shared depot", quadrant="strengths"):
    return _do(workshop, user, "item.add", quadrant=quadrant, text=text).operation.data["item"][
        "id"
    ]


# The page ---------------------------------------------------------------------------------------


def test_board_page_shows_the_quadrants_prompts_phase_and_the_forms_of_the_phase(
    workshop, facilitator, officer
):
    _add(workshop, officer, "Strong data team")
    page = _client(facilitator).get(_url("board", workshop))
    assert page.status_code == 200
    html = page.content.decode()
    for heading in ("Strengths", "Weaknesses", "Opportunities", "Threats"):
        assert heading in html
    assert html.count('class="govuk-heading-m app-quadrant__title"') == 4
    assert "Strong data team" in html
    assert 'aria-current="step"' in html and "Brainstorm" in html
    assert workshop.prompts["strengths"][0] in html  # the template's prompts
    # Facilitator, brainstorm: add (with scribe mode), edit, move, delete, phase change, timer.
    for kind in ("item.add", "item.edit", "item.move", "item.delete", "phase.set", "timer.start"):
        assert f'value="{kind}"' in html
    assert 'name="on_behalf_of"' in html
    assert 'value="vote.add"' not in html and 'value="group.create"' not in html
    workshop.refresh_from_db()
    assert f'data-last-seq="{workshop.last_seq}"' in html


def test_an_officer_sees_no_facilitator_forms_and_cannot_change_others_items(
    workshop, facilitator, officer
):
    _add(workshop, facilitator, "The facilitator idea")
    html = _client(officer).get(_url("board", workshop)).content.decode()
    assert "The facilitator idea" in html
    assert 'value="item.add"' in html
    assert 'value="phase.set"' not in html and 'value="timer.start"' not in html
    assert 'name="on_behalf_of"' not in html
    assert 'value="item.edit"' not in html  # not theirs


def test_vote_phase_shows_vote_buttons_and_votes_left(workshop, facilitator, officer):
    item_id = _add(workshop, officer)
    _do(workshop, facilitator, "phase.set", phase="group")
    _do(workshop, facilitator, "phase.set", phase="vote")
    client = _client(officer)
    html = client.get(_url("board", workshop)).content.decode()
    assert 'value="vote.add"' in html and "You have <strong>5</strong> votes left" in html
    assert 'value="item.add"' not in html
    response = client.post(_url("board_op", workshop), {"kind": "vote.add", "item": item_id})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).content.decode()
    assert "Vote added. You have 4 votes left." in html
    assert 'value="vote.remove"' in html and "1 vote" in html


def test_group_phase_forms_group_and_regroup_without_javascript(workshop, facilitator, officer):
    first, second = _add(workshop, officer, "One"), _add(workshop, officer, "Two")
    _do(workshop, facilitator, "phase.set", phase="group")
    client = _client(facilitator)
    html = client.get(_url("board", workshop)).content.decode()
    assert 'form="group-create-strengths"' in html
    response = client.post(
        _url("board_op", workshop),
        {"kind": "group.create", "name": "Skills", "items": [first, second]},
    )
    assert response.status_code == 303
    assert set(Item.objects.values_list("group__name", flat=True)) == {"Skills"}
    html = client.get(_url("board", workshop)).content.decode()
    assert "Group: Skills" in html and 'value="item.ungroup"' in html


# No-script operations ---------------------------------------------------------------------------


def test_no_script_add_item_redirects_back_with_a_message(workshop, officer):
    client = _client(officer)
    response = client.post(
        _url("board_op", workshop), {"kind": "item.add", "quadrant": "threats", "text": "Cuts"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == _url("board", workshop) + "#add-item"
    assert Item.objects.get().text == "Cuts"
    page = client.get(response.headers["Location"])
    assert "Your item was added to Threats." in page.content.decode()


def test_no_script_repeated_form_id_is_applied_once(workshop, officer):
    client = _client(officer)
    form = {"kind": "item.add", "quadrant": "threats", "text": "Cuts", "id": "form-1"}
    client.post(_url("board_op", workshop), form)
    client.post(_url("board_op", workshop), form)
    assert Item.objects.count() == 1


@pytest.mark.parametrize(
    "form, status, message",
    [
        ({"kind": "item.add", "quadrant": "threats", "text": ""}, 400, "Enter the item"),
        ({"kind": "item.add", "quadrant": "nowhere", "text": "x"}, 400, "Choose strengths"),
        ({"kind": "item.add", "quadrant": "threats", "text": "x" * 281}, 400, "280 characters"),
        ({"kind": "rm -rf", "text": "x"}, 400, "Choose what to do on the board"),
        ({"kind": "phase.set", "phase": "vote"}, 403, "Only the workshop"),
        ({"kind": "vote.add", "item": "1"}, 400, "during the brainstorm phase"),
    ],
)
def test_no_script_errors_show_the_board_again_and_change_nothing(
    workshop, officer, form, status, message
):
    before = workshop.last_seq
    response = _client(officer).post(_url("board_op", workshop), form)
    assert response.status_code == status
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert html.count("<h1") == 1
    assert not Item.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).last_seq == before


def test_no_script_add_error_keeps_what_was_typed(workshop, officer):
    response = _client(officer).post(
        _url("board_op", workshop),
        {"kind": "item.add", "quadrant": "nowhere", "text": "Keep me"},
    )
    html = response.content.decode()
    assert ">Keep me</textarea>" in html and 'href="#add-quadrant"' in html


def test_no_script_stale_edit_shows_the_current_text(workshop, facilitator, officer):
    item_id = _add(workshop, officer, "One")
    _do(workshop, facilitator, "item.edit", item=item_id, text="Two", version=1)
    response = _client(officer).post(
        _url("board_op", workshop),
        {"kind": "item.edit", "item": item_id, "text": "Three", "version": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this item" in html
    assert "The item now reads: “Two”" in html
    assert ">Three</textarea>" in html  # what they typed, to make again
    assert 'name="version" value="2"' in html
    assert Item.objects.get(pk=item_id).text == "Two"


def test_no_script_form_needs_a_csrf_token(workshop, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(
        _url("board_op", workshop), {"kind": "item.add", "quadrant": "threats", "text": "x"}
    )
    assert response.status_code == 403
    assert not Item.objects.exists()


# Polling -----------------------------------------------------------------------------------------


def test_poll_returns_the_frames_since_and_the_last_seq(workshop, officer, colleague):
    since = workshop.last_seq
    _add(workshop, officer, "Polled item")
    response = _client(colleague).get(_url("board_poll", workshop), {"since": since})
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["last_seq"] == since + 1
    assert [frame["kind"] for frame in body["frames"]] == ["item.add"]
    assert body["frames"][0]["data"]["item"]["text"] == "Polled item"
    assert "present" in body
    nothing = _client(colleague).get(_url("board_poll", workshop), {"since": since + 1}).json()
    assert nothing["frames"] == []


def test_poll_without_since_or_too_far_ahead_gets_a_snapshot(workshop, colleague):
    client = _client(colleague)
    for params in ({}, {"since": workshop.last_seq + 10}):
        body = client.get(_url("board_poll", workshop), params).json()
        assert body["snapshot"]["type"] == "snapshot"
        assert body["snapshot"]["seq"] == body["last_seq"] == workshop.last_seq


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "9" * 30 + "x"])
def test_poll_with_a_bad_since_is_400_with_field_errors(workshop, colleague, since):
    response = _client(colleague).get(_url("board_poll", workshop), {"since": since})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "since" in body["errors"]


# JSON operations ---------------------------------------------------------------------------------


def test_ops_applies_and_acks_and_a_repeat_is_a_duplicate(workshop, officer):
    client = _client(officer)
    frame = {"id": "c-1", "kind": "item.add", "args": {"quadrant": "strengths", "text": "Fast"}}
    first = _post_ops(client, workshop, frame)
    assert first.status_code == 200
    ack = first.json()
    assert ack == {"type": "ack", "id": "c-1", "seq": workshop.last_seq + 1, "duplicate": False}
    again = _post_ops(client, workshop, frame).json()
    assert again["duplicate"] is True and again["seq"] == ack["seq"]
    assert Item.objects.count() == 1


@pytest.mark.parametrize(
    "body, code",
    [
        ("{not json", "bad_frame"),
        ("[1, 2]", "bad_frame"),
        (b"\xff\xfe", "bad_frame"),
        ({"id": "x", "kind": ["item.add"]}, "bad_frame"),
        ({"id": "x", "kind": "item.add", "args": "quadrant=strengths"}, "bad_frame"),
        ({"id": 5, "kind": "item.add", "args": {}}, "bad_frame"),
        ({"id": "x", "kind": "item.explode", "args": {}}, "invalid"),
        ({"id": "x", "kind": "item.add", "args": {"quadrant": "strengths"}}, "invalid"),
        (
            {"id": "x" * 65, "kind": "item.add", "args": {"quadrant": "strengths", "text": "a"}},
            "invalid",
        ),
        ({"id": "x", "kind": "vote.add", "args": {"item": 1}}, "invalid"),
    ],
)
def test_ops_bad_frames_are_400_and_change_nothing(workshop, officer, body, code):
    before = workshop.last_seq
    response = _post_ops(_client(officer), workshop, body)
    assert response.status_code == 400
    frame = response.json()
    assert frame["type"] == "error" and frame["code"] == code
    assert frame["message"]
    if code == "invalid":
        assert frame["errors"]
    assert not Item.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).last_seq == before


def test_ops_refused_is_403(workshop, officer):
    response = _post_ops(
        _client(officer), workshop, {"id": "p", "kind": "phase.set", "args": {"phase": "vote"}}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "refused"
    assert Workshop.objects.get(pk=workshop.pk).phase == "brainstorm"


def test_ops_stale_edit_is_409_with_the_current_item(workshop, facilitator, officer):
    item_id = _add(workshop, officer, "One")
    _do(workshop, facilitator, "item.edit", item=item_id, text="Two", version=1)
    response = _post_ops(
        _client(officer),
        workshop,
        {"id": "e", "kind": "item.edit", "args": {"item": item_id, "text": "Three", "version": 1}},
    )
    assert response.status_code == 409
    frame = response.json()
    assert frame["code"] == "stale" and frame["id"] == "e"
    assert frame["item"]["text"] == "Two" and frame["item"]["version"] == 2
    assert frame["item"]["mine"] is True
    assert Item.objects.get(pk=item_id).text == "Two"


def test_ops_are_rate_limited_per_participant(workshop, officer, colleague, monkeypatch):
    monkeypatch.setattr(board_http, "OPS_RATE", "2/m")
    client = _client(officer)
    for n in range(2):
        ok = _post_ops(
            client,
            workshop,
            {"id": f"r{n}", "kind": "item.add", "args": {"quadrant": "threats", "text": f"{n}"}},
        )
        assert ok.status_code == 200
    limited = _post_ops(
        client,
        workshop,
        {"id": "r3", "kind": "item.add", "args": {"quadrant": "threats", "text": "3"}},
    )
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert Item.objects.count() == 2
    # Another participant has a limit of their own.
    other = _post_ops(
        _client(colleague),
        workshop,
        {"id": "c", "kind": "item.add", "args": {"quadrant": "threats", "text": "mine"}},
    )
    assert other.status_code == 200


def test_ops_need_the_csrf_header(workshop, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    frame = {"id": "c", "kind": "item.add", "args": {"quadrant": "threats", "text": "x"}}
    assert _post_ops(client, workshop, frame).status_code == 403
    page = client.get(_url("board", workshop))
    token = page.cookies["csrftoken"].value
    assert _post_ops(client, workshop, frame, HTTP_X_CSRFTOKEN=token).status_code == 200


# Who receives what -------------------------------------------------------------------------------


def test_private_brainstorm_text_of_others_is_never_in_the_page_or_the_json(
    facilitator, officer, colleague
):
    ws = _workshop(facilitator, [officer, colleague], private_brainstorm=True)
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    _add(ws, officer, SECRET)
    ws.refresh_from_db()
    other = _client(colleague)
    for name in ("board", "board_fragment"):
        assert SECRET not in other.get(_url(name, ws)).content.decode()
    for params in ({"since": 0}, {}):
        assert SECRET not in other.get(_url("board_poll", ws), params).content.decode()
    assert "Private brainstorm" in other.get(_url("board", ws)).content.decode()
    # The author and the facilitator see it.
    assert SECRET in _client(officer).get(_url("board", ws)).content.decode()
    assert SECRET in _client(facilitator).get(_url("board", ws)).content.decode()
    # Editing it by guessing its id answers as if it did not exist.
    item_id = Item.objects.get().pk
    guess = _post_ops(
        other,
        ws,
        {"id": "g", "kind": "item.edit", "args": {"item": item_id, "text": "x", "version": 1}},
    )
    assert guess.status_code == 400 and SECRET not in guess.content.decode()
    _do(ws, facilitator, "brainstorm.reveal")
    assert SECRET in other.get(_url("board", ws)).content.decode()


def test_anonymous_items_carry_no_author_in_html_or_json(facilitator, officer, colleague):
    ws = _workshop(facilitator, [officer, colleague], anonymous_items=True)
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    since = Workshop.objects.get(pk=ws.pk).last_seq
    _add(ws, officer, "Budget pressure")
    officer_name = officer.display_name
    for user in (facilitator, colleague):
        client = _client(user)
        html = client.get(_url("board", ws)).content.decode()
        assert "Budget pressure" in html and "Anonymous" in html
        item_html = html.split('id="item-', 1)[1].split("</li>", 1)[0]
        assert officer_name not in item_html and "Leedsham" not in item_html
        for params in ({"since": since}, {}):
            body = client.get(_url("board_poll", ws), params).content.decode()
            assert "Budget pressure" in body
            assert f'"author": {{"id": {_participant(ws, officer).pk}' not in body
            payload = json.loads(body)
            items = (
                [f["data"]["item"] for f in payload["frames"]]
                if "frames" in payload
                else [i for q in payload["snapshot"]["quadrants"] for i in q["items"]]
            )
            assert all(item["author"] is None for item in items)
    own = _client(officer).get(_url("board", ws)).content.decode()
    assert "Yours" in own


def test_a_guest_takes_part_through_their_session(workshop, facilitator):
    code = workshops.set_guest_link(
        workshop=workshop, by=_participant(workshop, facilitator), enabled=True
    )
    guest, token = workshops.join_as_guest(workshop_id=workshop.pk, code=code, name="Gina Guest")
    client = Client()
    session = client.session
    session[GUEST_SESSION_KEY] = {str(workshop.pk): token}
    session.save()
    assert client.get(_url("board", workshop)).status_code == 200
    response = client.post(
        _url("board_op", workshop),
        {"kind": "item.add", "quadrant": "threats", "text": "Guest idea"},
    )
    assert response.status_code == 303
    assert Item.objects.get().author == guest


def test_removed_participants_outsiders_and_strangers_get_404_everywhere(
    workshop, facilitator, officer, outsider
):
    item_id = _add(workshop, officer)
    workshops.remove_participant(
        workshop=workshop,
        by=_participant(workshop, facilitator),
        participant=_participant(workshop, officer),
    )
    for user in (officer, outsider, None):
        client = _client(user)
        for name in ("board", "board_fragment", "board_poll"):
            assert client.get(_url(name, workshop)).status_code == 404, (user, name)
        form = {"kind": "item.edit", "item": item_id, "text": "x", "version": 1}
        assert client.post(_url("board_op", workshop), form).status_code == 404
        frame = {
            "id": "x",
            "kind": "item.edit",
            "args": {"item": item_id, "text": "x", "version": 1},
        }
        assert _post_ops(client, workshop, frame).status_code == 404
    assert Item.objects.get(pk=item_id).version == 1
    missing = reverse("swot:board", args=[workshop.pk + 1000])
    assert _client(facilitator).get(missing).status_code == 404


# Cost -------------------------------------------------------------------------------------------


def _board_queries(client, workshop) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url("board", workshop))
    assert response.status_code == 200
    return len(captured)


def test_board_page_queries_do_not_grow_with_the_board(facilitator, officer, colleague):
    ws = _workshop(facilitator, [officer, colleague])
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    author = _participant(ws, officer)
    rows = [
        Item(workshop=ws, quadrant=quadrant, text=f"Item {n}", author=author)
        for n, quadrant in zip(range(10), ["strengths", "threats"] * 5, strict=True)
    ]
    Item.objects.bulk_create(rows)
    _do(ws, facilitator, "phase.set", phase="group")
    _do(
        ws,
        facilitator,
        "group.create",
        name="First",
        items=list(Item.objects.filter(quadrant="strengths").values_list("pk", flat=True)[:2]),
    )
    client = _client(facilitator)
    # Session and user, the participant, the snapshot's items, votes and groups,
    # presence (two), the scribe list is not asked in the group phase.
    small = _board_queries(client, ws)
    Item.objects.bulk_create(
        Item(workshop=ws, quadrant="opportunities", text=f"More {n}", author=author)
        for n in range(490)
    )
    large = _board_queries(client, ws)
    assert small == large
    # ...and the actions phase's actions, strategies and drafts (one each).
    assert large <= 14
    _do(ws, facilitator, "phase.set", phase="vote")
    Vote.objects.create(workshop=ws, item=Item.objects.first(), participant=author)
    voting = _client(officer)
    assert _board_queries(voting, ws) <= 14


def test_operations_log_matches_what_the_doors_did(workshop, officer):
    client = _client(officer)
    _post_ops(
        client,
        workshop,
        {"id": "a", "kind": "item.add", "args": {"quadrant": "threats", "text": "A"}},
    )
    client.post(
        _url("board_op", workshop), {"kind": "item.add", "quadrant": "threats", "text": "B"}
    )
    assert list(Operation.objects.filter(kind="item.add").values_list("client_id", flat=True)) == [
        "a",
        "",
    ]
