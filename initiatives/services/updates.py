"""Updates: short status reports by the lead or a committed partner, so a
council reports progress once and every partner and follower sees it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from councils.selectors import active_membership_for
from notifications.services import record_activity

from .. import policies
from ..models import Initiative, Update


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
        record_activity(
            verb="update.posted",
            actor=by,
            organisation=initiative.lead_organisation,
            target=initiative,
            summary=f"{membership.organisation.name} posted an update: {update.title}",
            data={"update_id": update.pk, "organisation_id": membership.organisation_id},
        )
    return update
