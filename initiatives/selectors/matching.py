"""Reads behind partner matching: the facts ``initiatives.matching.score``
needs, gathered in a fixed number of queries whatever the number of councils
or initiatives (each query is one ``values()`` read; the scoring runs in
Python over plain tuples), then ranked.

- ``suggested_partners(initiative=..., user=...)``: councils to invite,
  for the initiative page; those the renewal radar put forward
  (``PartnerSuggestion``) come first, with the radar's reason.
- ``initiatives_for(user, ...)``: initiatives the viewer's council has most
  in common with, for the dashboard, the digest and the API.

Only what matters to the score is read: when an initiative names service
areas, candidates' systems and needs are read for those areas only; dismissed
systems never count. Distance is computed for display and never scored.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from councils.models import Need, Organisation, SkillOffer, SystemInUse
from councils.selectors.people import active_membership_for

from .. import policies
from ..matching import CouncilFacts, InitiativeFacts, Match, SystemFact, rank_candidates, score
from ..matching import rank_initiatives as rank_initiatives_for
from ..models import Initiative, Partnership, PartnerSuggestion
from .initiative import visible_to

# Kinds of organisation matching suggests as partners (suppliers are invited
# by hand: matching is about councils finding each other).
PARTNER_KINDS = (Organisation.Kind.COUNCIL, Organisation.Kind.COMBINED_AUTHORITY)
COUNTED_STATUSES = (SystemInUse.Status.CONFIRMED, SystemInUse.Status.SUGGESTED)


@dataclass(frozen=True)
class PartnerSuggestionRow:
    """One suggested partner on the initiative page."""

    organisation: Organisation
    match: Match
    distance_km: int | None
    radar_reason: str = ""

    @property
    def explanation(self) -> str:
        parts = [self.radar_reason] if self.radar_reason else []
        if self.match.reasons:
            parts.append(self.match.explanation_for_lead)
        return " ".join(p if p.endswith(".") else f"{p}." for p in parts)


@dataclass(frozen=True)
class InitiativeForYou:
    initiative: Initiative
    match: Match

    @property
    def explanation(self) -> str:
        return self.match.explanation_for_candidate


def _distance_km(a: Organisation, b: Organisation) -> int | None:
    """Great-circle distance, for information beside a suggestion."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6371 * math.asin(math.sqrt(h)))


def _systems_by_org(
    org_ids: Iterable[int] | None, area_ids: Iterable[int] | None
) -> dict[int, list[SystemFact]]:
    """One query: the counted systems of these organisations (all when
    ``org_ids`` is None) in these areas (all when None)."""
    qs = SystemInUse.objects.filter(status__in=COUNTED_STATUSES)
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=list(org_ids))
    if area_ids is not None:
        qs = qs.filter(service_area_id__in=list(area_ids))
    by_org: dict[int, list[SystemFact]] = defaultdict(list)
    for row in qs.values_list(
        "organisation_id",
        "service_area_id",
        "service_area__name",
        "supplier",
        "supplier_key",
        "product",
        "product_key",
        "contract_end_date",
        "status",
    ).order_by("organisation_id", "service_area_id", "pk"):
        by_org[row[0]].append(
            SystemFact(
                service_area_id=row[1],
                service_area=row[2],
                supplier=row[3],
                supplier_key=row[4],
                product=row[5],
                product_key=row[6],
                end_date=row[7],
                confirmed=row[8] == SystemInUse.Status.CONFIRMED,
            )
        )
    return by_org


def _needs_by_org(org_ids, area_ids) -> dict[int, dict[int, str]]:
    qs = Need.objects.all()
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=list(org_ids))
    if area_ids is not None:
        qs = qs.filter(service_area_id__in=list(area_ids))
    by_org: dict[int, dict[int, str]] = defaultdict(dict)
    for org_id, area_id, name in qs.values_list(
        "organisation_id", "service_area_id", "service_area__name"
    ):
        by_org[org_id][area_id] = name
    return by_org


def _skills_by_org(org_ids, skill_ids) -> dict[int, dict[int, str]]:
    qs = SkillOffer.objects.all()
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=list(org_ids))
    if skill_ids is not None:
        qs = qs.filter(skill_id__in=list(skill_ids))
    by_org: dict[int, dict[int, str]] = defaultdict(dict)
    for org_id, skill_id, name in qs.values_list("organisation_id", "skill_id", "skill__name"):
        by_org[org_id][skill_id] = name
    return by_org


