"""Cost sharing: pure arithmetic, no database.

Given an initiative's estimated total (whole pence), its split method and the
organisations that share the cost, work out each one's share, what going alone
would cost (the whole total) and the saving. Shares are whole pence and always
add up exactly to the total: we split with the largest-remainder (Hamilton)
method, breaking ties by organisation id so the answer never depends on the
order rows came back from the database.

Kept free of Django models so it can be property-tested at speed and reused by
the page, the API and the digests alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

FULL_SHARE_BASIS_POINTS = 10_000

# Split methods, spelled as ``Initiative.CostSplit`` values (kept as plain
# strings here so this module does not import models).
EQUAL = "equal"
POPULATION = "population"
CUSTOM = "custom"
METHODS = (EQUAL, POPULATION, CUSTOM)


@dataclass(frozen=True)
class Participant:
    """An organisation that shares the cost (the lead and committed partners)."""

    organisation_id: int
    name: str = ""
    population: int | None = None
    basis_points: int | None = None


@dataclass(frozen=True)
class Share:
    """One participant's part of the total, beside what going alone would cost."""

    participant: Participant
    weight: int
    share_pence: int
    alone_pence: int

    @property
    def saving_pence(self) -> int:
        return self.alone_pence - self.share_pence

    @property
    def organisation_id(self) -> int:
        return self.participant.organisation_id


@dataclass(frozen=True)
class CostSplitResult:
    """The whole split: the method asked for, the method actually applied
    (population falls back to equal when a population is missing), the shares
    in the participants' order, and notes that explain any adjustment."""

    total_pence: int
    method: str
    applied_method: str
    shares: tuple[Share, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    fell_back_to_equal: bool = False
    normalised: bool = False

    @property
    def total_weight(self) -> int:
        return sum(share.weight for share in self.shares)

    @property
    def largest_share_pence(self) -> int:
        return max((share.share_pence for share in self.shares), default=0)


def allocate_largest_remainder(
    total: int, weights: Sequence[int], tie_break: Sequence[int]
) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into non-negative integers
    that sum exactly to ``total``.

    Each part first gets the floor of its exact quota; the pennies left over go
    one each to the largest remainders, ties going to the smaller
    ``tie_break`` key (organisation id). Integer arithmetic throughout, so a
    trillion pence splits exactly.
    """
    if total < 0:
        raise ValueError("The total cannot be negative.")
    if len(weights) != len(tie_break):
        raise ValueError("Each weight needs a tie-break key.")
    if any(weight < 0 for weight in weights):
        raise ValueError("Weights cannot be negative.")
    weight_sum = sum(weights)
    if not weights:
        return []
    if weight_sum == 0:
        raise ValueError("At least one weight must be positive.")
    floors = []
    remainders = []
    for weight in weights:
        quotient, remainder = divmod(total * weight, weight_sum)
        floors.append(quotient)
        remainders.append(remainder)
    leftover = total - sum(floors)  # always < len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], tie_break[i], i))
    for index in order[:leftover]:
        floors[index] += 1
    return floors


def split_costs(
    *, total_pence: int, method: str, participants: Sequence[Participant]
) -> CostSplitResult:
    """Share ``total_pence`` among ``participants`` by ``method``.

    - equal: everyone pays the same, give or take a penny;
    - population: proportional to population; if anyone's population is
      missing or zero we fall back to equal for all (and say so), because a
      partial population split would silently load the cost onto the others;
    - custom: proportional to each participant's basis points (100 = 1%); if
      they do not add up to 10,000 they are normalised proportionally (and
      flagged); if all are zero or unset, equal.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown split method {method!r}.")
    if total_pence < 0:
        raise ValueError("The total cannot be negative.")
    notes: list[str] = []
    applied = method
    fell_back = False
    normalised = False
    if not participants:
        return CostSplitResult(
            total_pence=total_pence,
            method=method,
            applied_method=method,
            shares=(),
            notes=("No organisation has committed to share the cost yet.",),
        )

    if method == POPULATION:
        populations = [p.population or 0 for p in participants]
        if any(pop <= 0 for pop in populations):
            missing = [p.name or str(p.organisation_id) for p in participants if not p.population]
            notes.append(
                "Population is not known for "
                + ", ".join(missing)
                + ", so the cost is split equally instead."
            )
            applied, fell_back = EQUAL, True
            weights = [1] * len(participants)
        else:
            weights = populations
    elif method == CUSTOM:
        points = [max(p.basis_points or 0, 0) for p in participants]
        total_points = sum(points)
        if total_points == 0:
            notes.append("No custom shares have been set, so the cost is split equally instead.")
            applied, fell_back = EQUAL, True
            weights = [1] * len(participants)
        else:
            weights = points
            if total_points != FULL_SHARE_BASIS_POINTS:
                normalised = True
                notes.append(
                    f"The custom shares add up to {total_points / 100:g}% rather than 100%, "
                    "so they have been scaled proportionally."
                )
    else:
        weights = [1] * len(participants)

    amounts = allocate_largest_remainder(
        total_pence, weights, [p.organisation_id for p in participants]
    )
    shares = tuple(
        Share(participant=p, weight=w, share_pence=amount, alone_pence=total_pence)
        for p, w, amount in zip(participants, weights, amounts, strict=True)
    )
    return CostSplitResult(
        total_pence=total_pence,
        method=method,
        applied_method=applied,
        shares=shares,
        notes=tuple(notes),
        fell_back_to_equal=fell_back,
        normalised=normalised,
    )
