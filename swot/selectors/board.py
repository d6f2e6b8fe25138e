"""What one participant is sent of a board: the snapshot, each operation's
frame, and what they missed.

Every door (the websocket consumer, the HTTP polling fallback, the no-script
page and the API) builds its answer here, so the two rules about *who
receives what* hold the same way everywhere:

- **private brainstorm**: until the facilitator reveals, an item (and every
  operation on it) reaches only its author and the facilitators. Hidden text
  is never put in another participant's frame: it is not hidden by the
  browser, it is not sent;
- **anonymous items**: an item's author is sent only to the author.

Frames are built from the operation log's full facts by a pure function of
(operation, viewer), so a consumer can redact a broadcast in memory without
touching the database once per message.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from councils.names import role_label
from councils.policies import may_see_personal_names

from .. import policies
from ..models import (
    QUADRANT_HINTS,
    Action,
    Group,
    InitiativeSource,
    Item,
    Operation,
    Participant,
    Presence,
    Quadrant,
    Strategy,
    Workshop,
)

# A client further behind than this gets a fresh snapshot instead of a replay.
REPLAY_LIMIT = 500
# A presence row not refreshed for this long no longer counts as connected.
PRESENCE_TIMEOUT = timedelta(seconds=75)

# Operations whose actor everyone may see: the facilitator running the board.
_PUBLIC_ACTOR_KINDS = frozenset(
    {
        "phase.set",
        "timer.start",
        "timer.stop",
        "brainstorm.reveal",
        "group.create",
        "group.add",
        "group.rename",
        "item.ungroup",
        "participant.joined",
        "participant.removed",
        "workshop.updated",
    }
)


@dataclass(frozen=True)
class Viewer:
    """Who a frame is for, in the few facts redaction needs (held by a consumer
    for the life of its connection; refreshed when the person's role changes)."""

    participant_id: int | None
    is_facilitator: bool = False
    sees_names: bool = False

    @classmethod
    def of(cls, participant: Participant | None) -> Viewer:
        if participant is None:
            return cls(participant_id=None)
        return cls(
            participant_id=participant.pk,
            is_facilitator=participant.is_facilitator,
            sees_names=participant.user_id is not None and may_see_personal_names(participant.user),
        )


def participant_names(participant: Participant) -> tuple[str, str]:
    """(what people who may see names see, what everyone else sees). A guest's
    own chosen display name is shown to all: they chose it for this room."""
    if participant.user_id is None:
        name = participant.display_name
        return name, name
    label = role_label(participant.organisation) if participant.organisation_id else "A participant"
    return participant.user.display_name, label


def participant_dict(participant: Participant) -> dict[str, Any]:
    name, label = participant_names(participant)
    return {
        "id": participant.pk,
        "name": name,
        "label": label,
        "role": participant.role,
        "guest": participant.is_guest,
        "organisation": participant.organisation.name if participant.organisation_id else None,
    }


def item_dict(item: Item) -> dict[str, Any]:
    """An item's full facts as stored in the operation log (not yet redacted)."""
    name, label = participant_names(item.author)
    return {
        "id": item.pk,
        "quadrant": item.quadrant,
        "text": item.text,
        "version": item.version,
        "group": item.group_id,
        "votes": item.vote_count,
        "author": item.author_id,
        "author_name": name,
        "author_label": label,
        "scribed": item.entered_by_id is not None and item.entered_by_id != item.author_id,
    }


def group_dict(group: Group) -> dict[str, Any]:
    return {"id": group.pk, "quadrant": group.quadrant, "name": group.name}


def action_owner_dict(action: Action) -> dict[str, Any] | None:
    """Who will do it: a participant (with both ways of naming them, redacted
    per viewer like any participant) or a council."""
    if action.owner_participant_id is not None:
        person = action.owner_participant
        name, label = participant_names(person)
        return {"kind": "participant", "id": person.pk, "name": name, "label": label}
    if action.owner_organisation_id is not None:
        org = action.owner_organisation
        return {"kind": "organisation", "id": org.pk, "name": org.name, "label": org.name}
    return None


def action_dict(action: Action) -> dict[str, Any]:
    """An action's full facts for the operation log (redacted by ``redact_action``).
    Its items come from ``action.items.all()`` (prefetched on pages)."""
    return {
        "id": action.pk,
        "text": action.text,
        "owner": action_owner_dict(action),
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "items": sorted(item.pk for item in action.items.all()),
        "group": action.group_id,
        "strategy": action.strategy_id,
        "created_by": action.created_by_id,
    }


def strategy_dict(strategy: Strategy) -> dict[str, Any]:
    return {
        "id": strategy.pk,
        "kind": strategy.kind,
        "kind_label": strategy.get_kind_display(),
        "text": strategy.text,
        "items": sorted(item.pk for item in strategy.items.all()),
        "created_by": strategy.created_by_id,
    }


def _shown_creator(record: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """Who wrote an action or strategy is not sent (in an anonymous workshop it
    could tell who thought what); the viewer learns only whether it was them."""
    shown = dict(record)
    creator = shown.pop("created_by", None)
    shown["mine"] = viewer.participant_id is not None and creator == viewer.participant_id
    return shown


def redact_action(action: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    shown = _shown_creator(action, viewer)
    owner = shown.get("owner")
    if isinstance(owner, dict) and owner.get("kind") == "participant":
        shown["owner"] = shown_participant(owner, viewer)
    return shown


def redact_item(item: dict[str, Any], *, anonymous: bool, viewer: Viewer) -> dict[str, Any]:
    """The item as ``viewer`` may see it: the author only when the workshop is
    not anonymous or the viewer wrote it; the name only to people who may
    see names (otherwise the role and council)."""
    shown = {k: v for k, v in item.items() if k not in ("author", "author_name", "author_label")}
    mine = viewer.participant_id is not None and item.get("author") == viewer.participant_id
    shown["mine"] = mine
    if "author" not in item:
        return shown
    if anonymous and not mine:
        shown["author"] = None
    else:
        shown["author"] = {
            "id": item["author"],
            "name": item["author_name"] if (viewer.sees_names or mine) else item["author_label"],
        }
    return shown


def may_receive(op: dict[str, Any], viewer: Viewer) -> bool:
    if not op.get("hidden"):
        return True
    return viewer.is_facilitator or (
        viewer.participant_id is not None and viewer.participant_id == op.get("author")
    )


def frame_for(op: dict[str, Any], viewer: Viewer) -> dict[str, Any] | None:
    """The ``op`` frame ``viewer`` receives, or ``None`` when they must not
    receive it at all. ``op`` is ``operation_dict(...)``."""
    if not may_receive(op, viewer):
        return None
    anonymous = bool(op.get("anonymous"))
    data = copy.deepcopy(op["data"])
    if isinstance(data.get("item"), dict):
        data["item"] = redact_item(data["item"], anonymous=anonymous, viewer=viewer)
    if isinstance(data.get("items"), list):
        data["items"] = [
            redact_item(item, anonymous=anonymous, viewer=viewer) for item in data["items"]
        ]
    if isinstance(data.get("participant"), dict):
        data["participant"] = shown_participant(data["participant"], viewer)
    if isinstance(data.get("action"), dict):
        data["action"] = redact_action(data["action"], viewer)
    if isinstance(data.get("strategy"), dict):
        data["strategy"] = _shown_creator(data["strategy"], viewer)
    if isinstance(data.get("draft"), dict):
        data["draft"] = _shown_creator(data["draft"], viewer)
    if "voter" in data:
        voter = data.pop("voter")
        left = data.pop("votes_left", None)
        data["mine"] = voter == viewer.participant_id
        if data["mine"]:
            data["votes_left"] = left
    frame: dict[str, Any] = {
        "type": "op",
        "seq": op["seq"],
        "kind": op["kind"],
        "data": data,
        "at": op["at"],
    }
    yours = viewer.participant_id is not None and op.get("by") == viewer.participant_id
    if op["kind"] in _PUBLIC_ACTOR_KINDS:
        frame["by"] = op.get("by")
    if yours:
        frame["yours"] = True
        if op.get("client_id"):
            frame["id"] = op["client_id"]
    return frame


def shown_participant(person: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """A participant as ``viewer`` may see them (their name, or their role and council)."""
    shown = dict(person)
    label = shown.pop("label", shown.get("name"))
    if not (viewer.sees_names or viewer.participant_id == person.get("id")):
        shown["name"] = label
    return shown


def operation_dict(operation: Operation) -> dict[str, Any]:
    """The operation's full facts, as broadcast to every consumer of the board
    (which redacts with ``frame_for`` before anything reaches a socket)."""
    return {
        "seq": operation.seq,
        "kind": operation.kind,
        "by": operation.participant_id,
        "client_id": operation.client_id,
        "hidden": operation.hidden_from_others,
        "author": operation.item_author_id,
        "anonymous": bool(operation.data.get("_anonymous")),
        "data": {k: v for k, v in operation.data.items() if not k.startswith("_")},
        "at": operation.created_at.isoformat(),
    }


def frames_since(workshop: Workshop, *, since: int, viewer: Viewer) -> list[dict[str, Any]] | None:
    """The frames ``viewer`` missed after sequence number ``since``, or ``None``
    when they are too far behind (or ahead: a stale client after a reset) and
    need a fresh snapshot."""
    if since < 0 or since > workshop.last_seq or workshop.last_seq - since > REPLAY_LIMIT:
        return None
    operations = Operation.objects.filter(workshop=workshop, seq__gt=since).order_by("seq")
    frames = []
    for operation in operations:
        frame = frame_for(operation_dict(operation), viewer)
        if frame is not None:
            frames.append(frame)
    return frames


def visible_items(workshop: Workshop, participant: Participant | None) -> QuerySet[Item]:
    """The items ``participant`` may receive now (private brainstorm applied)."""
    items = Item.objects.filter(workshop=workshop).select_related(
        "author__user", "author__organisation"
    )
    if workshop.hides_items() and not (participant is not None and participant.is_facilitator):
        items = items.filter(author=participant) if participant is not None else items.none()
    return items.order_by("created_at", "id")


def votes_left(workshop: Workshop, participant: Participant | None) -> int:
    if participant is None:
        return 0
    used = participant.votes.count()
    return max(workshop.votes_per_participant - used, 0)


def snapshot(workshop: Workshop, participant: Participant | None) -> dict[str, Any]:
    """The whole board as ``participant`` may see it now: what a client loads
    on connect, on a resume too far behind, and what the no-script page and
    the API render. A constant number of queries, whatever the board's size."""
    viewer = Viewer.of(participant)
    items = [
        redact_item(item_dict(item), anonymous=workshop.anonymous_items, viewer=viewer)
        for item in visible_items(workshop, participant)
    ]
    my_votes = set(participant.votes.values_list("item_id", flat=True)) if participant else set()
    for item in items:
        item["voted"] = item["id"] in my_votes
    quadrants = []
    for value, label in Quadrant.choices:
        quadrants.append(
            {
                "key": value,
                "label": label,
                "hint": QUADRANT_HINTS[value],
                "prompts": list(workshop.prompts.get(value, [])),
                "items": [item for item in items if item["quadrant"] == value],
            }
        )
    groups = [group_dict(group) for group in Group.objects.filter(workshop=workshop)]
    return {
        "type": "snapshot",
        "seq": workshop.last_seq,
        "workshop": workshop_dict(workshop),
        "you": participant_dict(participant) if participant else None,
        "votes_left": max(workshop.votes_per_participant - len(my_votes), 0),
        "quadrants": quadrants,
        "groups": groups,
        **results_snapshot(workshop, viewer),
        "present": present_participants(workshop, viewer),
        "server_time": timezone.now().isoformat(),
    }


def workshop_actions(workshop: Workshop) -> QuerySet[Action]:
    """A workshop's actions with what their dicts need (three queries)."""
    return (
        Action.objects.filter(workshop=workshop)
        .select_related("owner_participant__user", "owner_participant__organisation")
        .select_related("owner_organisation")
        .prefetch_related("items")
        .order_by("created_at", "id")
    )


def workshop_strategies(workshop: Workshop) -> QuerySet[Strategy]:
    """A workshop's TOWS strategies, by kind (two queries)."""
    return (
        Strategy.objects.filter(workshop=workshop)
        .prefetch_related("items")
        .order_by("kind", "created_at", "id")
    )


def draft_dict(source: InitiativeSource) -> dict[str, Any]:
    """A draft initiative started on the board: which group or strategy it
    came from and its title (its page shows it to those who may see it)."""
    return {
        "initiative": source.initiative_id,
        "title": source.initiative.title,
        "lead": source.initiative.lead_organisation.name,
        "group": source.group_id,
        "strategy": source.strategy_id,
        "created_by": None,
    }


def workshop_drafts(workshop: Workshop) -> QuerySet[InitiativeSource]:
    return (
        InitiativeSource.objects.filter(workshop=workshop)
        .select_related("initiative__lead_organisation")
        .order_by("created_at", "id")
    )


def results_snapshot(workshop: Workshop, viewer: Viewer) -> dict[str, Any]:
    """The actions phase's part of the snapshot: actions, strategies and draft
    initiatives, redacted for ``viewer`` (five queries whatever their number)."""
    return {
        "actions": [redact_action(action_dict(a), viewer) for a in workshop_actions(workshop)],
        "strategies": [
            _shown_creator(strategy_dict(s), viewer) for s in workshop_strategies(workshop)
        ],
        "drafts": [_shown_creator(draft_dict(s), viewer) for s in workshop_drafts(workshop)],
    }


def workshop_dict(workshop: Workshop) -> dict[str, Any]:
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "phase": workshop.phase,
        "phase_label": workshop.get_phase_display(),
        "anonymous_items": workshop.anonymous_items,
        "private_brainstorm": workshop.private_brainstorm,
        "revealed": workshop.revealed,
        "votes_per_participant": workshop.votes_per_participant,
        "timer_ends_at": workshop.timer_ends_at.isoformat() if workshop.timer_ends_at else None,
        "allowed": sorted(policies.PHASE_OPERATIONS[workshop.phase]),
    }


def participants_shown(workshop: Workshop, viewer: Viewer) -> list[dict[str, Any]]:
    """Everyone taking part (joined, not invited or removed), facilitators
    first, as ``viewer`` may see them: the API's participant list."""
    people = (
        Participant.objects.filter(workshop=workshop, status=Participant.Status.JOINED)
        .select_related("user", "organisation")
        .order_by("role", "created_at", "id")
    )
    return [shown_participant(participant_dict(person), viewer) for person in people]


def present_participants(workshop: Workshop, viewer: Viewer) -> list[dict[str, Any]]:
    """Who is connected now (websocket or polling), each once, as ``viewer``
    may see them."""
    cutoff = timezone.now() - PRESENCE_TIMEOUT
    ids = set(
        Presence.objects.filter(workshop=workshop, seen_at__gte=cutoff).values_list(
            "participant_id", flat=True
        )
    )
    people = Participant.objects.filter(
        pk__in=ids, status=Participant.Status.JOINED
    ).select_related("user", "organisation")
    return [shown_participant(participant_dict(person), viewer) for person in people]
