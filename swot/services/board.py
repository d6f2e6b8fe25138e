"""Changing a live board. Every operation, whichever door sent it (websocket,
HTTP polling, a no-script form, the API), goes through ``perform``:

1. lock the workshop row, so operations on one board are applied one at a
   time and numbered without gaps;
2. a repeated client operation id returns the operation already applied
   (a client resending after a dropped connection changes nothing twice);
3. the policy decides whether this participant may do this in this phase;
4. the operation's handler validates its arguments and changes the rows;
5. the operation is logged with the next sequence number and, on commit,
   published to the board's channel group (``notifications.outbox.publish``).

Bad arguments raise ``ValidationError`` with field messages and change
nothing; a stale edit raises ``StaleEdit`` carrying the current item.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.doors import enforce
from councils.models import Organisation, ServiceArea
from notifications import outbox

from .. import policies
from ..models import (
    Action,
    Group,
    InitiativeSource,
    Item,
    Operation,
    Participant,
    Quadrant,
    Strategy,
    Vote,
    Workshop,
)
from ..selectors.board import (
    action_dict,
    draft_dict,
    group_dict,
    item_dict,
    operation_dict,
    participant_dict,
    strategy_dict,
)
from ..selectors.results import TOWS_QUADRANTS, took_part
from . import results

MAX_ID = 2**63 - 1
TIMER_MIN_SECONDS = 10
TIMER_MAX_SECONDS = 4 * 60 * 60


class StaleEdit(ValidationError):
    """An edit made against an older version of the item than the current one."""

    def __init__(self, item: Item):
        self.item = item
        super().__init__(
            {
                "version": [
                    "Someone changed this item while you were editing it. "
                    "Check the current text and make your change again."
                ]
            }
        )


@dataclass
class Applied:
    """What ``perform`` did: the operation, and whether it was a repeat of one
    applied before (then nothing changed)."""

    operation: Operation
    duplicate: bool = False


# Arguments -----------------------------------------------------------------------------------


def _int(args: Mapping[str, Any], name: str) -> int:
    value = args.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({name: [f"Enter the {name} as a whole number."]})
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: [f"Enter the {name} as a whole number."]}) from None
    if not 1 <= number <= MAX_ID:
        raise ValidationError({name: [f"There is no {name} {value}."]})
    return number


def _text(args: Mapping[str, Any], name: str, *, label: str, max_length: int) -> str:
    value = args.get(name)
    if not isinstance(value, str):
        raise ValidationError({name: [f"Enter the {label}."]})
    if "\x00" in value:
        raise ValidationError({name: [f"The {label} must not contain a null character."]})
    text = value.strip()
    if not text:
        raise ValidationError({name: [f"Enter the {label}."]})
    if len(text) > max_length:
        raise ValidationError({name: [f"The {label} must be {max_length} characters or fewer."]})
    return text


def _quadrant(args: Mapping[str, Any]) -> str:
    value = args.get("quadrant")
    if value not in Quadrant.values:
        raise ValidationError(
            {"quadrant": ["Choose strengths, weaknesses, opportunities or threats."]}
        )
    return value


def _item(workshop: Workshop, args: Mapping[str, Any], name: str = "item") -> Item:
    item_id = _int(args, name)
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("author__user", "author__organisation")
        .filter(workshop=workshop, pk=item_id)
        .first()
    )
    if item is None:
        raise ValidationError({name: [f"There is no item {item_id} on this board."]})
    return item


def _visible_item(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Item:
    """An item the participant may receive: an unrevealed item of someone else
    is answered as missing, so its existence is not given away either."""
    item = _item(workshop, args)
    if not policies.may_receive_item(participant, workshop=workshop, author_id=item.author_id):
        raise ValidationError({"item": [f"There is no item {item.pk} on this board."]})
    return item


def _group(workshop: Workshop, args: Mapping[str, Any]) -> Group:
    group_id = _int(args, "group")
    group = Group.objects.filter(workshop=workshop, pk=group_id).first()
    if group is None:
        raise ValidationError({"group": [f"There is no group {group_id} on this board."]})
    return group


# Handlers: each returns (data, facts) where facts feed the operation row -------------------------


@dataclass
class Result:
    data: dict[str, Any]
    item_author: Participant | None = None
    hidden: bool = False


def _hidden(workshop: Workshop) -> bool:
    return workshop.hides_items()


def _add_item(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    quadrant = _quadrant(args)
    text = _text(args, "text", label="item", max_length=Item.TEXT_MAX)
    author = participant
    if args.get("on_behalf_of") not in (None, ""):
        if not participant.is_facilitator:
            raise ValidationError(
                {"on_behalf_of": ["Only facilitators can add items for someone else."]}
            )
        author = (
            Participant.objects.select_related("user", "organisation")
            .filter(
                workshop=workshop,
                pk=_int(args, "on_behalf_of"),
                status=Participant.Status.JOINED,
            )
            .first()
        )
        if author is None:
            raise ValidationError({"on_behalf_of": ["Choose someone taking part."]})
    now = timezone.now()
    item = Item.objects.create(
        workshop=workshop,
        quadrant=quadrant,
        text=text,
        author=author,
        entered_by=participant if author.pk != participant.pk else None,
        created_at=now,
        updated_at=now,
    )
    return Result({"item": item_dict(item)}, item_author=author, hidden=_hidden(workshop))


def _edit_item(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    item = _visible_item(workshop, participant, args)
    enforce(policies.item_change_refusal(participant, item))
    text = _text(args, "text", label="item", max_length=Item.TEXT_MAX)
    seen = _int(args, "version")
    if seen != item.version:
        raise StaleEdit(item)
    item.text = text
    item.version += 1
    item.updated_at = timezone.now()
    item.save(update_fields=["text", "version", "updated_at"])
    return Result({"item": item_dict(item)}, item_author=item.author, hidden=_hidden(workshop))


def _delete_item(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    item = _visible_item(workshop, participant, args)
    enforce(policies.item_change_refusal(participant, item))
    author = item.author
    data = {"item": {"id": item.pk, "quadrant": item.quadrant}}
    item.delete()
    return Result(data, item_author=author, hidden=_hidden(workshop))


def _move_item(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    item = _visible_item(workshop, participant, args)
    enforce(policies.item_change_refusal(participant, item))
    quadrant = _quadrant(args)
    if quadrant == item.quadrant:
        raise ValidationError({"quadrant": [f"The item is already in {quadrant}."]})
    item.quadrant = quadrant
    # A group belongs to one quadrant: moving an item out of it leaves the group.
    item.group = None
    item.version += 1
    item.updated_at = timezone.now()
    item.save(update_fields=["quadrant", "group", "version", "updated_at"])
    return Result({"item": item_dict(item)}, item_author=item.author, hidden=_hidden(workshop))


def _create_group(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    name = _text(args, "name", label="group name", max_length=Group.NAME_MAX)
    raw_ids = args.get("items")
    if isinstance(raw_ids, str | int) and not isinstance(raw_ids, bool):
        raw_ids = [raw_ids]  # a no-script form with one box ticked sends one value
    if not isinstance(raw_ids, list) or not raw_ids or len(raw_ids) > 100:
        raise ValidationError({"items": ["Choose at least one item to put in the group."]})
    ids = {_int({"items": value}, "items") for value in raw_ids}
    items = list(
        Item.objects.select_for_update(of=("self",))
        .select_related("author__user", "author__organisation")
        .filter(workshop=workshop, pk__in=ids)
    )
    if len(items) != len(ids):
        raise ValidationError({"items": ["Choose items on this board."]})
    quadrants = {item.quadrant for item in items}
    if len(quadrants) != 1:
        raise ValidationError({"items": ["A group holds items from one quadrant only."]})
    group = Group.objects.create(workshop=workshop, quadrant=quadrants.pop(), name=name)
    Item.objects.filter(pk__in=ids).update(group=group)
    for item in items:
        item.group = group
    return Result({"group": group_dict(group), "items": [item_dict(item) for item in items]})


def _add_to_group(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    group = _group(workshop, args)
    item = _item(workshop, args)
    if item.quadrant != group.quadrant:
        raise ValidationError({"group": ["Choose a group in the item's own quadrant."]})
    if item.group_id == group.pk:
        raise ValidationError({"group": [f"The item is already in “{group.name}”."]})
    item.group = group
    item.save(update_fields=["group"])
    return Result({"group": group_dict(group), "item": item_dict(item)})


def _ungroup(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    item = _item(workshop, args)
    if item.group_id is None:
        raise ValidationError({"item": ["The item is not in a group."]})
    group_id = item.group_id
    item.group = None
    item.save(update_fields=["group"])
    # A group left empty goes, so the board does not fill with empty headings.
    removed = not Item.objects.filter(group_id=group_id).exists()
    if removed:
        Group.objects.filter(pk=group_id).delete()
    return Result({"item": item_dict(item), "group_removed": group_id if removed else None})


def _rename_group(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    group = _group(workshop, args)
    group.name = _text(args, "name", label="group name", max_length=Group.NAME_MAX)
    group.save(update_fields=["name"])
    return Result({"group": group_dict(group)})


def _vote(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    item = _item(workshop, args)
    # The workshop row is locked, so two votes of one participant cannot both
    # pass this count (the unique constraint also stops a double vote on one item).
    used = Vote.objects.filter(participant=participant).count()
    if used >= workshop.votes_per_participant:
        raise ValidationError(
            {"item": [f"You have used all {workshop.votes_per_participant} of your votes."]}
        )
    if Vote.objects.filter(participant=participant, item=item).exists():
        raise ValidationError({"item": ["You have already voted for this item."]})
    Vote.objects.create(workshop=workshop, item=item, participant=participant)
    Item.objects.filter(pk=item.pk).update(vote_count=F("vote_count") + 1)
    item.refresh_from_db(fields=["vote_count"])
    return Result(
        {
            "item": item.pk,
            "votes": item.vote_count,
            "voter": participant.pk,
            "votes_left": workshop.votes_per_participant - used - 1,
        }
    )


def _unvote(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    item = _item(workshop, args)
    deleted, _ = Vote.objects.filter(participant=participant, item=item).delete()
    if not deleted:
        raise ValidationError({"item": ["You have not voted for this item."]})
    Item.objects.filter(pk=item.pk).update(vote_count=F("vote_count") - 1)
    item.refresh_from_db(fields=["vote_count"])
    used = Vote.objects.filter(participant=participant).count()
    return Result(
        {
            "item": item.pk,
            "votes": item.vote_count,
            "voter": participant.pk,
            "votes_left": workshop.votes_per_participant - used,
        }
    )


def _revealed_items(workshop: Workshop) -> list[dict[str, Any]]:
    items = Item.objects.filter(workshop=workshop).select_related(
        "author__user", "author__organisation"
    )
    return [item_dict(item) for item in items]


def _reveal(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    if not workshop.hides_items():
        raise ValidationError("Everyone can already see every item.")
    workshop.revealed = True
    workshop.save(update_fields=["revealed"])
    return Result({"items": _revealed_items(workshop)})


def _set_phase(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    to_phase = args.get("phase")
    if not isinstance(to_phase, str):
        raise ValidationError({"phase": ["Choose a phase."]})
    enforce(policies.phase_change_refusal(workshop, to_phase))
    from_phase = workshop.phase
    data: dict[str, Any] = {"phase": to_phase, "from": from_phase}
    fields = ["phase", "timer_ends_at"]
    # Grouping and voting need everyone to see the board: leaving the
    # brainstorm reveals whatever the facilitator had not yet revealed.
    if workshop.hides_items() and to_phase not in (Workshop.Phase.SETUP, Workshop.Phase.BRAINSTORM):
        workshop.revealed = True
        fields.append("revealed")
        data["items"] = _revealed_items(workshop)
    workshop.phase = to_phase
    workshop.timer_ends_at = None
    if to_phase == Workshop.Phase.CLOSED:
        workshop.closed_at = timezone.now()
        fields.append("closed_at")
    workshop.save(update_fields=fields)
    if to_phase == Workshop.Phase.CLOSED:
        results.send_closing_summary(workshop=workshop, by=participant)
    data["workshop"] = {
        "phase": to_phase,
        "phase_label": workshop.get_phase_display(),
        "allowed": sorted(policies.PHASE_OPERATIONS[to_phase]),
        "revealed": workshop.revealed,
    }
    return Result(data)


def _start_timer(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    seconds = _int(args, "seconds")
    if not TIMER_MIN_SECONDS <= seconds <= TIMER_MAX_SECONDS:
        raise ValidationError({"seconds": ["Set the timer to between 10 seconds and 4 hours."]})
    workshop.timer_ends_at = timezone.now() + datetime.timedelta(seconds=seconds)
    workshop.save(update_fields=["timer_ends_at"])
    return Result(
        {"ends_at": workshop.timer_ends_at.isoformat(), "seconds": seconds, "phase": workshop.phase}
    )


def _stop_timer(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    if workshop.timer_ends_at is None:
        raise ValidationError("The timer is not running.")
    workshop.timer_ends_at = None
    workshop.save(update_fields=["timer_ends_at"])
    return Result({"ends_at": None})


# The actions phase -------------------------------------------------------------------------------

MAX_LINKED = 100


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _ids(args: Mapping[str, Any], name: str) -> list[int]:
    """Ids given as a list (websocket, API) or one value (a form with one box
    ticked); none given is an empty list."""
    raw = args.get(name)
    if _blank(raw):
        return []
    values = raw if isinstance(raw, list) else [raw]
    if len(values) > MAX_LINKED:
        raise ValidationError({name: [f"Choose {MAX_LINKED} or fewer."]})
    return sorted({_int({name: value}, name) for value in values if not _blank(value)})


def _optional_id(args: Mapping[str, Any], name: str) -> int | None:
    return None if _blank(args.get(name)) else _int(args, name)


def _linked_items(workshop: Workshop, participant: Participant, ids: list[int]) -> list[Item]:
    """Items of this board the participant may receive (any other id is
    answered as missing, as for a single item)."""
    if not ids:
        return []
    items = [
        item
        for item in Item.objects.filter(workshop=workshop, pk__in=ids).order_by("created_at", "id")
        if policies.may_receive_item(participant, workshop=workshop, author_id=item.author_id)
    ]
    if len(items) != len(ids):
        raise ValidationError({"items": ["Choose items on this board."]})
    return items


def _linked_group(workshop: Workshop, args: Mapping[str, Any]) -> Group | None:
    return None if _blank(args.get("group")) else _group(workshop, args)


def _strategy(workshop: Workshop, args: Mapping[str, Any], *, lock: bool = False) -> Strategy:
    strategy_id = _int(args, "strategy")
    rows = Strategy.objects.select_for_update() if lock else Strategy.objects.all()
    strategy = rows.filter(workshop=workshop, pk=strategy_id).first()
    if strategy is None:
        raise ValidationError({"strategy": [f"There is no strategy {strategy_id} on this board."]})
    return strategy


def _linked_strategy(workshop: Workshop, args: Mapping[str, Any]) -> Strategy | None:
    return None if _blank(args.get("strategy")) else _strategy(workshop, args)


def _owner(
    workshop: Workshop, args: Mapping[str, Any]
) -> tuple[Participant | None, Organisation | None]:
    """``owner`` is ``participant:<id>`` (someone taking part), ``organisation:<id>``
    (a council that took part) or nothing."""
    raw = args.get("owner")
    if _blank(raw):
        return None, None
    wrong = ValidationError({"owner": ["Choose someone taking part or a council that took part."]})
    if not isinstance(raw, str) or ":" not in raw:
        raise wrong
    kind, _, number = raw.partition(":")
    owner_id = _int({"owner": number}, "owner")
    if kind == "participant":
        person = (
            Participant.objects.select_related("user", "organisation")
            .filter(workshop=workshop, pk=owner_id, status=Participant.Status.JOINED)
            .first()
        )
        if person is None:
            raise wrong
        return person, None
    if kind == "organisation":
        for org in took_part(workshop):
            if org.pk == owner_id:
                return None, org
    raise wrong


def _due_date(args: Mapping[str, Any]) -> datetime.date | None:
    raw = args.get("due_date")
    if _blank(raw):
        return None
    wrong = ValidationError({"due_date": ["Enter the due date as a real date, like 2027-03-31."]})
    if not isinstance(raw, str) or len(raw.strip()) != 10:
        raise wrong
    try:
        due = datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise wrong from None
    today = timezone.localdate()
    if due < today:
        raise ValidationError({"due_date": ["The due date must be today or in the future."]})
    if due.year > today.year + 10:
        raise ValidationError({"due_date": ["The due date must be within the next 10 years."]})
    return due


def _sources(
    workshop: Workshop, participant: Participant, args: Mapping[str, Any]
) -> tuple[list[Item], Group | None, Strategy | None]:
    items = _linked_items(workshop, participant, _ids(args, "items"))
    group = _linked_group(workshop, args)
    strategy = _linked_strategy(workshop, args)
    if not items and group is None and strategy is None:
        raise ValidationError(
            {"items": ["Choose the items, group or strategy the action comes from."]}
        )
    return items, group, strategy


def _add_action(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    text = _text(args, "text", label="action", max_length=Action.TEXT_MAX)
    owner_participant, owner_organisation = _owner(workshop, args)
    due = _due_date(args)
    items, group, strategy = _sources(workshop, participant, args)
    action = Action.objects.create(
        workshop=workshop,
        text=text,
        owner_participant=owner_participant,
        owner_organisation=owner_organisation,
        due_date=due,
        group=group,
        strategy=strategy,
        created_by=participant,
    )
    action.items.set(items)
    return Result({"action": action_dict(action)})


def _action(workshop: Workshop, args: Mapping[str, Any]) -> Action:
    action_id = _int(args, "action")
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("owner_participant__user", "owner_participant__organisation")
        .select_related("owner_organisation")
        .filter(workshop=workshop, pk=action_id)
        .first()
    )
    if action is None:
        raise ValidationError({"action": [f"There is no action {action_id} on this board."]})
    return action


def _edit_action(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    """Change what is given (text, owner, due date, items, group, strategy);
    what is left out stays as it was."""
    action = _action(workshop, args)
    enforce(policies.action_change_refusal(participant, action))
    fields: list[str] = []
    if "text" in args:
        action.text = _text(args, "text", label="action", max_length=Action.TEXT_MAX)
        fields.append("text")
    if "owner" in args:
        action.owner_participant, action.owner_organisation = _owner(workshop, args)
        fields += ["owner_participant", "owner_organisation"]
    if "due_date" in args:
        action.due_date = _due_date(args)
        fields.append("due_date")
    if "group" in args:
        action.group = _linked_group(workshop, args)
        fields.append("group")
    if "strategy" in args:
        action.strategy = _linked_strategy(workshop, args)
        fields.append("strategy")
    items = (
        _linked_items(workshop, participant, _ids(args, "items"))
        if "items" in args
        else list(action.items.all())
    )
    if not fields and "items" not in args:
        raise ValidationError("Change the action's text, owner, due date or what it comes from.")
    if not items and action.group_id is None and action.strategy_id is None:
        raise ValidationError(
            {"items": ["Choose the items, group or strategy the action comes from."]}
        )
    if fields:
        action.save(update_fields=fields)
    if "items" in args:
        action.items.set(items)
    return Result({"action": action_dict(action)})


def _delete_action(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    action = _action(workshop, args)
    enforce(policies.action_change_refusal(participant, action))
    data = {"action": {"id": action.pk}}
    action.delete()
    return Result(data)


def _add_strategy(workshop: Workshop, participant: Participant, args: Mapping[str, Any]) -> Result:
    """A TOWS strategy pairs at least one internal item (a strength or a
    weakness, as its kind says) with at least one external one (an
    opportunity or a threat). Its kind is ``strategy_kind`` (a no-script
    form's ``kind`` field is the operation's), or ``kind`` inside a JSON
    frame's ``args``."""
    kind = args.get("strategy_kind", args.get("kind"))
    if kind not in Strategy.Kind.values:
        raise ValidationError({"strategy_kind": ["Choose SO, ST, WO or WT."]})
    text = _text(args, "text", label="strategy", max_length=Strategy.TEXT_MAX)
    items = _linked_items(workshop, participant, _ids(args, "items"))
    internal, external = TOWS_QUADRANTS[kind]
    labels = dict(Quadrant.choices)
    wrong = [item for item in items if item.quadrant not in (internal, external)]
    if wrong:
        raise ValidationError(
            {
                "items": [
                    f"A {kind} strategy pairs {labels[internal].lower()} with "
                    f"{labels[external].lower()}: “{wrong[0].text}” is one of the "
                    f"{labels[wrong[0].quadrant].lower()}."
                ]
            }
        )
    if not any(item.quadrant == internal for item in items) or not any(
        item.quadrant == external for item in items
    ):
        raise ValidationError(
            {
                "items": [
                    f"Choose at least one of the {labels[internal].lower()} and one of "
                    f"the {labels[external].lower()}."
                ]
            }
        )
    strategy = Strategy.objects.create(
        workshop=workshop, kind=kind, text=text, created_by=participant
    )
    strategy.items.set(items)
    return Result({"strategy": strategy_dict(strategy)})


