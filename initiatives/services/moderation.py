"""Moderation: anyone who can see a comment flags it for the platform
admins, with a reason; a platform admin resolves the flag by deleting the
comment or dismissing the flag."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.selectors import staff_addresses
from notifications import emails
from notifications.outbox import notify

from .. import policies
from ..models import Comment, CommentFlag
from .discussion import soft_delete


class FlagOutcome(models.TextChoices):
    """What a moderator decided about a flagged comment."""

    DELETE_COMMENT = "delete", "Delete the comment"
    DISMISS = "dismiss", "Dismiss the flag"


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
            soft_delete(comment, by, now=now)
        flag.resolved_at = now
        flag.resolved_by = by
        flag.save(update_fields=["resolved_at", "resolved_by"])
        notify(
            verb="comment.flag_resolved",
            actor=by,
            organisation=None,
            target=flag,
            summary=f"Flag on comment {comment.pk}: {FlagOutcome(outcome).label.lower()}",
            data={"comment_id": comment.pk, "outcome": outcome},
        )
    return flag
