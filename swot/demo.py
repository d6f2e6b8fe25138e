"""Demo workshops for ``manage.py seed_demo``.

- The closed LocalGovCamp18 workshop, rebuilt from the real write-up
  (``../shared/data/localgovcamp18_swot.json``): its items scribed by the
  facilitator for the people in the room, some grouped and voted on, actions
  drawn from its "changes needed", two TOWS strategies and a draft
  initiative started from one of its groups; its results are shared.
- An open workshop that the demo facilitator can run at once, with demo
  officers from three councils invited and a guest link switched on.

Everything goes through the board's own services (``perform``), so the demo
obeys the same rules as a live board. Idempotent: a workshop that already
exists (same title) is left alone.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.utils import timezone

from accounts.models import User

from .models import Item, Participant, Workshop
from .services import board, workshops

SWOT_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "localgovcamp18_swot.json"

FACILITATOR = "fatima.hussain@leeds.gov.uk"
ROOM = [
    "amara.okafor@leeds.gov.uk",
    "oliver.bennett@leeds.gov.uk",
    "michael.grant@manchester.gov.uk",
    "megan.lloyd@manchester.gov.uk",
    "bethany.cole@bristol.gov.uk",
    "ben.taylor@bristol.gov.uk",
]
OPEN_TITLE = "Waste and recycling: recontracting together in 2027"
OPEN_ROOM = [
    "oliver.bennett@leeds.gov.uk",
    "megan.lloyd@manchester.gov.uk",
    "ben.taylor@bristol.gov.uk",
]

# Groups the room agreed, by the items' exact words.
GROUPS = {
    "strengths": [("People and know-how", [0, 1, 6])],
    "weaknesses": [("Culture and rivalry", [1, 4, 6]), ("Contracts", [2, 3])],
    "opportunities": [("Savings and efficiency", [1, 5, 7])],
    "threats": [("Politics", [0, 1, 5]), ("Keeping up", [2, 3, 6])],
}
# (participant index, quadrant, item index) votes: the room's top concerns.
VOTES = [
    (0, "weaknesses", 6),
    (1, "weaknesses", 6),
    (2, "weaknesses", 6),
    (3, "opportunities", 7),
    (4, "opportunities", 7),
    (5, "opportunities", 0),
    (0, "opportunities", 0),
    (1, "threats", 2),
    (2, "threats", 2),
    (3, "strengths", 2),
    (4, "strengths", 2),
    (5, "weaknesses", 2),
]


def _do(workshop: Workshop, participant: Participant, kind: str, **args: Any) -> dict:
    return board.perform(
        workshop_id=workshop.pk, participant=participant, kind=kind, args=args
    ).operation.data


def _people(emails: list[str]) -> list[User]:
    found = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails if email in found]


def seed(stdout: TextIO) -> None:
    host_user = User.objects.filter(email=FACILITATOR).first()
    if host_user is None:
        stdout.write("  no demo facilitator: workshops skipped")
        return
    _localgovcamp(host_user, stdout)
    _open_workshop(host_user, stdout)


def _localgovcamp(host_user: User, stdout: TextIO) -> None:
    source = json.loads(SWOT_FILE.read_text(encoding="utf-8"))
    title = f"LocalGovCamp 2018: {source['title']}"[: Workshop.TITLE_MAX]
    if Workshop.objects.filter(title=title).exists():
        return
    workshop = workshops.create_workshop(
        by=host_user,
        title=title,
        purpose=source["purpose"],
        scheduled_for=datetime.date.fromisoformat(source["date"]),
        template=Workshop.Template.READINESS,
    )
    host = Participant.objects.get(workshop=workshop, user=host_user)
    room = workshops.invite_users(workshop=workshop, by=host, users=_people(ROOM))
    _do(workshop, host, "phase.set", phase="brainstorm")
    ids: dict[str, list[int]] = {}
    for quadrant, texts in source["swot"].items():
        for n, text in enumerate(texts):
            author = room[(n + len(ids)) % len(room)] if room else host
            item = _do(
                workshop, host, "item.add", quadrant=quadrant, text=text, on_behalf_of=author.pk
            )["item"]
            ids.setdefault(quadrant, []).append(item["id"])
    _do(workshop, host, "phase.set", phase="group")
    groups: dict[str, int] = {}
    for quadrant, named in GROUPS.items():
        for name, indexes in named:
            made = _do(
                workshop, host, "group.create", name=name, items=[ids[quadrant][i] for i in indexes]
            )
            groups[name] = made["group"]["id"]
    _do(workshop, host, "phase.set", phase="vote")
    for person, quadrant, index in VOTES:
        if person < len(room):
            _do(workshop, room[person], "vote.add", item=ids[quadrant][index])
    _do(workshop, host, "phase.set", phase="actions")
    councils = list({p.organisation_id: p.organisation for p in [host, *room]}.values())
    today = timezone.localdate()
    for n, change in enumerate(source["changes_needed"]):
        _do(
            workshop,
            host,
            "action.add",
            text=change[:500],
            owner=f"organisation:{councils[n % len(councils)].pk}",
            due_date=(today + datetime.timedelta(days=90 * (n + 1))).isoformat(),
            items=[ids["weaknesses"][6]] if n == 2 else [],
            group=groups["Culture and rivalry"] if n != 2 else None,
        )
    _do(
        workshop,
        host,
        "strategy.add",
        strategy_kind="WO",
        text="Use the funding squeeze to get past rivalry: pool budgets for shared platforms",
        items=[ids["weaknesses"][6], ids["opportunities"][7]],
    )
    _do(
        workshop,
        host,
        "strategy.add",
        strategy_kind="SO",
        text="Put our subject experts behind shared services that save money",
        items=[ids["strengths"][0], ids["opportunities"][1]],
    )
    _do(
        workshop,
        host,
        "initiative.draft",
        group=groups["Contracts"],
        service_area="digital-front-door",
    )
    _do(workshop, host, "phase.set", phase="closed")
    workshops.share_results(workshop=Workshop.objects.get(pk=workshop.pk), by=host, shared=True)
    stdout.write(
        f"  closed workshop “{workshop.title}”: "
        f"{Item.objects.filter(workshop=workshop).count()} items, results shared"
    )


def _open_workshop(host_user: User, stdout: TextIO) -> None:
    if Workshop.objects.filter(title=OPEN_TITLE).exists():
        return
    workshop = workshops.create_workshop(
        by=host_user,
        title=OPEN_TITLE,
        purpose=(
            "Leeds, Manchester and Bristol all run waste systems whose contracts end in "
            "2027. What would it take to procure the next one together?"
        ),
        scheduled_for=timezone.localdate() + datetime.timedelta(days=7),
        template=Workshop.Template.READINESS,
        private_brainstorm=True,
    )
    host = Participant.objects.get(workshop=workshop, user=host_user)
    workshops.invite_users(workshop=workshop, by=host, users=_people(OPEN_ROOM))
    code = workshops.set_guest_link(workshop=workshop, by=host, enabled=True)
    stdout.write(
        f"  open workshop “{workshop.title}”: guests join at "
        f"/workshops/{workshop.pk}/join/?code={code}"
    )
