"""The handlers of the board's first phases: items, groups, votes, reveal,
phase changes and the timer. Each validates its arguments, changes rows and
returns the facts its operation logs."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from core.doors import enforce

from ... import policies
from ...models import (
    Group,
    Item,
    Participant,
    Vote,
    Workshop,
)
from ...selectors.board import (
    group_dict,
    item_dict,
)
from .. import results
from .args import (
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
    Result,
    StaleEdit,
    _group,
    _int,
    _item,
    _quadrant,
    _text,
    _visible_item,
)


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