def _delete_strategy(
    workshop: Workshop, participant: Participant, args: Mapping[str, Any]
) -> Result:
    strategy = _strategy(workshop, args, lock=True)
    enforce(policies.strategy_change_refusal(participant, strategy))
    data = {"strategy": {"id": strategy.pk}}
    strategy.delete()
    return Result(data)


def _draft_initiative(
    workshop: Workshop, participant: Participant, args: Mapping[str, Any]
) -> Result:
    """One press: a draft initiative from a group or a strategy, in a service
    area chosen (``service_area``, a slug) or else the workshop's own
    initiative's."""
    enforce(policies.draft_initiative_refusal(participant))
    group = _linked_group(workshop, args)
    strategy = _linked_strategy(workshop, args)
    if (group is None) == (strategy is None):
        raise ValidationError({"group": ["Choose a group or a strategy to start from."]})
    if group is not None:
        items = list(Item.objects.filter(group=group).order_by("-vote_count", "created_at", "id"))
    else:
        items = list(strategy.items.order_by("quadrant", "-vote_count", "created_at", "id"))
    if not items:
        raise ValidationError({"group": ["There are no items to start an initiative from."]})
    slug = args.get("service_area")
    if not _blank(slug):
        area = ServiceArea.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        if area is None:
            raise ValidationError({"service_area": ["Choose a service area from the list."]})
        areas = [area]
    elif workshop.initiative_id is not None:
        areas = list(workshop.initiative.service_areas.all())
    else:
        areas = []
    if not areas:
        raise ValidationError({"service_area": ["Choose a service area for the initiative."]})
    source = results.draft_initiative(
        workshop=workshop,
        by=participant,
        group=group,
        strategy=strategy,
        items=items,
        service_areas=areas,
    )
    source = InitiativeSource.objects.select_related("initiative__lead_organisation").get(
        pk=source.pk
    )
    return Result({"draft": {**draft_dict(source), "created_by": participant.pk}})


