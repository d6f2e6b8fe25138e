"""Writes about cost sharing: the lead records the custom split agreed with
its partners. The arithmetic lives in ``initiatives.cost_split``; who shares
the cost is ``selectors.cost_sharing.cost_sharing_partnerships``."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.outbox import notify

from ..cost_split import FULL_SHARE_BASIS_POINTS
from ..models import Initiative, Partnership
from ..policies import can_set_cost_shares
from ..selectors.cost_sharing import cost_sharing_partnerships


def set_custom_shares(
    *, initiative: Initiative, shares: Mapping[int, int], by
) -> list[Partnership]:
    """Record each cost-sharing organisation's custom share in basis points
    (100 = 1%), keyed by organisation id.

    Every organisation currently sharing the cost must be given a share and
    together they must make exactly 100%, so what the lead records is a whole
    agreement; if partners later join or leave, the calculator normalises and
    says so on the page until the lead records a new split.
    """
    if not can_set_cost_shares(by, initiative):
        raise PermissionDenied("Only the lead organisation's admins can set cost shares.")
    errors: list[str] = []
    cleaned: dict[int, int] = {}
    for org_id, points in shares.items():
        if isinstance(points, bool) or not isinstance(points, int):
            errors.append("Each share must be a whole number of basis points.")
        elif not 0 <= points <= FULL_SHARE_BASIS_POINTS:
            errors.append("Each share must be between 0% and 100%.")
        else:
            cleaned[int(org_id)] = points
    if errors:
        raise ValidationError({"shares": sorted(set(errors))})
    with transaction.atomic():
        partnerships = list(cost_sharing_partnerships(initiative).select_for_update(of=("self",)))
        by_org = {p.organisation_id: p for p in partnerships}
        unknown = set(cleaned) - set(by_org)
        missing = set(by_org) - set(cleaned)
        if unknown:
            errors.append("Shares can only be given to the lead and committed partners.")
        if missing:
            names = ", ".join(sorted(by_org[org_id].organisation.name for org_id in missing))
            errors.append(f"Give a share for every organisation sharing the cost: {names}.")
        total = sum(cleaned.values())
        if not errors and total != FULL_SHARE_BASIS_POINTS:
            errors.append(f"The shares must add up to 100%; they add up to {total / 100:g}%.")
        if errors:
            raise ValidationError({"shares": errors})
        now = timezone.now()
        for org_id, partnership in by_org.items():
            partnership.custom_share_basis_points = cleaned[org_id]
            partnership.updated_at = now
            partnership.save(update_fields=["custom_share_basis_points", "updated_at"])
        notify(
            verb="initiative.cost_shares_set",
            actor=by,
            organisation=initiative.lead_organisation,
            target=initiative,
            summary="The lead recorded custom cost shares",
            data={"shares": {str(k): v for k, v in sorted(cleaned.items())}},
        )
    return partnerships
