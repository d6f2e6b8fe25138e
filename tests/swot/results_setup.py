"""A workshop run through to its actions phase, for the results tests:
items in every quadrant, a group, votes."""

from __future__ import annotations

from dataclasses import dataclass

from swot.models import Participant, Workshop
from swot.services import board, workshops


def place(workshop, user) -> Participant:
    return Participant.objects.select_related("user", "organisation").get(
        workshop=workshop, user=user
    )


def do(workshop, who, kind, client_id="", **args):
    """Perform a board operation as ``who`` (a user, or a Participant for a guest)."""
    participant = who if isinstance(who, Participant) else place(workshop, who)
    return board.perform(
        workshop_id=workshop.pk, participant=participant, kind=kind, args=args, client_id=client_id
    )


@dataclass
class Board:
    workshop: Workshop
    items: dict[str, int]
    group: int


ITEMS = {
    "s1": ("strengths", "Experienced digital team"),
    "s2": ("strengths", "Shared data platform"),
    "w1": ("weaknesses", "Legacy contracts ending"),
    "w2": ("weaknesses", "Contract knowledge is thin"),
    "o1": ("opportunities", "Joint procurement with neighbours"),
    "t1": ("threats", "Budget cuts next year"),
}


def board_in_actions(facilitator, officer, *others, phase: str = "actions", **options) -> Board:
    """``facilitator`` runs it; ``officer`` writes the weaknesses; everyone
    else invited. Item "w1" gets two votes, "o1" one; "w1" and "w2" are grouped."""
    workshop = workshops.create_workshop(by=facilitator, title="Waste collaboration", **options)
    workshops.invite_users(
        workshop=workshop, by=place(workshop, facilitator), users=[officer, *others]
    )
    do(workshop, facilitator, "phase.set", phase="brainstorm")
    ids = {}
    for key, (quadrant, text) in ITEMS.items():
        author = officer if quadrant == "weaknesses" else facilitator
        ids[key] = do(workshop, author, "item.add", quadrant=quadrant, text=text).operation.data[
            "item"
        ]["id"]
    do(workshop, facilitator, "phase.set", phase="group")
    group = do(
        workshop, facilitator, "group.create", name="Contracts", items=[ids["w1"], ids["w2"]]
    ).operation.data["group"]["id"]
    do(workshop, facilitator, "phase.set", phase="vote")
    do(workshop, facilitator, "vote.add", item=ids["w1"])
    do(workshop, officer, "vote.add", item=ids["w1"])
    do(workshop, officer, "vote.add", item=ids["o1"])
    if phase != "vote":
        do(workshop, facilitator, "phase.set", phase=phase)
    workshop.refresh_from_db()
    return Board(workshop, ids, group)