def _facts(
    organisations: Iterable[Organisation],
    systems: dict[int, list[SystemFact]],
    needs: dict[int, dict[int, str]] | None = None,
    skills: dict[int, dict[int, str]] | None = None,
) -> dict[int, CouncilFacts]:
    return {
        org.pk: CouncilFacts(
            id=org.pk,
            name=org.name,
            authority_type=org.authority_type,
            population=org.population,
            systems=tuple(systems.get(org.pk, ())),
            need_areas=dict((needs or {}).get(org.pk, {})),
            skills_offered=dict((skills or {}).get(org.pk, {})),
        )
        for org in organisations
    }


def _initiative_areas_and_skills(
    initiative_ids: list[int],
) -> tuple[dict[int, dict[int, str]], dict[int, dict[int, str]]]:
    areas: dict[int, dict[int, str]] = defaultdict(dict)
    for iid, aid, name in Initiative.service_areas.through.objects.filter(
        initiative_id__in=initiative_ids
    ).values_list("initiative_id", "servicearea_id", "servicearea__name"):
        areas[iid][aid] = name
    skills: dict[int, dict[int, str]] = defaultdict(dict)
    for iid, sid, name in Initiative.skills_needed.through.objects.filter(
        initiative_id__in=initiative_ids
    ).values_list("initiative_id", "skill_id", "skill__name"):
        skills[iid][sid] = name
    return areas, skills


def _teams(initiatives: list[Initiative]) -> dict[int, list[int]]:
    """Initiative id -> organisation ids of its team: the lead first, then
    committed partners (one query)."""
    teams = {i.pk: [i.lead_organisation_id] for i in initiatives}
    for iid, org_id in (
        Partnership.objects.filter(
            initiative_id__in=list(teams),
            status__in=Partnership.COMMITTED_STATUSES,
            role=Partnership.Role.PARTNER,
        )
        .order_by("initiative_id", "created_at", "pk")
        .values_list("initiative_id", "organisation_id")
    ):
        if org_id not in teams[iid]:
            teams[iid].append(org_id)
    return teams


def suggested_partners(
    *, initiative: Initiative, user, limit: int = 10
) -> list[PartnerSuggestionRow]:
    """Councils worth inviting to ``initiative``, best first, for those who
    may invite (``policies.can_invite_partner``); nobody else sees them.
    Eight queries whatever the number of councils."""
    if not policies.can_invite_partner(user, initiative):
        return []
    areas, skills = _initiative_areas_and_skills([initiative.pk])
    area_ids = list(areas[initiative.pk]) or None
    skill_ids = list(skills[initiative.pk])
    team_ids = _teams([initiative])[initiative.pk]
    busy = Partnership.objects.filter(
        initiative=initiative, status__in=Partnership.OPEN_STATUSES
    ).values("organisation_id")
    candidates = list(
        Organisation.objects.filter(status=Organisation.Status.ACTIVE, kind__in=PARTNER_KINDS)
        .exclude(pk__in=busy)
        .exclude(pk__in=team_ids)
        .only("pk", "name", "slug", "authority_type", "population", "latitude", "longitude")
    )
    team_orgs = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=team_ids).only(
            "pk", "name", "slug", "authority_type", "population", "latitude", "longitude"
        )
    }
    candidate_ids = [c.pk for c in candidates]
    # Team systems in every area (when the initiative names none, every area counts).
    systems = _systems_by_org(candidate_ids + team_ids, area_ids)
    needs = _needs_by_org(candidate_ids, area_ids) if area_ids else {}
    offered = _skills_by_org(candidate_ids, skill_ids) if skill_ids else {}
    team_facts = _facts([team_orgs[i] for i in team_ids if i in team_orgs], systems)
    facts = InitiativeFacts(
        id=initiative.pk,
        title=initiative.title,
        service_areas=areas[initiative.pk],
        skills_needed=skills[initiative.pk],
        team=tuple(team_facts[i] for i in team_ids if i in team_facts),
    )
    by_id = {c.pk: c for c in candidates}
    radar = dict(
        PartnerSuggestion.objects.filter(
            initiative=initiative, organisation_id__in=candidate_ids
        ).values_list("organisation_id", "reason")
    )
    matches = rank_candidates(facts, _facts(candidates, systems, needs, offered).values())
    ranked_ids = [m.candidate.id for m in matches]
    # The radar's picks first (with their own score, even if 0), then the rest.
    all_matches = {m.candidate.id: m for m in matches}
    candidate_facts = _facts([by_id[i] for i in radar], systems, needs, offered)
    for org_id in radar:
        all_matches.setdefault(org_id, score(facts, candidate_facts[org_id]))
    order = [i for i in radar if i in by_id] + [i for i in ranked_ids if i not in radar]
    lead = team_orgs.get(initiative.lead_organisation_id)
    rows = [
        PartnerSuggestionRow(
            organisation=by_id[i],
            match=all_matches[i],
            distance_km=_distance_km(lead, by_id[i]) if lead else None,
            radar_reason=radar.get(i, ""),
        )
        for i in order[:limit]
    ]
    return rows


