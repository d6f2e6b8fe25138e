"""Reads for the moderation queue of flagged comments (platform admins)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ..models import CommentFlag


def open_flags() -> QuerySet[CommentFlag]:
    """The moderation queue: unresolved flags, oldest first, with the comment,
    its author and initiative joined (one query for the page)."""
    return (
        CommentFlag.objects.filter(resolved_at__isnull=True)
        .select_related(
            "comment__initiative", "comment__author", "comment__organisation", "flagged_by"
        )
        .order_by("created_at", "id")
    )


def moderation_overview(*, limit: int = 5) -> dict:
    """The oldest open flags and how many there are, for a platform admin's
    dashboard. Two queries, whatever the data."""
    flags = open_flags()
    return {"flags": list(flags[:limit]), "count": flags.count()}


def get_open_flag(pk: int) -> CommentFlag:
    """Access helper for moderators: an unresolved flag, or 404."""
    try:
        return open_flags().get(pk=pk)
    except CommentFlag.DoesNotExist:
        raise Http404("No such open flag.") from None
