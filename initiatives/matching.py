"""Partner matching: how much a council has in common with an initiative's team.

The broker's core question is "who should be in this together?". The answer
is commonality, not geography: collaboration today "happens on a minor scale,
often between neighbouring councils", and the platform exists to widen that.
So distance is never scored; the selector shows it beside a suggestion as
information only.

``score(initiative, candidate)`` is a pure function over plain facts (no
database, no clock), so the order it produces can be stated and tested with
hand-made councils (tests/matching/test_scoring.py) and the same function
ranks both directions: partners for an initiative, and initiatives for a
council. Each point comes with its reason in plain words, worded for the
initiative's lead ("Both run Civica OpenRevenues...") and for the candidate
("...you and Leeds both run...").

What counts, and its weight (points):

- the candidate has a **need** in a service area the initiative covers: 3
  per area;
- it **runs a system** in such an area (it does that work too): 1 per area;
- it runs the **same product** as someone on the team for that area: 4 per
  area; else the **same supplier**: 2;
- their **contracts end close together** in that area (a joint procurement
  window): within 6 months 3, within 12 months 2, within 18 months 1;
- it **offers a skill** the initiative needs: 2 per skill;
- the **same authority type** as the lead: 1; a **similar size** (population
  within a factor of two): 1.

A system read from a published contract and not yet confirmed by its
council (``confirmed=False``) earns half the points of a confirmed one, and
its reason says so. When the initiative names no service area, the team's
systems in every area are compared instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

NEED_IN_AREA = 3.0
WORKS_IN_AREA = 1.0
SAME_PRODUCT = 4.0
SAME_SUPPLIER = 2.0
# (most months apart, points): the first band the gap falls in wins.
RENEWAL_BANDS = ((6, 3.0), (12, 2.0), (18, 1.0))
SKILL_OFFERED = 2.0
SAME_AUTHORITY_TYPE = 1.0
SIMILAR_SIZE = 1.0
# Unconfirmed facts (a system suggested from a published contract) count this much.
SUGGESTED_WEIGHT = 0.5
SIZE_FACTOR = 2.0


@dataclass(frozen=True)
class SystemFact:
    """One system a council runs, as matching needs it. ``supplier_key`` and
    ``product_key`` are the normalised spellings, so "Civica" and "CIVICA
    Ltd" compare equal."""

    service_area_id: int
    service_area: str
    supplier: str
    supplier_key: str
    product: str
    product_key: str
    end_date: date | None = None
    confirmed: bool = True


@dataclass(frozen=True)
class CouncilFacts:
    """What matching knows of one organisation."""

    id: int
    name: str
    authority_type: str = ""
    population: int | None = None
    systems: tuple[SystemFact, ...] = ()
    # service area id -> name, for each area it has a need in
    need_areas: dict[int, str] = field(default_factory=dict)
    # skill id -> name, for each skill it offers
    skills_offered: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InitiativeFacts:
    """What matching knows of one initiative: what it covers and needs, and
    its team (the lead first, then committed partners)."""

    id: int
    title: str
    service_areas: dict[int, str] = field(default_factory=dict)
    skills_needed: dict[int, str] = field(default_factory=dict)
    team: tuple[CouncilFacts, ...] = ()

    @property
    def lead(self) -> CouncilFacts | None:
        return self.team[0] if self.team else None


@dataclass(frozen=True)
class Reason:
    """One thing in common and what it is worth. ``for_lead`` speaks to the
    initiative's team about the candidate; ``for_candidate`` speaks to the
    candidate about the initiative."""

    points: float
    for_lead: str
    for_candidate: str


@dataclass(frozen=True)
class Match:
    candidate: CouncilFacts
    initiative: InitiativeFacts
    score: float
    reasons: tuple[Reason, ...]

    @property
    def explanation_for_lead(self) -> str:
        return _sentence(r.for_lead for r in self.reasons)

    @property
    def explanation_for_candidate(self) -> str:
        return _sentence(r.for_candidate for r in self.reasons)


def _sentence(parts: Iterable[str]) -> str:
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def months_apart(a: date, b: date) -> int:
    """Whole calendar months between two dates, rounded down (1 Jan to
    31 Jul is 6)."""
    early, late = sorted((a, b))
    months = (late.year - early.year) * 12 + late.month - early.month
    if late.day < early.day:
        months -= 1
    return max(months, 0)


def _gap_words(gap_months: int) -> str:
    if gap_months == 0:
        return "in the same month"
    unit = "month" if gap_months == 1 else "months"
    return f"within {gap_months} {unit} of each other"


def _renewal_points(gap_months: int) -> float:
    for most, points in RENEWAL_BANDS:
        if gap_months <= most:
            return points
    return 0.0


def _unconfirmed(*systems: SystemFact) -> bool:
    return not all(s.confirmed for s in systems)


def _weighted(points: float, *systems: SystemFact) -> float:
    return points * SUGGESTED_WEIGHT if _unconfirmed(*systems) else points


def _caveat(*systems: SystemFact) -> str:
    return " (from a published contract, not yet confirmed)" if _unconfirmed(*systems) else ""


