"""The actions phase: actions, TOWS strategies and draft initiatives through
``services.board.perform``, what each participant receives of them, the
board's actions panel, and the initiative page's "Started from workshop"."""

import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from initiatives.models import Initiative
from swot.models import Action, InitiativeSource, Operation, Strategy, Workshop
from swot.selectors.board import Viewer, frame_for, frames_since, operation_dict, snapshot
from swot.services import board, workshops
from tests import factories

from .results_setup import board_in_actions, do, place

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def ready(facilitator, officer, outsider):
    return board_in_actions(facilitator, officer, outsider)


def _guest(workshop, facilitator, name="Gina Guest"):
    code = workshops.set_guest_link(
        workshop=workshop, by=place(workshop, facilitator), enabled=True
    )
    guest, _token = workshops.join_as_guest(workshop_id=workshop.pk, code=code, name=name)
    return guest


# Actions ----------------------------------------------------------------------------------------


def test_anyone_taking_part_adds_an_action_with_owner_due_date_and_sources(
    ready, officer, outsider
):
    ws = ready.workshop
    owner = place(ws, outsider)
    applied = do(
        ws,
        officer,
        "action.add",
        text="  Map contract end dates  ",
        owner=f"participant:{owner.pk}",
        due_date=TOMORROW,
        items=[str(ready.items["w1"]), ready.items["w2"]],
        group=str(ready.group),
    )
    action = Action.objects.get(workshop=ws)
    assert action.text == "Map contract end dates"
    assert action.owner_participant == owner and action.owner_organisation is None
    assert action.due_date.isoformat() == TOMORROW
    assert sorted(action.items.values_list("pk", flat=True)) == sorted(
        [ready.items["w1"], ready.items["w2"]]
    )
    assert action.group_id == ready.group and action.created_by == place(ws, officer)
    data = applied.operation.data["action"]
    assert data["owner"]["kind"] == "participant" and data["due_date"] == TOMORROW


def test_a_council_that_took_part_can_own_an_action(ready, facilitator, council, other_council):
    ws = ready.workshop
    do(
        ws,
        facilitator,
        "action.add",
        text="Lead it",
        owner=f"organisation:{other_council.pk}",
        items=ready.items["o1"],
    )
    assert Action.objects.get().owner_organisation == other_council


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"text": "nul\x00"}, "text"),
        ({"owner": "someone"}, "owner"),
        ({"owner": "participant:999999"}, "owner"),
        ({"owner": "organisation:abc"}, "owner"),
        ({"owner": "team:1"}, "owner"),
        ({"due_date": "31/03/2027"}, "due_date"),
        ({"due_date": "2027-02-30"}, "due_date"),
        ({"due_date": "2001-01-01"}, "due_date"),
        ({"due_date": "9999-01-01"}, "due_date"),
        ({"items": [], "group": ""}, "items"),
        ({"items": ["999999"]}, "items"),
        ({"items": ["one"]}, "items"),
        ({"items": list(range(1, 150))}, "items"),
        ({"group": "999999"}, "group"),
        ({"strategy": "999999"}, "strategy"),
    ],
)
def test_bad_action_input_is_refused_and_changes_nothing(ready, officer, args, field):
    ws = ready.workshop
    good = {"text": "Do it", "items": [ready.items["s1"]]}
    before = Workshop.objects.get(pk=ws.pk).last_seq
    with pytest.raises(ValidationError) as refused:
        do(ws, officer, "action.add", **{**good, **args})
    assert field in refused.value.message_dict
    assert not Action.objects.exists()
    assert Workshop.objects.get(pk=ws.pk).last_seq == before


def test_an_owner_from_another_workshop_or_council_is_refused(
    ready, facilitator, officer, supplier
):
    other = board_in_actions(facilitator, officer, phase="vote")
    stranger = place(other.workshop, officer)
    for owner in (f"participant:{stranger.pk}", f"organisation:{supplier.pk}"):
        with pytest.raises(ValidationError):
            do(
                ready.workshop,
                officer,
                "action.add",
                text="x",
                owner=owner,
                items=ready.items["s1"],
            )
    # Items and groups of another board are not this board's either.
    with pytest.raises(ValidationError):
        do(ready.workshop, officer, "action.add", text="x", items=[other.items["s1"]])
    with pytest.raises(ValidationError):
        do(ready.workshop, officer, "action.add", text="x", group=other.group)
    assert not Action.objects.exists()


