"""Reads for the initiative page's updates, discussion and cost-sharing
sections, and for the moderation queue.

``discussion_section`` runs a constant number of queries whatever the number
of updates, comments or partners: rows come with their authors and
organisations joined, the viewer's membership is fetched once (and cached on
the user), and per-comment permission flags are computed in Python.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from councils.selectors import active_membership_for

from . import policies
from .cost_sharing import CostSplitResult, Participant, split_costs
from .models import Comment, CommentFlag, Initiative, Update
from .policies import can_set_cost_shares
from .services.cost_sharing import cost_sharing_partnerships

# Geometry of the cost-sharing bar chart, in SVG user units. The chart is
# decoration for sighted users; the table is its accessible equivalent.
CHART_WIDTH = 640
CHART_LABEL_WIDTH = 210
CHART_BAR_MAX = 300
CHART_ROW_HEIGHT = 40
CHART_BAR_HEIGHT = 24
CHART_LABEL_CHARS = 28


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


def _can_flag(user, comment: Comment, *, can_view: bool, flagged_ids: set[int]) -> bool:
    """``policies.can_flag_comment`` with visibility decided once for the page
    (the policy would ask the database per comment), and hiding the action on
    comments the user has already flagged."""
    if not can_view or user is None or not user.is_authenticated or not user.is_active:
        return False
    if comment.deleted_at is not None or comment.author_id == user.pk:
        return False
    return comment.pk not in flagged_ids


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


@dataclass(frozen=True)
class CostShareRow:
    organisation_id: int
    name: str
    basis: str
    share_pence: int
    alone_pence: int
    saving_pence: int
    # Chart geometry (SVG user units).
    label: str
    y: int
    share_width: float
    alone_width: float

    @property
    def text_y(self) -> int:
        return self.y + CHART_BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> float:
        return CHART_LABEL_WIDTH + self.alone_width + 8


def _basis(result: CostSplitResult, share, weight_total: int) -> str:
    percent = f"{share.weight * 100 / weight_total:.2f}%" if weight_total else "0.00%"
    if result.applied_method == "population":
        return f"Population {share.participant.population:,} ({percent})"
    if result.applied_method == "custom":
        entered = share.participant.basis_points or 0
        if result.normalised:
            return f"{percent} (entered as {entered / 100:.2f}%)"
        return percent
    return f"Equal share ({percent})"


def cost_sharing_section(*, initiative: Initiative, user=None) -> dict:
    """Each cost-sharing organisation's share of the estimate beside what going
    alone would cost, for the table and the chart. One query."""
    can_set = can_set_cost_shares(user, initiative)
    method_label = Initiative.CostSplit(initiative.cost_split_method).label
    base = {
        "has_estimate": initiative.estimated_cost_pence is not None,
        "method": initiative.cost_split_method,
        "method_label": method_label,
        "can_set_custom_shares": can_set
        and initiative.cost_split_method == Initiative.CostSplit.CUSTOM,
        "rows": [],
        "notes": [],
    }
    if initiative.estimated_cost_pence is None:
        return base
    total = initiative.estimated_cost_pence
    result = split_costs(
        total_pence=total,
        method=initiative.cost_split_method,
        participants=_participants(initiative),
    )
    weight_total = result.total_weight
    rows = []
    for index, share in enumerate(result.shares):
        name = share.participant.name
        label = name if len(name) <= CHART_LABEL_CHARS else name[: CHART_LABEL_CHARS - 1] + "…"
        rows.append(
            CostShareRow(
                organisation_id=share.organisation_id,
                name=name,
                basis=_basis(result, share, weight_total),
                share_pence=share.share_pence,
                alone_pence=share.alone_pence,
                saving_pence=share.saving_pence,
                label=label,
                y=10 + index * CHART_ROW_HEIGHT,
                share_width=round(CHART_BAR_MAX * share.share_pence / total, 1) if total else 0,
                alone_width=CHART_BAR_MAX if total else 0,
            )
        )
    count = len(rows)
    return {
        **base,
        "total_pence": total,
        "applied_method": result.applied_method,
        "applied_method_label": Initiative.CostSplit(result.applied_method).label,
        "rows": rows,
        "notes": list(result.notes),
        "alone_total_pence": total * count,
        "saving_total_pence": total * count - total,
        "chart": {
            "width": CHART_WIDTH,
            "height": 20 + count * CHART_ROW_HEIGHT,
            "bar_x": CHART_LABEL_WIDTH,
            "bar_height": CHART_BAR_HEIGHT,
        },
    }


def discussion_section(*, initiative: Initiative, user) -> dict:
    """Everything the updates, discussion and cost-sharing includes need.

    Queries (constant): updates; comments; the viewer's flags (signed in);
    cost-sharing partnerships; plus what the policies ask once (membership,
    visibility of a non-public initiative, the viewer's partnership).
    """
    from .discussion_forms import CommentForm, UpdateForm

    for_user = user if user is not None and user.is_authenticated else None
    active_membership_for(for_user)  # fetch once; cached on the user for the policies
    can_view = policies.can_view_initiative(user, initiative)
    flagged_ids: set[int] = set()
    if for_user is not None:
        flagged_ids = set(
            CommentFlag.objects.filter(
                flagged_by=for_user, comment__initiative=initiative
            ).values_list("comment_id", flat=True)
        )
    comments = list(comments_for(initiative))
    for comment in comments:
        comment.initiative = initiative  # the policies read it; no query per row
        comment.can_edit = policies.can_edit_comment(user, comment)
        comment.can_delete = policies.can_delete_comment(user, comment)
        comment.can_flag = _can_flag(user, comment, can_view=can_view, flagged_ids=flagged_ids)
        comment.flagged_by_me = comment.pk in flagged_ids
    can_post_update = policies.can_post_update(user, initiative)
    can_comment = policies.can_comment(user, initiative)
    return {
        "updates": list(updates_for(initiative)),
        "comments": comments,
        "can_post_update": can_post_update,
        "can_comment": can_comment,
        "update_form": UpdateForm() if can_post_update else None,
        "comment_form": CommentForm() if can_comment else None,
        "cost_sharing": cost_sharing_section(initiative=initiative, user=user),
    }


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


def get_open_flag(pk: int) -> CommentFlag:
    try:
        return open_flags().get(pk=pk)
    except CommentFlag.DoesNotExist:
        raise Http404("No such open flag.") from None