def _system_reasons(
    initiative: InitiativeFacts, candidate: CouncilFacts, areas: dict[int, str]
) -> list[Reason]:
    """Same product or supplier, and close contract ends, per service area:
    the best pair in each area counts once, so ten identical systems do not
    outweigh everything else."""
    reasons: list[Reason] = []
    team = [member for member in initiative.team if member.id != candidate.id]
    for area_id, area_name in sorted(areas.items(), key=lambda kv: kv[1]):
        mine = [s for s in candidate.systems if s.service_area_id == area_id]
        if not mine:
            continue
        pairs = [
            (member, theirs, own)
            for member in team
            for theirs in member.systems
            if theirs.service_area_id == area_id
            for own in mine
        ]
        best_kind: tuple[float, str, str] | None = None
        for member, theirs, own in pairs:
            if own.product_key and own.product_key == theirs.product_key:
                points = _weighted(SAME_PRODUCT, own, theirs)
                lead_text = (
                    f"both they and {member.name} run {own.product} for {area_name.lower()}"
                    f"{_caveat(own, theirs)}"
                )
                cand_text = (
                    f"you and {member.name} both run {own.product} for {area_name.lower()}"
                    f"{_caveat(own, theirs)}"
                )
            elif own.supplier_key and own.supplier_key == theirs.supplier_key:
                points = _weighted(SAME_SUPPLIER, own, theirs)
                lead_text = (
                    f"both they and {member.name} buy {area_name.lower()} from {own.supplier}"
                    f"{_caveat(own, theirs)}"
                )
                cand_text = (
                    f"you and {member.name} both buy {area_name.lower()} from {own.supplier}"
                    f"{_caveat(own, theirs)}"
                )
            else:
                continue
            if best_kind is None or points > best_kind[0]:
                best_kind = (points, lead_text, cand_text)
        if best_kind:
            reasons.append(Reason(*best_kind))

        best_window: tuple[float, str, str] | None = None
        for member, theirs, own in pairs:
            if not (own.end_date and theirs.end_date):
                continue
            gap = months_apart(own.end_date, theirs.end_date)
            points = _weighted(_renewal_points(gap), own, theirs)
            if points and (best_window is None or points > best_window[0]):
                when = _gap_words(gap)
                best_window = (
                    points,
                    f"their {area_name.lower()} contract and {member.name}'s end {when}"
                    f"{_caveat(own, theirs)}",
                    f"your {area_name.lower()} contract and {member.name}'s end {when}"
                    f"{_caveat(own, theirs)}",
                )
        if best_window:
            reasons.append(Reason(*best_window))
    return reasons


def _similar_size(a: int | None, b: int | None) -> bool:
    if not a or not b:
        return False
    return max(a, b) / min(a, b) <= SIZE_FACTOR


def score(initiative: InitiativeFacts, candidate: CouncilFacts) -> Match:
    """How much ``candidate`` has in common with ``initiative`` and why.
    Pure: the same facts always give the same score and reasons, in this
    order: needs, work in the area, systems, skills, type and size."""
    reasons: list[Reason] = []
    areas = initiative.service_areas
    for area_id, name in sorted(areas.items(), key=lambda kv: kv[1]):
        if area_id in candidate.need_areas:
            reasons.append(
                Reason(
                    NEED_IN_AREA,
                    f"they need help with {name.lower()}, which this initiative covers",
                    f"it covers {name.lower()}, where you have a need",
                )
            )
    worked = sorted({s.service_area for s in candidate.systems if s.service_area_id in areas})
    for name in worked:
        reasons.append(
            Reason(
                WORKS_IN_AREA,
                f"they run {name.lower()} systems too",
                f"you run {name.lower()} systems too",
            )
        )
    compared = areas or {
        s.service_area_id: s.service_area for member in initiative.team for s in member.systems
    }
    reasons.extend(_system_reasons(initiative, candidate, compared))

    offered = [
        name
        for skill_id, name in sorted(initiative.skills_needed.items(), key=lambda kv: kv[1])
        if skill_id in candidate.skills_offered
    ]
    for name in offered:
        reasons.append(
            Reason(
                SKILL_OFFERED,
                f"they offer {name.lower()}, which you need",
                f"you offer {name.lower()}, which it needs",
            )
        )
    lead = initiative.lead
    if lead and lead.id != candidate.id:
        if candidate.authority_type and candidate.authority_type == lead.authority_type:
            kind = candidate.authority_type.lower()
            reasons.append(
                Reason(
                    SAME_AUTHORITY_TYPE,
                    f"they are a {kind}, as {lead.name} is",
                    f"the lead, {lead.name}, is a {kind} too",
                )
            )
        if _similar_size(candidate.population, lead.population):
            reasons.append(
                Reason(
                    SIMILAR_SIZE,
                    f"they serve a population of a similar size to {lead.name}'s",
                    f"the lead, {lead.name}, serves a population of a similar size",
                )
            )
    total = round(sum(r.points for r in reasons), 2)
    return Match(candidate=candidate, initiative=initiative, score=total, reasons=tuple(reasons))


def rank_candidates(
    initiative: InitiativeFacts, candidates: Iterable[CouncilFacts], *, limit: int | None = None
) -> list[Match]:
    """Candidates with anything in common, best first (ties by name, so the
    order is stable). Members of the team are not candidates."""
    team = {member.id for member in initiative.team}
    matches = [score(initiative, c) for c in candidates if c.id not in team]
    ranked = sorted((m for m in matches if m.score > 0), key=lambda m: (-m.score, m.candidate.name))
    return ranked[:limit] if limit is not None else ranked


def rank_initiatives(
    candidate: CouncilFacts, initiatives: Iterable[InitiativeFacts], *, limit: int | None = None
) -> list[Match]:
    """Initiatives a council has most in common with, best first (ties by
    title). Initiatives whose team already includes it are left out."""
    matches = [
        score(i, candidate) for i in initiatives if candidate.id not in {m.id for m in i.team}
    ]
    ranked = sorted(
        (m for m in matches if m.score > 0), key=lambda m: (-m.score, m.initiative.title)
    )
    return ranked[:limit] if limit is not None else ranked