def test_actions_belong_to_the_actions_phase(facilitator, officer):
    voting = board_in_actions(facilitator, officer, phase="vote")
    with pytest.raises(ValidationError):
        do(voting.workshop, officer, "action.add", text="Too early", items=voting.items["s1"])
    assert not Action.objects.exists()


def test_only_the_author_or_a_facilitator_edits_or_deletes_an_action(
    ready, facilitator, officer, outsider
):
    ws = ready.workshop
    action_id = do(ws, officer, "action.add", text="Draft", items=ready.items["w1"]).operation.data[
        "action"
    ]["id"]
    with pytest.raises(PermissionDenied):
        do(ws, outsider, "action.edit", action=action_id, text="Hijacked")
    with pytest.raises(PermissionDenied):
        do(ws, outsider, "action.delete", action=action_id)
    do(ws, officer, "action.edit", action=action_id, text="Renamed", due_date=TOMORROW)
    action = Action.objects.get(pk=action_id)
    assert action.text == "Renamed" and action.due_date.isoformat() == TOMORROW
    assert list(action.items.values_list("pk", flat=True)) == [ready.items["w1"]]  # kept
    do(ws, facilitator, "action.edit", action=action_id, owner="", due_date="")
    action.refresh_from_db()
    assert action.due_date is None and action.owner_participant is None
    with pytest.raises(ValidationError):
        do(ws, officer, "action.edit", action=action_id, items=[])  # nothing left to come from
    with pytest.raises(ValidationError):
        do(ws, officer, "action.edit", action=action_id)  # nothing to change
    do(ws, facilitator, "action.delete", action=action_id)
    assert not Action.objects.exists()
    with pytest.raises(ValidationError):
        do(ws, facilitator, "action.delete", action=action_id)


# Strategies -------------------------------------------------------------------------------------


def test_a_strategy_pairs_an_inside_item_with_an_outside_one(ready, officer):
    ws = ready.workshop
    applied = do(
        ws,
        officer,
        "strategy.add",
        strategy_kind="WO",
        text="Use joint procurement to replace legacy contracts",
        items=[ready.items["w1"], ready.items["o1"]],
    )
    strategy = Strategy.objects.get()
    assert strategy.kind == "WO" and strategy.created_by == place(ws, officer)
    assert set(strategy.items.values_list("pk", flat=True)) == {
        ready.items["w1"],
        ready.items["o1"],
    }
    assert applied.operation.data["strategy"]["kind_label"].endswith("(WO)")
    # ``kind`` inside a JSON frame's args is accepted too.
    board.perform(
        workshop_id=ws.pk,
        participant=place(ws, officer),
        kind="strategy.add",
        args={
            "kind": "ST",
            "text": "Skills vs cuts",
            "items": [ready.items["s1"], ready.items["t1"]],
        },
    )
    assert Strategy.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        ("SO", ["s1", "t1"]),  # a threat in an SO strategy
        ("SO", ["s1", "s2"]),  # nothing outside
        ("WT", ["t1"]),  # nothing inside
        ("WT", ["w1", "t1", "o1"]),  # an opportunity too
        ("XX", ["s1", "o1"]),
        ("", ["s1", "o1"]),
        ("SO", []),
    ],
)
def test_a_strategy_that_does_not_match_its_kind_is_refused(ready, officer, kind, keys):
    with pytest.raises(ValidationError):
        do(
            ready.workshop,
            officer,
            "strategy.add",
            strategy_kind=kind,
            text="Plan",
            items=[ready.items[k] for k in keys],
        )
    assert not Strategy.objects.exists()


