"""What the board's page shows one participant: the snapshot (already
redacted by ``selectors.board``) laid out for the template, plus which forms
the participant may use now.

The page is rendered from ``snapshot`` and nothing else that carries item
text, so private brainstorm and anonymity hold in the HTML exactly as they
do in the websocket and polling frames: what is not in the snapshot cannot
reach the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import policies
from ..models import Participant, Workshop
from .board import Viewer, participant_names, snapshot

P = Workshop.Phase

# Lengths the facilitator can set the timer to (seconds, label).
TIMER_CHOICES = [
    (60, "1 minute"),
    (120, "2 minutes"),
    (180, "3 minutes"),
    (300, "5 minutes"),
    (600, "10 minutes"),
    (900, "15 minutes"),
    (1200, "20 minutes"),
    (1800, "30 minutes"),
]

LETTERS = {"strengths": "S", "weaknesses": "W", "opportunities": "O", "threats": "T"}


@dataclass(frozen=True)
class _ItemRef:
    """Enough of an item for ``policies.item_change_refusal``: the snapshot
    tells a participant whether an item is theirs without giving its author."""

    author_id: int | None


def allowed_operations(workshop: Workshop, participant: Participant) -> dict[str, bool]:
    """Every board operation, with whether ``participant`` may do it now
    (``policies.operation_refusal``: phase, facilitator-only, closed)."""
    return {
        kind.replace(".", "_"): policies.operation_refusal(participant, workshop, kind) is None
        for kind in sorted(policies.OPERATIONS)
    }


def phase_steps(workshop: Workshop) -> list[dict[str, Any]]:
    """The step indicator: each phase, whether it is done, current or to come."""
    here = policies.PHASE_ORDER.index(workshop.phase)
    return [
        {
            "value": phase,
            "label": P(phase).label,
            "state": "done" if index < here else "current" if index == here else "next",
        }
        for index, phase in enumerate(policies.PHASE_ORDER)
    ]


def phase_moves(workshop: Workshop) -> list[dict[str, str]]:
    """The phase changes a facilitator can make now: on to the next phase, or
    back one (``policies.phase_change_refusal``)."""
    moves = []
    here = policies.PHASE_ORDER.index(workshop.phase)
    for index, direction in ((here + 1, "next"), (here - 1, "back")):
        if not 0 <= index < len(policies.PHASE_ORDER):
            continue
        phase = policies.PHASE_ORDER[index]
        if policies.phase_change_refusal(workshop, phase) is not None:
            continue
        label = P(phase).label
        if direction == "next":
            text = "Close the workshop" if phase == P.CLOSED else f"Start the {label} phase"
        else:
            text = f"Go back to the {label} phase"
        moves.append({"phase": phase, "direction": direction, "text": text})
    return moves


def scribe_choices(workshop: Workshop, viewer: Viewer) -> list[dict[str, Any]]:
    """Whom a facilitator can add an item for (scribe mode): everyone joined,
    named as the facilitator may see them (one query)."""
    people = Participant.objects.filter(
        workshop=workshop, status=Participant.Status.JOINED
    ).select_related("user", "organisation")
    choices = []
    for person in people:
        if person.pk == viewer.participant_id:
            continue
        name, label = participant_names(person)
        choices.append({"id": person.pk, "name": name if viewer.sees_names else label})
    return choices


def _seconds_left(ends_at: str | None) -> int | None:
    if not ends_at:
        return None
    end = parse_datetime(ends_at)
    if end is None:
        return None
    return max(int((end - timezone.now()).total_seconds()), 0)


def duration_text(seconds: int | None) -> str:
    """``4 minutes 30 seconds`` (what the timer shows; board.mjs says it the same way)."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return "Time is up"
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def board_page(workshop: Workshop, participant: Participant) -> dict[str, Any]:
    """The board laid out for the page: quadrants with their groups and
    ungrouped items, each item with the changes this participant may make.
    A constant number of queries, whatever the size of the board."""
    board = snapshot(workshop, participant)
    viewer = Viewer.of(participant)
    can = allowed_operations(workshop, participant)
    groups = board["groups"]
    for quadrant in board["quadrants"]:
        quadrant["letter"] = LETTERS[quadrant["key"]]
        quadrant["others"] = [q for q in board["quadrants"] if q["key"] != quadrant["key"]]
        by_group: dict[int, list[dict[str, Any]]] = {}
        loose = []
        for item in quadrant["items"]:
            item["changeable"] = (
                policies.item_change_refusal(
                    participant, _ItemRef(participant.pk if item["mine"] else None)
                )
                is None
            )
            if item["group"] is not None:
                by_group.setdefault(item["group"], []).append(item)
            else:
                loose.append(item)
        quadrant_groups = [g for g in groups if g["quadrant"] == quadrant["key"]]
        for group in quadrant_groups:
            group["items"] = by_group.get(group["id"], [])
        for item in quadrant["items"]:
            item["group_choices"] = [g for g in quadrant_groups if g["id"] != item["group"]]
        quadrant["groups"] = quadrant_groups
        quadrant["loose"] = loose
        quadrant["count"] = len(quadrant["items"])
    return {
        "board": board,
        "workshop_info": board["workshop"],
        "you": board["you"],
        "is_facilitator": participant.is_facilitator,
        "can": can,
        "steps": phase_steps(workshop),
        "phase_moves": phase_moves(workshop) if can["phase_set"] else [],
        "timer_choices": TIMER_CHOICES,
        "timer_ends_at": workshop.timer_ends_at,
        "timer_text": duration_text(_seconds_left(board["workshop"]["timer_ends_at"])),
        "scribe_choices": (
            scribe_choices(workshop, viewer)
            if can["item_add"] and participant.is_facilitator
            else []
        ),
        "can_reveal": can["brainstorm_reveal"] and workshop.hides_items(),
        "hides_items": workshop.hides_items() and not participant.is_facilitator,
        "votes_left": board["votes_left"],
        "present": board["present"],
        "last_seq": board["seq"],
    }
