"""Reads for cost sharing: who shares an initiative's cost and how its
estimate splits between them (``cost_split``), as data that the page, the API
and the digests each present their own way. The arithmetic is the pure
``initiatives.cost_split``; chart geometry belongs to the page's template tags."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ..cost_split import CostSplitResult, Participant, Share, split_costs
from ..models import Initiative, Partnership

# Roles that share the cost: suppliers are paid, they do not pay.
COST_SHARING_ROLES = (Partnership.Role.LEAD, Partnership.Role.PARTNER)


def cost_sharing_partnerships(initiative: Initiative) -> QuerySet[Partnership]:
    """The lead and committed/active partners, in a stable order (lead first)."""
    return (
        Partnership.objects.filter(
            initiative=initiative,
            status__in=Partnership.COMMITTED_STATUSES,
            role__in=COST_SHARING_ROLES,
        )
        .select_related("organisation")
        .order_by("role", "created_at", "id")  # "lead" sorts before "partner"
    )


@dataclass(frozen=True)
class CostShareRow:
    """One organisation's share of the estimate beside what going alone costs."""

    organisation_id: int
    name: str
    basis: str  # how the share was worked out, in words
    share_pence: int
    alone_pence: int
    saving_pence: int


@dataclass(frozen=True)
class CostSplit:
    """How an initiative's estimated cost splits between the organisations
    sharing it. ``total_pence`` is None (and ``rows`` empty) until the lead
    estimates the cost; ``applied_method`` is the method actually used after
    any fallback (population to equal when a population is missing)."""

    method: str
    total_pence: int | None = None
    applied_method: str = ""
    rows: tuple[CostShareRow, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def has_estimate(self) -> bool:
        return self.total_pence is not None

    @property
    def method_label(self) -> str:
        return Initiative.CostSplit(self.method).label

    @property
    def applied_method_label(self) -> str:
        return Initiative.CostSplit(self.applied_method).label if self.applied_method else ""

    @property
    def alone_total_pence(self) -> int:
        """What every sharing organisation going alone would cost together."""
        return sum(row.alone_pence for row in self.rows)

    @property
    def saving_total_pence(self) -> int:
        return sum(row.saving_pence for row in self.rows)


def _participants(initiative: Initiative) -> list[Participant]:
    return [
        Participant(
            organisation_id=p.organisation_id,
            name=p.organisation.name,
            population=p.organisation.population,
            basis_points=p.custom_share_basis_points,
        )
        for p in cost_sharing_partnerships(initiative)
    ]


def _basis(result: CostSplitResult, share: Share) -> str:
    weight_total = result.total_weight
    percent = f"{share.weight * 100 / weight_total:.2f}%" if weight_total else "0.00%"
    if result.applied_method == Initiative.CostSplit.POPULATION:
        return f"Population {share.participant.population:,} ({percent})"
    if result.applied_method == Initiative.CostSplit.CUSTOM:
        entered = share.participant.basis_points or 0
        if result.normalised:
            return f"{percent} (entered as {entered / 100:.2f}%)"
        return percent
    return f"Equal share ({percent})"


def cost_split(initiative: Initiative) -> CostSplit:
    """Each cost-sharing organisation's share of the estimate beside what
    going alone would cost. One query (none before there is an estimate)."""
    if initiative.estimated_cost_pence is None:
        return CostSplit(method=initiative.cost_split_method)
    result = split_costs(
        total_pence=initiative.estimated_cost_pence,
        method=initiative.cost_split_method,
        participants=_participants(initiative),
    )
    return CostSplit(
        method=initiative.cost_split_method,
        total_pence=result.total_pence,
        applied_method=result.applied_method,
        rows=tuple(
            CostShareRow(
                organisation_id=share.organisation_id,
                name=share.participant.name,
                basis=_basis(result, share),
                share_pence=share.share_pence,
                alone_pence=share.alone_pence,
                saving_pence=share.saving_pence,
            )
            for share in result.shares
        ),
        notes=result.notes,
    )