def test_only_the_author_or_a_facilitator_removes_a_strategy(ready, facilitator, officer, outsider):
    ws = ready.workshop
    strategy_id = do(
        ws,
        officer,
        "strategy.add",
        strategy_kind="SO",
        text="Plan",
        items=[ready.items["s1"], ready.items["o1"]],
    ).operation.data["strategy"]["id"]
    with pytest.raises(PermissionDenied):
        do(ws, outsider, "strategy.delete", strategy=strategy_id)
    do(ws, facilitator, "strategy.delete", strategy=strategy_id)
    assert not Strategy.objects.exists()


# What each participant receives -----------------------------------------------------------------


def test_snapshot_and_frames_carry_actions_and_strategies_without_their_creators(
    facilitator, officer, outsider
):
    ready = board_in_actions(facilitator, officer, outsider, anonymous_items=True)
    ws = ready.workshop
    guest = _guest(ws, facilitator)
    owner = place(ws, officer)
    added = do(
        ws,
        officer,
        "action.add",
        text="Map contracts",
        owner=f"participant:{owner.pk}",
        items=[ready.items["w1"]],
    )
    do(
        ws,
        officer,
        "strategy.add",
        strategy_kind="WO",
        text="Buy together",
        items=[ready.items["w1"], ready.items["o1"]],
    )
    ws.refresh_from_db()
    seen_by_guest = snapshot(ws, guest)
    assert [a["text"] for a in seen_by_guest["actions"]] == ["Map contracts"]
    assert [s["text"] for s in seen_by_guest["strategies"]] == ["Buy together"]
    # The guest may not see names: the owner is their role at their council.
    assert seen_by_guest["actions"][0]["owner"]["name"] == "An officer at Leedsham"
    text = json.dumps(seen_by_guest)
    assert "created_by" not in text and officer.display_name not in text
    # Anonymous items: whoever wrote the weaknesses is not told by the actions either.
    for user in (facilitator, outsider):
        shown = snapshot(ws, place(ws, user))
        assert all(not a["mine"] for a in shown["actions"])
        others = [i for q in shown["quadrants"] for i in q["items"] if not i["mine"]]
        assert others and all(item["author"] is None for item in others)
    mine = snapshot(ws, place(ws, officer))
    assert mine["actions"][0]["mine"] and mine["strategies"][0]["mine"]
    op = operation_dict(added.operation)
    guest_frame = frame_for(op, Viewer.of(guest))
    assert guest_frame["data"]["action"]["owner"]["name"] == "An officer at Leedsham"
    assert "created_by" not in guest_frame["data"]["action"] and "by" not in guest_frame
    officer_frame = frame_for(op, Viewer.of(place(ws, officer)))
    assert officer_frame["data"]["action"]["mine"] and officer_frame["yours"]
    replay = frames_since(ws, since=ws.last_seq - 2, viewer=Viewer.of(guest))
    assert [f["kind"] for f in replay] == ["action.add", "strategy.add"]


def test_snapshot_queries_do_not_grow_with_actions(ready, officer, django_assert_max_num_queries):
    ws = ready.workshop
    counts = []
    for n in (1, 8):
        while Action.objects.count() < n:
            do(
                ws,
                officer,
                "action.add",
                text="A",
                items=[ready.items["s1"], ready.items["w1"]],
                owner=f"participant:{place(ws, officer).pk}",
            )
            do(
                ws,
                officer,
                "strategy.add",
                strategy_kind="SO",
                text="S",
                items=[ready.items["s1"], ready.items["o1"]],
            )
        ws.refresh_from_db()
        participant = place(ws, officer)
        # Items, votes, groups, actions (+ items), strategies (+ items), drafts, presence (2).
        with django_assert_max_num_queries(12) as captured:
            snapshot(ws, participant)
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Draft initiatives ------------------------------------------------------------------------------


