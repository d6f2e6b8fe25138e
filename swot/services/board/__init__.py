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

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.doors import enforce
from notifications import outbox

from ... import policies
from ...models import (
    Operation,
    Participant,
    Workshop,
)
from ...selectors.board import (
    operation_dict,
    participant_dict,
)
from .actions import (
    _add_action,
    _add_strategy,
    _delete_action,
    _delete_strategy,
    _draft_initiative,
    _edit_action,
)
from .args import (
    Applied,
    Result,
    StaleEdit,
)
from .brainstorm import (
    _add_item,
    _add_to_group,
    _create_group,
    _delete_item,
    _edit_item,
    _move_item,
    _rename_group,
    _reveal,
    _set_phase,
    _start_timer,
    _stop_timer,
    _ungroup,
    _unvote,
    _vote,
)

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

__all__ = ["Applied", "StaleEdit", "perform", "record_operation", "participant_changed"]

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
