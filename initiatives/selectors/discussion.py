"""Reads for an initiative's updates and discussion.

``discussion`` runs a constant number of queries whatever the number of
updates or comments: rows come with their authors and organisations joined,
the viewer's membership is fetched once (and cached on the user), and the
per-comment permissions come from ``policies`` with the comment's initiative
already in hand, so no policy asks the database per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from councils.selectors.people import active_membership_for

from .. import policies
from ..models import Comment, CommentFlag, Initiative, Update


def get_comment_for_user(user, initiative: Initiative, pk: int) -> Comment:
    """Access helper: a comment on an initiative the caller already resolved
    through ``get_initiative_for_user``; 404 alike for missing, on another
    initiative, or (through the initiative) not visible."""
    try:
        comment = Comment.objects.select_related("author", "organisation").get(
            pk=pk, initiative=initiative
        )
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None
    comment.initiative = initiative
    return comment


def updates_for(initiative: Initiative) -> QuerySet[Update]:
    """Updates, newest first, with author and organisation joined."""
    return (
        Update.objects.filter(initiative=initiative)
        .select_related("author", "organisation")
        .order_by("-created_at", "-id")
    )


def comments_for(initiative: Initiative) -> QuerySet[Comment]:
    """Comments, oldest first (a conversation reads top to bottom)."""
    return (
        Comment.objects.filter(initiative=initiative)
        .select_related("author", "organisation")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class Discussion:
    """An initiative's updates and comments as one viewer sees them. Each
    comment carries ``can_edit``, ``can_delete``, ``can_flag`` and
    ``flagged_by_me`` for that viewer."""

    updates: list[Update]
    comments: list[Comment]
    can_post_update: bool
    can_comment: bool


def discussion(*, initiative: Initiative, user) -> Discussion:
    """Updates and comments with what the viewer may do to each.

    Queries (constant): updates; comments; the viewer's flags (signed in);
    plus what the policies ask once (membership, visibility of a non-public
    initiative, the viewer's partnership).
    """
    for_user = user if user is not None and user.is_authenticated else None
    active_membership_for(for_user)  # fetch once; cached on the user for the policies
    flagged_ids: set[int] = set()
    if for_user is not None:
        flagged_ids = set(
            CommentFlag.objects.filter(
                flagged_by=for_user, comment__initiative=initiative
            ).values_list("comment_id", flat=True)
        )
    # Visibility is the same for every comment on the page: ask once, and let
    # the flag policy answer the rest in Python.
    can_view = policies.can_view_initiative(user, initiative)
    comments = list(comments_for(initiative))
    for comment in comments:
        comment.initiative = initiative  # the policies read it; no query per row
        comment.can_edit = policies.can_edit_comment(user, comment)
        comment.can_delete = policies.can_delete_comment(user, comment)
        comment.flagged_by_me = comment.pk in flagged_ids
        comment.can_flag = (
            can_view
            and not comment.flagged_by_me
            and policies.can_flag_comment(user, comment, can_view=True)
        )
    return Discussion(
        updates=list(updates_for(initiative)),
        comments=comments,
        can_post_update=policies.can_post_update(user, initiative),
        can_comment=policies.can_comment(user, initiative),
    )