def test_one_press_drafts_an_initiative_from_a_group(ready, officer):
    ws = ready.workshop
    factories.service_area("waste-and-recycling")
    applied = do(
        ws, officer, "initiative.draft", group=ready.group, service_area="waste-and-recycling"
    )
    source = InitiativeSource.objects.select_related("initiative").get()
    initiative = source.initiative
    assert initiative.visibility == Initiative.Visibility.DRAFT
    assert initiative.title == "Contracts"
    assert initiative.lead_organisation == place(ws, officer).organisation
    assert "Legacy contracts ending" in initiative.summary
    assert "Contract knowledge is thin" in initiative.summary
    assert "Waste collaboration" in initiative.summary
    assert "- Weaknesses: Legacy contracts ending (2 votes)" in initiative.description
    assert [a.slug for a in initiative.service_areas.all()] == ["waste-and-recycling"]
    assert source.workshop == ws and source.group_id == ready.group
    assert set(source.items.values_list("pk", flat=True)) == {
        ready.items["w1"],
        ready.items["w2"],
    }
    assert applied.operation.data["draft"]["initiative"] == initiative.pk
    # One draft per group, however often the button is pressed.
    with pytest.raises(ValidationError):
        do(ws, officer, "initiative.draft", group=ready.group, service_area="waste-and-recycling")
    assert Initiative.objects.count() == 1


def test_a_draft_from_a_strategy_takes_the_workshops_initiative_areas(
    facilitator, officer, council
):
    linked = factories.InitiativeFactory(
        lead_organisation=council, service_areas=[factories.service_area("planning")]
    )
    ready = board_in_actions(facilitator, officer, initiative=linked)
    ws = ready.workshop
    strategy_id = do(
        ws,
        facilitator,
        "strategy.add",
        strategy_kind="SO",
        text="Share the platform with neighbours through joint procurement",
        items=[ready.items["s2"], ready.items["o1"]],
    ).operation.data["strategy"]["id"]
    do(ws, facilitator, "initiative.draft", strategy=strategy_id)
    source = InitiativeSource.objects.get(strategy_id=strategy_id)
    assert source.initiative.title.startswith("Share the platform")
    assert [a.slug for a in source.initiative.service_areas.all()] == ["planning"]


def test_who_may_draft_an_initiative(ready, facilitator, officer, supplier_user):
    ws = ready.workshop
    factories.service_area("waste-and-recycling")
    workshops.invite_users(workshop=ws, by=place(ws, facilitator), users=[supplier_user])
    guest = _guest(ws, facilitator)
    with pytest.raises(PermissionDenied):
        do(ws, guest, "initiative.draft", group=ready.group, service_area="waste-and-recycling")
    with pytest.raises(PermissionDenied):
        do(
            ws,
            supplier_user,
            "initiative.draft",
            group=ready.group,
            service_area="waste-and-recycling",
        )
    for args in (
        {"group": ready.group},  # no service area, and no linked initiative
        {"group": ready.group, "service_area": "no-such-area"},
        {"service_area": "waste-and-recycling"},  # neither group nor strategy
        {"group": ready.group, "strategy": 1, "service_area": "waste-and-recycling"},
        {"group": 999999, "service_area": "waste-and-recycling"},
    ):
        with pytest.raises(ValidationError):
            do(ws, officer, "initiative.draft", **args)
    assert not Initiative.objects.exists() and not InitiativeSource.objects.exists()


def test_initiative_page_shows_the_workshop_it_started_from(
    ready, facilitator, officer, outsider, council
):
    ws = ready.workshop
    factories.service_area("waste-and-recycling")
    do(ws, officer, "initiative.draft", group=ready.group, service_area="waste-and-recycling")
    initiative = InitiativeSource.objects.get().initiative
    url = initiative.get_absolute_url()
    stranger = factories.member_of(factories.OrganisationFactory(), "member")
    client = Client()
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "Started from the workshop" in page and "Waste collaboration" in page
    assert "Legacy contracts ending" in page and f"/workshops/{ws.pk}/summary/" in page
    # Published (its summary rewritten by the lead), the page is for everyone; the
    # workshop's items only for its people.
    Initiative.objects.filter(pk=initiative.pk).update(
        visibility=Initiative.Visibility.PUBLIC,
        summary="Renewing contracts together",
        description="",
    )
    for viewer in (stranger, None):
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Started from the workshop" in page and "Waste collaboration" in page
        assert "Legacy contracts ending" not in page and "/summary/" not in page
    client = Client()
    client.force_login(outsider)  # took part, from another council
    assert "Legacy contracts ending" in client.get(url).content.decode()
    # Shared results of a closed workshop: any signed-in member may read them.
    do(ws, facilitator, "phase.set", phase="closed")
    workshops.share_results(workshop=ws, by=place(ws, facilitator), shared=True)
    client = Client()
    client.force_login(stranger)
    assert "Legacy contracts ending" in client.get(url).content.decode()


