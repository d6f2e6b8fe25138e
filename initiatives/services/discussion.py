"""Discussion: updates (short status reports by the lead and committed
partners, so a council reports progress once and every partner and follower
sees it) and Markdown comments, with a short edit window and soft deletion (a
tombstone keeps the thread's shape and the moderation trail). Flags and their
resolution are ``services.moderation``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.doors import enforce
from councils.selectors.people import active_membership_for
from notifications.outbox import notify

from .. import policies
from ..models import Comment, CommentFlag, Initiative, Update


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
        notify(
            verb="comment.posted",
            actor=by,
            organisation=initiative.lead_organisation,
            target=initiative,
            # Feeds and digests read summaries: no person's name here. The
            # author is the actor, shown through {% person %} to whoever may
            # see names; the council is fine to name.
            summary=f"A comment from {membership.organisation.name}",
            data={"comment_id": comment.pk, "organisation_id": membership.organisation_id},
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
        enforce(policies.edit_comment_refusal(by, comment))
        comment.body = body
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "edited_at"])
        notify(
            verb="comment.edited",
            actor=by,
            organisation=comment.initiative.lead_organisation,
            target=comment.initiative,
            summary=f"A comment from {comment.organisation.name} was edited",
            data={"comment_id": comment.pk},
        )
    return comment


def soft_delete(comment: Comment, by, *, now) -> None:
    """Tombstone a locked comment and close its open flags (the author's,
    the lead's or a moderator's deletion alike)."""
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
        soft_delete(comment, by, now=timezone.now())
        notify(
            verb="comment.deleted",
            actor=by,
            organisation=comment.initiative.lead_organisation,
            target=comment.initiative,
            summary=f"A comment from {comment.organisation.name} was deleted",
            data={"comment_id": comment.pk, "by_author": comment.author_id == by.pk},
        )
    return comment


# --- updates ---------------------------------------------------------------------------


def post_update(*, initiative: Initiative, by, title: str, body: str) -> Update:
    """Publish an update on ``initiative`` on behalf of ``by``'s organisation.

    Only the people doing the work may report on it: active members of the
    lead or of a committed/active partner (``policies.can_post_update``). The
    initiative's ``updated_at`` moves too, so "recently updated" in the
    catalogue reflects real progress. E-mailing followers is the digests' job;
    here we record the activity they read.
    """
    if not policies.can_post_update(by, initiative):
        raise PermissionDenied("Only the lead and committed partners can post updates.")
    membership = active_membership_for(by)
    update = Update(
        initiative=initiative,
        organisation=membership.organisation,
        author=by,
        title=(title or "").strip(),
        body=(body or "").strip(),
    )
    update.full_clean()
    with transaction.atomic():
        update.save()
        now = timezone.now()
        Initiative.objects.filter(pk=initiative.pk).update(updated_at=now)
        initiative.updated_at = now
        notify(
            verb="update.posted",
            actor=by,
            organisation=initiative.lead_organisation,
            target=initiative,
            summary=f"{membership.organisation.name} posted an update: {update.title}",
            data={"update_id": update.pk, "organisation_id": membership.organisation_id},
        )
    return update
