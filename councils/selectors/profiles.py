"""Reads of council profiles, driven by the registry in ``profile_parts``."""

from __future__ import annotations

from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Organisation
from ..profile_parts import PROFILE_PARTS, ProfilePart


def profile_rows(organisation: Organisation, part: ProfilePart) -> QuerySet:
    """The organisation's rows of one part, with their taxonomy joined."""
    rows = part.model.objects.filter(organisation=organisation).select_related(part.select_related)
    return rows.order_by(*part.order_by) if part.order_by else rows


def profile_row_or_404(organisation: Organisation, part: ProfilePart, pk: int) -> Model:
    """A row of this organisation's profile: another council's pk is a 404 like a missing one."""
    return get_object_or_404(profile_rows(organisation, part), pk=pk)


def whole_profile(organisation: Organisation) -> dict[str, QuerySet]:
    """Every part's rows, keyed by the part's related name (as templates name them)."""
    return {part.related_name: profile_rows(organisation, part) for part in PROFILE_PARTS.values()}


def with_whole_profile(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """``queryset`` with every part prefetched: one query per part, whatever its size."""
    return queryset.select_related("successor").prefetch_related(
        *(
            Prefetch(part.related_name, part.model.objects.select_related(part.select_related))
            for part in PROFILE_PARTS.values()
        )
    )