def test_initiative_page_with_a_workshop_source_keeps_its_query_bound(
    ready, officer, django_assert_max_num_queries
):
    factories.service_area("waste-and-recycling")
    do(
        ready.workshop,
        officer,
        "initiative.draft",
        group=ready.group,
        service_area="waste-and-recycling",
    )
    initiative = InitiativeSource.objects.get().initiative
    client = Client()
    client.force_login(officer)
    # The detail page's 16 plus the source (and its items) and the viewer's place.
    with django_assert_max_num_queries(23):
        assert client.get(initiative.get_absolute_url()).status_code == 200


# The actions panel ------------------------------------------------------------------------------


def _panel(workshop, user, participant=None):
    request = RequestFactory().get(f"/workshops/{workshop.pk}/board/")
    request.user = user
    request.session = {}
    participant = participant or place(workshop, user)
    return render_to_string(
        "swot/board/_actions.html",
        {"workshop": workshop, "participant": participant, "csrf_token": "t"},
        request=request,
    )


def test_actions_panel_offers_no_script_forms_for_every_operation(ready, facilitator, officer):
    ws = ready.workshop
    factories.service_area("waste-and-recycling")
    do(ws, officer, "action.add", text="Map contracts", items=[ready.items["w1"]])
    do(
        ws,
        officer,
        "strategy.add",
        strategy_kind="WO",
        text="Buy together",
        items=[ready.items["w1"], ready.items["o1"]],
    )
    html = _panel(ws, officer)
    assert html.count(f'action="/workshops/{ws.pk}/board/op"') >= 6
    for kind in (
        "action.add",
        "action.edit",
        "action.delete",
        "strategy.add",
        "strategy.delete",
        "initiative.draft",
    ):
        assert f'name="kind" value="{kind}"' in html
    assert 'name="strategy_kind" type="radio" value="SO"' in html
    assert f'name="items" type="checkbox" value="{ready.items["w1"]}"' in html
    assert f'name="group" value="{ready.group}"' in html
    assert "Create a draft initiative" in html and "Map contracts" in html
    # The TOWS table lists each quadrant's items by its kinds.
    assert html.count("Joint procurement with neighbours") >= 3  # WO and SO rows, checkboxes
    # Someone else's action and strategy cannot be changed by a participant...
    other = _panel(ws, officer, place(ws, facilitator))
    assert 'value="action.edit"' in other
    guest = _guest(ws, facilitator)
    as_guest = _panel(ws, AnonymousUser(), guest)
    assert 'value="action.edit"' not in as_guest and 'value="strategy.delete"' not in as_guest
    assert 'value="initiative.draft"' not in as_guest


def test_actions_panel_queries_do_not_grow(
    ready, officer, facilitator, django_assert_max_num_queries
):
    ws = ready.workshop
    counts = []
    for n in (1, 6):
        while Action.objects.count() < n:
            do(
                ws,
                officer,
                "action.add",
                text="A",
                items=[ready.items["s1"]],
                owner=f"participant:{place(ws, facilitator).pk}",
            )
            do(
                ws,
                officer,
                "strategy.add",
                strategy_kind="ST",
                text="S",
                items=[ready.items["s1"], ready.items["t1"]],
            )
        participant = place(ws, officer)
        # Items, strategies (+ items), actions (+ items), drafts, people (owners),
        # service areas, membership checks for drafting, names (membership).
        with django_assert_max_num_queries(16) as captured:
            _panel(ws, officer, participant)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert Operation.objects.filter(workshop=ws, kind="action.add").count() == 6