HANDLERS: dict[str, Callable[[Workshop, Participant, Mapping[str, Any]], Result]] = {
    "item.add": _add_item,
    "item.edit": _edit_item,
    "item.delete": _delete_item,
    "item.move": _move_item,
    "group.create": _create_group,
    "group.add": _add_to_group,
    "item.ungroup": _ungroup,
    "group.rename": _rename_group,
    "vote.add": _vote,
    "vote.remove": _unvote,
    "brainstorm.reveal": _reveal,
    "phase.set": _set_phase,
    "timer.start": _start_timer,
    "timer.stop": _stop_timer,
    "action.add": _add_action,
    "action.edit": _edit_action,
    "action.delete": _delete_action,
    "strategy.add": _add_strategy,
    "strategy.delete": _delete_strategy,
    "initiative.draft": _draft_initiative,
}
assert set(HANDLERS) == policies.OPERATIONS  # noqa: S101 - a table kept in step at import


# The entry point --------------------------------------------------------------------------------


def _client_id(raw: Any) -> str:
    if raw in (None, ""):
        return ""
    if not isinstance(raw, str) or len(raw) > Operation.CLIENT_ID_MAX or "\x00" in raw:
        raise ValidationError(
            {"id": [f"An operation id is text of {Operation.CLIENT_ID_MAX} characters or fewer."]}
        )
    return raw


