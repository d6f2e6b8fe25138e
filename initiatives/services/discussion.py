"""Discussion: Markdown comments on an initiative, with a short edit window,
soft deletion (a tombstone keeps the thread's shape and the moderation trail)
and flags that bring a comment to the platform admins' attention."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.selectors import staff_addresses
from councils.selectors import active_membership_for
from notifications import emails
from notifications.outbox import notify
from notifications.services import record_activity

from .. import policies
from ..models import Comment, CommentFlag, Initiative

EDIT_WINDOW_CLOSED = (
    f"You can only edit a comment in the {Comment.EDIT_WINDOW_MINUTES} minutes after "
    "posting it. Post a new comment instead."
)


class FlagOutcome(models.TextChoices):
    """What a moderator decided about a flagged comment."""

    DELETE_COMMENT = "delete", "Delete the comment"
    DISMISS = "dismiss", "Dismiss the flag"


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter your comment."})
    return body


def post_comment(*, initiative: Initiative, by, body: str) -> Comment:
    """Add ``by``'s comment to the discussion, on behalf of their organisation.

    Anyone who can see the initiative and acts for an active organisation may
    take part (``policies.can_comment``); the body is stored as typed and only
    ever rendered through the sanitising ``|markdown`` filter.
    """
    if not policies.can_comment(by, initiative):
        raise PermissionDenied("You cannot comment on this initiative.")
    membership = active_membership_for(by)
    comment = Comment(
        initiative=initiative,
        author=by,
        organisation=membership.organisation,
        body=_clean_body(body),
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        record_activity(
            verb="comment.posted",
            actor=by,
            organisation=initiative.lead_organisation,
            target=initiative,
            summary=f"{by.display_name} ({membership.organisation.name}) commented",
            data={"comment_id": comment.pk},
        )
    return comment


def _locked(comment: Comment) -> Comment:
    """Re-read the comment under a row lock so an edit and a deletion racing
    each other apply one after the other, each seeing the other's result."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    locked.initiative = comment.initiative
    return locked


def edit_comment(*, comment: Comment, by, body: str) -> Comment:
    """Change a comment's text. Only its author, only while it stands, and only
    within ``Comment.EDIT_WINDOW_MINUTES`` of posting, so a reply is never left
    answering words that have since changed; later, a clear refusal."""
    body = _clean_body(body)
    with transaction.atomic():
        comment = _locked(comment)
        if comment.author_id != getattr(by, "pk", None):
            raise PermissionDenied("Only the author can edit a comment.")
        if comment.deleted_at is not None:
            raise ValidationError("This comment has been deleted.")
        if not policies.comment_edit_window_open(comment):
            raise ValidationError({"body": EDIT_WINDOW_CLOSED})
        comment.body = body
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "edited_at"])
        record_activity(
            verb="comment.edited",
            actor=by,
            organisation=comment.initiative.lead_organisation,
            target=comment.initiative,
            summary=f"{by.display_name} edited a comment",
            data={"comment_id": comment.pk},
        )
    return comment


def _soft_delete(comment: Comment, by, *, now) -> None:
    comment.deleted_at = now
    comment.deleted_by = by
    comment.save(update_fields=["deleted_at", "deleted_by"])
    # Nothing is left to moderate: close the comment's open flags.
    CommentFlag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by
    )


def delete_comment(*, comment: Comment, by) -> Comment:
    """Soft-delete a comment: the author, the lead's admins (who host the
    discussion) or platform staff. The row stays, with who deleted it, and is
    rendered as a "Comment deleted" tombstone so the thread keeps its shape."""
    with transaction.atomic():
        comment = _locked(comment)
        if comment.deleted_at is not None:
            raise ValidationError("This comment has already been deleted.")
        if not policies.can_delete_comment(by, comment):
            raise PermissionDenied("You cannot delete this comment.")
        _soft_delete(comment, by, now=timezone.now())
        record_activity(
            verb="comment.deleted",
            actor=by,
            organisation=comment.initiative.lead_organisation,
            target=comment.initiative,
            summary=f"{by.display_name} deleted a comment",
            data={"comment_id": comment.pk, "by_author": comment.author_id == by.pk},
        )
    return comment


def flag_comment(*, comment: Comment, by, reason: str) -> CommentFlag:
    """Bring a comment to the platform admins' attention, with a reason. Each
    person flags a comment once (the database enforces it, so a double click
    cannot flag twice); staff are e-mailed once the flag is saved."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Tell us what is wrong with this comment."})
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason must be 500 characters or fewer."})
    if not policies.can_flag_comment(by, comment):
        raise PermissionDenied("You cannot flag this comment.")
    already = ValidationError({"reason": "You have already flagged this comment."})
    if CommentFlag.objects.filter(comment=comment, flagged_by=by).exists():
        raise already
    try:
        with transaction.atomic():
            flag = CommentFlag.objects.create(comment=comment, flagged_by=by, reason=reason)
            notify(
                verb="comment.flagged",
                actor=by,
                organisation=None,  # moderation is private: not in followers' feeds
                target=flag,
                summary=f"Comment {comment.pk} flagged for moderation",
                data={"comment_id": comment.pk, "initiative_id": comment.initiative_id},
                emails=emails.comment_flagged(flag, recipients=staff_addresses()),
            )
    except IntegrityError:
        raise already from None
    return flag


def resolve_flag(*, flag: CommentFlag, by, outcome: str) -> CommentFlag:
    """A platform admin decides a flag: delete the comment (which closes every
    open flag on it) or dismiss this flag and leave the comment standing."""
    if not policies.can_moderate(by):
        raise PermissionDenied("Only platform admins moderate comments.")
    if outcome not in FlagOutcome.values:
        raise ValidationError({"outcome": "Choose whether to delete the comment or dismiss."})
    with transaction.atomic():
        flag = CommentFlag.objects.select_for_update().select_related("comment").get(pk=flag.pk)
        if flag.resolved_at is not None:
            raise ValidationError("This flag has already been resolved.")
        now = timezone.now()
        comment = flag.comment
        if outcome == FlagOutcome.DELETE_COMMENT and comment.deleted_at is None:
            comment = Comment.objects.select_for_update().get(pk=comment.pk)
            _soft_delete(comment, by, now=now)
        flag.resolved_at = now
        flag.resolved_by = by
        flag.save(update_fields=["resolved_at", "resolved_by"])
        record_activity(
            verb="comment.flag_resolved",
            actor=by,
            organisation=None,
            target=flag,
            summary=f"Flag on comment {comment.pk}: {FlagOutcome(outcome).label.lower()}",
            data={"comment_id": comment.pk, "outcome": outcome},
        )
    return flag