def _open_to(organisation: Organisation, user) -> QuerySet[Initiative]:
    """Initiatives ``user`` may see that ``organisation`` could join: looking
    for partners, not a draft, not retired, not led or joined by it."""
    joined = Exists(
        Partnership.objects.filter(
            initiative=OuterRef("pk"),
            organisation=organisation,
            status__in=Partnership.OPEN_STATUSES,
        )
    )
    return (
        visible_to(user)
        .filter(looking_for_partners=True)
        .exclude(joined)
        .exclude(lead_organisation=organisation)
        .exclude(stage=Initiative.Stage.RETIRED)
        .exclude(visibility=Initiative.Visibility.DRAFT)
    )


def initiatives_for(
    user,
    *,
    limit: int = 5,
    organisation: Organisation | None = None,
    created_after: datetime | None = None,
    created_until: datetime | None = None,
    queryset: QuerySet[Initiative] | None = None,
) -> list[InitiativeForYou]:
    """Initiatives the viewer's council has most in common with, best first,
    each with its explanation. Nine queries whatever the number of
    initiatives: only initiatives sharing a service area or a skill with the
    council are read at all (the others would score nothing but type and
    size)."""
    if organisation is None:
        membership = active_membership_for(user)
        if membership is None:
            return []
        organisation = membership.organisation
    org_id = organisation.pk
    systems = _systems_by_org([org_id], None)
    needs = _needs_by_org([org_id], None)
    offered = _skills_by_org([org_id], None)
    mine = _facts([organisation], systems, needs, offered)[org_id]
    my_areas = set(mine.need_areas) | {s.service_area_id for s in mine.systems}
    if not my_areas and not mine.skills_offered:
        return []
    base = queryset if queryset is not None else _open_to(organisation, user)
    # The digest asks for those created in its period only.
    if created_after is not None:
        base = base.filter(created_at__gt=created_after)
    if created_until is not None:
        base = base.filter(created_at__lte=created_until)
    shares = Q(
        Exists(
            Initiative.service_areas.through.objects.filter(
                initiative_id=OuterRef("pk"), servicearea_id__in=my_areas
            )
        )
    ) | Q(
        Exists(
            Initiative.skills_needed.through.objects.filter(
                initiative_id=OuterRef("pk"), skill_id__in=list(mine.skills_offered)
            )
        )
    )
    initiatives = list(base.filter(shares).select_related("lead_organisation"))
    if not initiatives:
        return []
    ids = [i.pk for i in initiatives]
    areas, skills = _initiative_areas_and_skills(ids)
    teams = _teams(initiatives)
    team_ids = {org for team in teams.values() for org in team}
    team_orgs = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=team_ids).only(
            "pk", "name", "authority_type", "population"
        )
    }
    # Only areas where the council runs systems can pair with the team's.
    team_systems = _systems_by_org(team_ids, {s.service_area_id for s in mine.systems})
    team_facts = _facts(team_orgs.values(), team_systems)
    facts = [
        InitiativeFacts(
            id=i.pk,
            title=i.title,
            service_areas=areas[i.pk],
            skills_needed=skills[i.pk],
            team=tuple(team_facts[o] for o in teams[i.pk] if o in team_facts),
        )
        for i in initiatives
    ]
    by_id = {i.pk: i for i in initiatives}
    return [
        InitiativeForYou(initiative=by_id[m.initiative.id], match=m)
        for m in rank_initiatives_for(mine, facts, limit=limit)
    ]