def record_operation(
    workshop: Workshop,
    *,
    kind: str,
    participant: Participant | None,
    data: dict[str, Any],
    client_id: str = "",
    item_author: Participant | None = None,
    hidden: bool = False,
) -> Operation:
    """Log an operation on a locked ``workshop`` with the next sequence number
    and publish it to the board on commit. Also used by the workshop services
    for changes the board must hear about (people joining or removed)."""
    workshop.last_seq += 1
    Workshop.objects.filter(pk=workshop.pk).update(last_seq=workshop.last_seq)
    operation = Operation.objects.create(
        workshop=workshop,
        seq=workshop.last_seq,
        kind=kind,
        participant=participant,
        client_id=client_id,
        data={**data, "_anonymous": workshop.anonymous_items},
        hidden_from_others=hidden,
        item_author=item_author,
    )
    outbox.publish((workshop.group_name, {"type": "board.op", "op": operation_dict(operation)}))
    return operation


def perform(
    *,
    workshop_id: int,
    participant: Participant,
    kind: str,
    args: Mapping[str, Any] | None = None,
    client_id: Any = "",
) -> Applied:
    """Apply one board operation for ``participant``; see the module docstring."""
    client_id = _client_id(client_id)
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        raise ValidationError({"args": ["Send the operation's arguments as an object."]})
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().filter(pk=workshop_id).first()
        if workshop is None:
            enforce(policies.NOT_A_PARTICIPANT)
        # Re-read the participant under the lock: someone removed a moment ago
        # cannot act on the strength of a page or socket opened before.
        fresh = (
            Participant.objects.select_related("user", "organisation", "workshop")
            .filter(pk=participant.pk, workshop=workshop)
            .first()
        )
        if fresh is not None:
            fresh.workshop = workshop
        if client_id and fresh is not None:
            repeat = Operation.objects.filter(
                workshop=workshop, participant=fresh, client_id=client_id
            ).first()
            if repeat is not None:
                return Applied(repeat, duplicate=True)
        enforce(policies.operation_refusal(fresh, workshop, kind))
        result = HANDLERS[kind](workshop, fresh, args)
        operation = record_operation(
            workshop,
            kind=kind,
            participant=fresh,
            data=result.data,
            client_id=client_id,
            item_author=result.item_author,
            hidden=result.hidden,
        )
    return Applied(operation)


def participant_changed(workshop: Workshop, participant: Participant, kind: str) -> Operation:
    """Tell the board someone joined, left or was removed (inside the caller's
    transaction, with ``workshop`` locked)."""
    return record_operation(
        workshop,
        kind=kind,
        participant=participant,
        data={"participant": participant_dict(participant)},
    )
