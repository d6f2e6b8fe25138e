"""A world for finding a council's initiatives (issue 8): Leedsham (the
``council`` persona) leads one initiative of each visibility and takes part in
Otherton's initiatives in every partnership status; a third council's
officer sees only what the platform shows everyone."""

from dataclasses import dataclass

from councils.models import Membership
from initiatives.models import Initiative, Partnership
from tests import factories

Status = Partnership.Status


@dataclass
class World:
    led: dict[str, Initiative]  # Leedsham's, by visibility
    # Otherton's, with Leedsham's partnership in each
    committed_public: Initiative
    active_platform: Initiative
    committed_partners_only: Initiative
    interested: Initiative
    invited: Initiative
    withdrawn: Initiative
    declined: Initiative
    otherton_draft: Initiative
    third_officer: object


def arrange(council, other_council, *, supplier=None) -> World:
    led = {
        vis: factories.InitiativeFactory(
            lead_organisation=council, visibility=vis, title=f"Leedsham {vis} pilot"
        )
        for vis in ("public", "platform", "partners", "draft")
    }

    def otherton(title: str, visibility: str, status: str | None) -> Initiative:
        initiative = factories.InitiativeFactory(
            lead_organisation=other_council, title=title, visibility=visibility
        )
        if status is not None:
            factories.PartnershipFactory(initiative=initiative, organisation=council, status=status)
        return initiative

    world = World(
        led=led,
        committed_public=otherton("Parking permits", "public", Status.COMMITTED),
        active_platform=otherton("Shared HR service", "platform", Status.ACTIVE),
        committed_partners_only=otherton("Otherton partners pilot", "partners", Status.COMMITTED),
        interested=otherton("Library app", "public", Status.INTERESTED),
        invited=otherton("Street lighting", "public", Status.INVITED),
        withdrawn=otherton("Old idea", "public", Status.WITHDRAWN),
        declined=otherton("Declined plan", "public", Status.DECLINED),
        otherton_draft=otherton("Otherton draft pilot", "draft", None),
        third_officer=factories.member_of(
            factories.OrganisationFactory(name="Thirdham"), Membership.Role.MEMBER
        ),
    )
    if supplier is not None:
        factories.PartnershipFactory(
            initiative=led["public"], organisation=supplier, role="supplier", status=Status.ACTIVE
        )
    return world
