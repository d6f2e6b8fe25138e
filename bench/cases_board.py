"""Live board page benchmarks (issue 9): the board page and its HTTP doors
for a workshop with 10 items and one with 500. Their query counts must be
equal: a board costs the same number of queries whatever its size.

build() creates both workshops through the board's own services (a
facilitator in the benchmark officer's council, the officer invited), so the
rows are shaped exactly as a live board leaves them.
"""

from __future__ import annotations

from bench.run import Case


def _workshop(dataset, title: str, items: int) -> int:
    from councils.models import Membership
    from swot.models import Participant
    from swot.services import board, workshops
    from tests import factories

    organisation = dataset.officer.memberships.get(status="active").organisation
    host_user = factories.member_of(
        organisation, Membership.Role.FACILITATOR, email=f"host-{items}@bench.example"
    )
    workshop = workshops.create_workshop(by=host_user, title=title, template="readiness")
    host = Participant.objects.get(workshop=workshop, user=host_user)
    workshops.invite_users(workshop=workshop, by=host, users=[dataset.officer])
    board.perform(
        workshop_id=workshop.pk, participant=host, kind="phase.set", args={"phase": "brainstorm"}
    )
    quadrants = ["strengths", "weaknesses", "opportunities", "threats"]
    for n in range(items):
        board.perform(
            workshop_id=workshop.pk,
            participant=host,
            kind="item.add",
            args={"quadrant": quadrants[n % 4], "text": f"Benchmark idea number {n}"},
        )
    workshop.refresh_from_db()
    dataset.extra[f"board_seq_{items}"] = workshop.last_seq - 5  # five operations behind
    return workshop.pk


def build(dataset) -> None:
    dataset.extra["board_small"] = _workshop(dataset, "Small board", 10)
    dataset.extra["board_large"] = _workshop(dataset, "Large board", 500)


def _poll(size: str, items: int):
    return lambda d: (
        f"/workshops/{d.extra[f'board_{size}']}/board/poll?since={d.extra[f'board_seq_{items}']}"
    )


CASES = [
    Case(
        "board: page, 10 items",
        lambda d: f"/workshops/{d.extra['board_small']}/board/",
        as_user="officer",
    ),
    Case(
        "board: page, 500 items",
        lambda d: f"/workshops/{d.extra['board_large']}/board/",
        as_user="officer",
    ),
    Case(
        "board: poll, 5 behind, 10 items",
        _poll("small", 10),
        as_user="officer",
    ),
    Case(
        "board: poll, 5 behind, 500 items",
        lambda d: (
            f"/workshops/{d.extra['board_large']}/board/poll?since={d.extra['board_seq_500']}"
        ),
        as_user="officer",
    ),
    Case(
        "board: API snapshot, 500 items",
        lambda d: f"/api/v1/workshops/{d.extra['board_large']}/board/",
        as_user="officer",
    ),
]
