"""What a workshop produced, as one viewer may see it: suggested groups for
the facilitator, the actions phase's lists, the summary (page, exports and
the closing e-mail all read the same ``Summary``) and the workshop an
initiative was started from.

The board's two rules hold here too. Private brainstorm: only items the
viewer may receive are counted or listed (``board.visible_items``; someone
reading shared results is not a participant, so an unrevealed item is never
theirs). Anonymity: an item's author is given only when the workshop is not
anonymous, and then by name only to viewers who may see names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from councils import names
from councils.models import Organisation, ServiceArea
from councils.policies import may_see_personal_names
from initiatives.models import Initiative
from initiatives.policies import can_view_initiative

from .. import policies
from ..grouping import Suggestion, suggest_groups
from ..models import (
    QUADRANT_HINTS,
    Action,
    Group,
    InitiativeSource,
    Item,
    Participant,
    Quadrant,
    Strategy,
    Workshop,
)
from .board import visible_items, workshop_actions, workshop_strategies

# How many items per quadrant the summary lists as "top voted".
TOP_ITEMS = 5

# Which quadrants each TOWS kind pairs: (internal, external).
TOWS_QUADRANTS: dict[str, tuple[str, str]] = {
    Strategy.Kind.SO: (Quadrant.STRENGTHS, Quadrant.OPPORTUNITIES),
    Strategy.Kind.ST: (Quadrant.STRENGTHS, Quadrant.THREATS),
    Strategy.Kind.WO: (Quadrant.WEAKNESSES, Quadrant.OPPORTUNITIES),
    Strategy.Kind.WT: (Quadrant.WEAKNESSES, Quadrant.THREATS),
}


# Suggested groups -------------------------------------------------------------------------------


@dataclass
class SuggestedGroup:
    """A suggestion with its items, ready to show."""

    suggestion: Suggestion
    quadrant_label: str
    items: list[Item]


def group_suggestions(
    workshop: Workshop, participant: Participant | None, *, ignored: Iterable[str] = ()
) -> list[SuggestedGroup]:
    """Groups the facilitator might make of the ungrouped items they can see,
    while the board is in its group phase (one query). Nobody else is offered
    any: grouping is the facilitator's call, and nothing is grouped until
    they accept a suggestion. ``ignored`` are the keys of suggestions they
    set aside."""
    if not policies.is_facilitator(participant) or workshop.phase != Workshop.Phase.GROUP:
        return []
    items = list(visible_items(workshop, participant).filter(group__isnull=True))
    by_id = {item.pk: item for item in items}
    labels = dict(Quadrant.choices)
    skip = set(ignored)
    return [
        SuggestedGroup(s, labels[s.quadrant], [by_id[i] for i in s.item_ids])
        for s in suggest_groups(items)
        if s.key not in skip
    ]


# Names ------------------------------------------------------------------------------------------


def person_shown(viewer_user, participant: Participant | None) -> str:
    """A participant as ``viewer_user`` may see them: a guest's chosen name, a
    user's name or their role at their council (``councils.names``)."""
    if participant is None:
        return ""
    if participant.user_id is None:
        return participant.display_name
    if participant.organisation_id is None:
        if may_see_personal_names(viewer_user) or (
            viewer_user is not None and viewer_user.pk == participant.user_id
        ):
            return participant.user.display_name
        return "A participant"
    return str(
        names.show_person(viewer_user, participant.user, organisation=participant.organisation)
    )


def owner_shown(viewer_user, action: Action) -> str:
    if action.owner_participant_id is not None:
        return person_shown(viewer_user, action.owner_participant)
    if action.owner_organisation_id is not None:
        return action.owner_organisation.name
    return ""


# The actions phase ------------------------------------------------------------------------------


@dataclass
class TowsCell:
    kind: str
    label: str
    internal: str
    external: str
    internal_items: list[Item]
    external_items: list[Item]
    strategies: list[Strategy]


@dataclass
class ActionsBoard:
    """What the actions phase's panel shows and offers."""

    workshop: Workshop
    participant: Participant | None
    items: list[Item]
    groups: list[Group]
    actions: list[Action]
    strategies: list[Strategy]
    tows: list[TowsCell]
    owners: list[tuple[str, str]]
    drafts: list[InitiativeSource]
    drafted_groups: set[int]
    drafted_strategies: set[int]
    may_draft: bool
    changeable_actions: set[int]
    removable_strategies: set[int]
    quadrants: list[tuple[str, str, list[Item]]]
    service_areas: list[Any] = field(default_factory=list)
    default_service_area: str = ""

    @property
    def draftable_groups(self) -> list[Group]:
        return [g for g in self.groups if g.pk not in self.drafted_groups]

    @property
    def draftable_strategies(self) -> list[Strategy]:
        return [s for s in self.strategies if s.pk not in self.drafted_strategies]


