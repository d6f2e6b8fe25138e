"""Reading an operation's arguments: numbers, text, quadrants and the rows
they name, each with a field error people can read (shared by every handler)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from ... import policies
from ...models import (
    Group,
    Item,
    Operation,
    Participant,
    Quadrant,
    Workshop,
)

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
