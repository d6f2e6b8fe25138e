"""Reads about following an initiative."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from ..models import Follow, Initiative


@dataclass(frozen=True)
class FollowState:
    """How many follow an initiative, and whether the viewer does."""

    follower_count: int
    is_following: bool


def follow_state(*, initiative: Initiative, user) -> FollowState:
    """The follower count and whether ``user`` follows: one aggregate query."""
    follows = Follow.objects.filter(initiative=initiative)
    if user is None or not user.is_authenticated:
        return FollowState(follower_count=follows.count(), is_following=False)
    result = follows.aggregate(total=Count("id"), mine=Count("id", filter=Q(user_id=user.pk)))
    return FollowState(follower_count=result["total"], is_following=bool(result["mine"]))