def owner_choices(workshop: Workshop, viewer_user) -> list[tuple[str, str]]:
    """Who can own an action: someone taking part, or a council that took part
    (the value is the ``owner`` argument of ``action.add``)."""
    people = list(
        Participant.objects.filter(workshop=workshop, status=Participant.Status.JOINED)
        .select_related("user", "organisation")
        .order_by("created_at", "id")
    )
    choices = [(f"participant:{p.pk}", person_shown(viewer_user, p)) for p in people]
    for org in took_part(workshop, people=people):
        choices.append((f"organisation:{org.pk}", org.name))
    return choices


def took_part(workshop: Workshop, *, people: list[Participant] | None = None) -> list[Organisation]:
    """The councils (and other organisations) of the people who joined, the
    workshop's own council first."""
    if people is None:
        people = list(
            Participant.objects.filter(
                workshop=workshop, status=Participant.Status.JOINED
            ).select_related("organisation")
        )
    found: dict[int, Organisation] = {}
    for person in people:
        if person.organisation_id is not None:
            found.setdefault(person.organisation_id, person.organisation)
    ordered = sorted(found.values(), key=lambda org: (org.pk != workshop.owner_id, org.name))
    return ordered


def _owner_value(action: Action) -> str:
    """The ``owner`` argument that names the action's owner (to preselect it)."""
    if action.owner_participant_id is not None:
        return f"participant:{action.owner_participant_id}"
    if action.owner_organisation_id is not None:
        return f"organisation:{action.owner_organisation_id}"
    return ""


def _tows(items: list[Item], strategies: list[Strategy]) -> list[TowsCell]:
    by_quadrant: dict[str, list[Item]] = {value: [] for value in Quadrant.values}
    for item in items:
        by_quadrant[item.quadrant].append(item)
    labels = dict(Quadrant.choices)
    cells = []
    for kind, label in Strategy.Kind.choices:
        internal, external = TOWS_QUADRANTS[kind]
        cells.append(
            TowsCell(
                kind=kind,
                label=label,
                internal=labels[internal],
                external=labels[external],
                internal_items=by_quadrant[internal],
                external_items=by_quadrant[external],
                strategies=[s for s in strategies if s.kind == kind],
            )
        )
    return cells


def actions_board(workshop: Workshop, participant: Participant | None, viewer_user) -> ActionsBoard:
    """The actions phase for ``participant``: a fixed number of queries."""
    items = list(visible_items(workshop, participant).order_by("-vote_count", "created_at", "id"))
    strategies = list(workshop_strategies(workshop))
    actions = list(workshop_actions(workshop).select_related("group"))
    for action in actions:
        action.owner_value = _owner_value(action)
    drafts = list(
        InitiativeSource.objects.filter(workshop=workshop)
        .select_related("initiative__lead_organisation")
        .order_by("created_at", "id")
    )
    may_draft = policies.may_draft_initiative(participant)
    default_area = ""
    areas: list[Any] = []
    if may_draft:
        areas = list(ServiceArea.objects.order_by("name"))
        if workshop.initiative_id is not None:
            first = workshop.initiative.service_areas.order_by("name").first()
            default_area = first.slug if first else ""
    return ActionsBoard(
        workshop=workshop,
        participant=participant,
        items=items,
        groups=list(Group.objects.filter(workshop=workshop).order_by("quadrant", "name", "id")),
        actions=actions,
        strategies=strategies,
        tows=_tows(items, strategies),
        owners=owner_choices(workshop, viewer_user),
        drafts=[d for d in drafts if _may_open(viewer_user, d.initiative)],
        drafted_groups={d.group_id for d in drafts if d.group_id},
        drafted_strategies={d.strategy_id for d in drafts if d.strategy_id},
        may_draft=may_draft,
        changeable_actions={
            a.pk
            for a in actions
            if participant is not None and policies.action_change_refusal(participant, a) is None
        },
        removable_strategies={
            s.pk
            for s in strategies
            if participant is not None and policies.strategy_change_refusal(participant, s) is None
        },
        quadrants=[
            (value, label, [item for item in items if item.quadrant == value])
            for value, label in Quadrant.choices
        ],
        service_areas=areas,
        default_service_area=default_area,
    )


