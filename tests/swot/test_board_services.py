"""The board's core through its services and selectors: phase rules, vote
limits, repeated operation ids, stale edits, private brainstorm and anonymity
as each participant receives them."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from swot.models import Item, Operation, Participant, Vote, Workshop
from swot.selectors.board import Viewer, frame_for, frames_since, operation_dict, snapshot
from swot.services import board, workshops
from swot.workshop_templates import READINESS_PROMPTS


def _participant(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


@pytest.fixture
def workshop(facilitator, officer, outsider):
    ws = workshops.create_workshop(
        by=facilitator, title="Waste collaboration", template="readiness", private_brainstorm=True
    )
    host = _participant(ws, facilitator)
    workshops.invite_users(workshop=ws, by=host, users=[officer, outsider])
    return ws


def _do(workshop, user, kind, client_id="", **args):
    return board.perform(
        workshop_id=workshop.pk,
        participant=_participant(workshop, user),
        kind=kind,
        args=args,
        client_id=client_id,
    )


def test_readiness_template_prompts_come_from_the_localgovcamp18_workshop(workshop):
    with open(Path(settings.BASE_DIR).parent / "shared/data/localgovcamp18_swot.json") as source:
        swot = json.load(source)["swot"]
    assert swot == READINESS_PROMPTS
    assert workshop.prompts == swot
    assert not Item.objects.filter(workshop=workshop).exists()  # prompts are not items


def test_only_facilitators_and_admins_create_workshops(officer):
    with pytest.raises(PermissionDenied):
        workshops.create_workshop(by=officer, title="Mine")


def test_phase_rules_are_enforced_and_change_nothing(workshop, facilitator, officer):
    with pytest.raises(ValidationError):
        _do(workshop, officer, "item.add", quadrant="strengths", text="Too early")
    with pytest.raises(PermissionDenied):
        _do(workshop, officer, "phase.set", phase="brainstorm")
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    with pytest.raises(ValidationError):
        _do(workshop, officer, "vote.add", item=1)
    assert not Item.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).last_seq == Operation.objects.count()


def test_private_brainstorm_never_sends_other_peoples_items(
    workshop, facilitator, officer, outsider
):
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    secret = "Our contract ends in March"
    applied = _do(workshop, officer, "item.add", quadrant="weaknesses", text=secret)
    op = operation_dict(applied.operation)
    outsider_p = _participant(workshop, outsider)
    assert frame_for(op, Viewer.of(outsider_p)) is None
    assert secret not in json.dumps(snapshot(workshop, outsider_p))
    assert secret not in json.dumps(frames_since(workshop, since=0, viewer=Viewer.of(outsider_p)))
    assert secret in json.dumps(frame_for(op, Viewer.of(_participant(workshop, officer))))
    _do(workshop, facilitator, "brainstorm.reveal")
    workshop.refresh_from_db()
    assert secret in json.dumps(snapshot(workshop, outsider_p))


def test_anonymous_items_never_carry_their_author(facilitator, officer, outsider):
    ws = workshops.create_workshop(by=facilitator, title="Anon", anonymous_items=True)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer, outsider])
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    applied = _do(ws, officer, "item.add", quadrant="threats", text="Budget cuts")
    op = operation_dict(applied.operation)
    for user in (facilitator, outsider):
        viewer = _participant(ws, user)
        frame = frame_for(op, Viewer.of(viewer))
        assert frame["data"]["item"]["author"] is None
        assert "by" not in frame
        assert officer.display_name not in json.dumps(snapshot(ws, viewer))
    own = frame_for(op, Viewer.of(_participant(ws, officer)))
    assert own["data"]["item"]["mine"] and own["data"]["item"]["author"]


def test_repeated_operation_id_is_applied_once(workshop, facilitator, officer):
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    first = _do(workshop, officer, "item.add", "op-1", quadrant="strengths", text="Expertise")
    again = _do(workshop, officer, "item.add", "op-1", quadrant="strengths", text="Expertise")
    assert again.duplicate and again.operation.pk == first.operation.pk
    assert Item.objects.filter(workshop=workshop).count() == 1


def test_stale_edit_is_refused_with_the_current_text(workshop, facilitator, officer):
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    item_id = _do(workshop, officer, "item.add", quadrant="strengths", text="One").operation.data[
        "item"
    ]["id"]
    _do(workshop, facilitator, "item.edit", item=item_id, text="Two", version=1)
    with pytest.raises(board.StaleEdit) as refused:
        _do(workshop, officer, "item.edit", item=item_id, text="Three", version=1)
    assert refused.value.item.text == "Two"
    assert Item.objects.get(pk=item_id).text == "Two"


def test_votes_are_limited_per_participant(facilitator, officer):
    ws = workshops.create_workshop(by=facilitator, title="Votes", votes_per_participant=2)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer])
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    ids = [
        _do(ws, facilitator, "item.add", quadrant="strengths", text=f"Item {n}").operation.data[
            "item"
        ]["id"]
        for n in range(3)
    ]
    _do(ws, facilitator, "phase.set", phase="vote")
    _do(ws, officer, "vote.add", item=ids[0])
    _do(ws, officer, "vote.add", item=ids[1])
    with pytest.raises(ValidationError):
        _do(ws, officer, "vote.add", item=ids[2])
    assert Vote.objects.filter(participant__user=officer).count() == 2


@pytest.mark.parametrize(
    "args",
    [
        {"quadrant": "nowhere", "text": "x"},
        {"quadrant": "strengths", "text": ""},
        {"quadrant": "strengths", "text": "x" * 281},
        {"quadrant": "strengths", "text": "nul\x00byte"},
        {"quadrant": "strengths"},
    ],
)
def test_bad_item_input_changes_nothing(workshop, facilitator, officer, args):
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    with pytest.raises(ValidationError):
        _do(workshop, officer, "item.add", **args)
    assert not Item.objects.exists()


def test_huge_ids_are_refused_cleanly(workshop, facilitator):
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    with pytest.raises(ValidationError):
        _do(workshop, facilitator, "item.edit", item=2**70, text="x", version=1)


def test_removed_participant_cannot_act(workshop, facilitator, officer):
    _do(workshop, facilitator, "phase.set", phase="brainstorm")
    workshops.remove_participant(
        workshop=workshop,
        by=_participant(workshop, facilitator),
        participant=_participant(workshop, officer),
    )
    with pytest.raises(PermissionDenied):
        _do(workshop, officer, "item.add", quadrant="strengths", text="Still here?")
