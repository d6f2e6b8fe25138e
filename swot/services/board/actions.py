"""The actions phase's handlers: actions with owners and due dates, TOWS
strategies and draft initiatives started from a group or strategy."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.doors import enforce
from councils.models import Organisation, ServiceArea

from ... import policies
from ...models import (
    Action,
    Group,
    InitiativeSource,
    Item,
    Participant,
    Quadrant,
    Strategy,
    Workshop,
)
from ...selectors.board import (
    action_dict,
    draft_dict,
    strategy_dict,
)
from ...selectors.results import TOWS_QUADRANTS, took_part
from .. import results
from .args import (
    Result,
    _group,
    _int,
    _text,
)

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