def _may_open(user, initiative: Initiative) -> bool:
    """Drafts are the lead's: only those who may see one get its link (the
    lead's members without a query; anyone else one query per draft, and a
    workshop starts a handful at most)."""
    if user is None or not user.is_authenticated:
        return initiative.visibility == Initiative.Visibility.PUBLIC
    return can_view_initiative(user, initiative)


# The summary ------------------------------------------------------------------------------------


@dataclass
class QuadrantSummary:
    key: str
    label: str
    hint: str
    top: list[Item]
    total: int


@dataclass
class GroupSummary:
    group: Group
    items: list[Item]
    votes: int


@dataclass
class Summary:
    """A workshop's results as one viewer may see them."""

    workshop: Workshop
    viewer_user: Any
    quadrants: list[QuadrantSummary]
    items: list[Item]
    groups: list[GroupSummary]
    actions: list[Action]
    strategies: list[Strategy]
    councils: list[Organisation]
    guests: int
    people: int
    show_authors: bool

    def author(self, item: Item) -> str:
        """Who wrote ``item``, or "" in an anonymous workshop (never the author)."""
        if not self.show_authors:
            return ""
        return person_shown(self.viewer_user, item.author)

    def owner(self, action: Action) -> str:
        return owner_shown(self.viewer_user, action)


def summary(workshop: Workshop, participant: Participant | None, viewer_user) -> Summary:
    """Everything the summary page, its exports and the closing e-mail show,
    in a fixed number of queries (items, groups, actions with their items and
    owners, strategies with their items, participants)."""
    items = list(
        visible_items(workshop, participant)
        .select_related("group")
        .order_by("-vote_count", "created_at", "id")
    )
    shown = {item.pk for item in items}
    quadrants = []
    for value, label in Quadrant.choices:
        mine = [item for item in items if item.quadrant == value]
        quadrants.append(
            QuadrantSummary(
                key=value,
                label=label,
                hint=QUADRANT_HINTS[value],
                top=mine[:TOP_ITEMS],
                total=len(mine),
            )
        )
    groups = []
    for group in Group.objects.filter(workshop=workshop).order_by("quadrant", "name", "id"):
        members = [item for item in items if item.group_id == group.pk]
        if members:
            groups.append(GroupSummary(group, members, sum(i.vote_count for i in members)))
    groups.sort(key=lambda g: -g.votes)
    actions = list(workshop_actions(workshop).select_related("group"))
    strategies = list(workshop_strategies(workshop))
    # A hidden item must not surface through an action or strategy's list either.
    for record in (*actions, *strategies):
        record.shown_items = [i for i in record.items.all() if i.pk in shown]
    people = list(
        Participant.objects.filter(
            workshop=workshop, status=Participant.Status.JOINED
        ).select_related("organisation")
    )
    return Summary(
        workshop=workshop,
        viewer_user=viewer_user,
        quadrants=quadrants,
        items=items,
        groups=groups,
        actions=actions,
        strategies=strategies,
        councils=took_part(workshop, people=people),
        guests=sum(1 for p in people if p.is_guest),
        people=len(people),
        show_authors=not workshop.anonymous_items,
    )


# Where an initiative came from -------------------------------------------------------------------


@dataclass
class Origin:
    """ "Started from workshop X": the title always; the items, and a link to the
    summary, only for someone who may see the workshop's results."""

    workshop: Workshop
    source: InitiativeSource
    may_see_results: bool
    items: list[Item]


def initiative_origins(initiative: Initiative, user) -> list[Origin]:
    """The workshops ``initiative`` was started from, as ``user`` may see them
    (three queries, and one more when there are any: the viewer's places)."""
    sources = list(
        InitiativeSource.objects.filter(initiative=initiative)
        .select_related("workshop", "group", "strategy")
        .prefetch_related("items")
        .order_by("created_at", "id")
    )
    if not sources:
        return []
    places: dict[int, Participant] = {}
    if user is not None and user.is_authenticated:
        for place in Participant.objects.filter(
            user=user, workshop_id__in={s.workshop_id for s in sources}
        ).select_related("user", "workshop"):
            places[place.workshop_id] = place
    origins = []
    for source in sources:
        workshop = source.workshop
        participant = places.get(workshop.pk)
        allowed = policies.can_view_results(user, workshop, participant)
        visible: list[Item] = []
        if allowed:
            for item in source.items.all():
                if policies.may_receive_item(
                    participant, workshop=workshop, author_id=item.author_id
                ):
                    visible.append(item)
        origins.append(Origin(workshop, source, allowed, visible))
    return origins
