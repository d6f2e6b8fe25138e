"""Following an initiative: a personal subscription to its activity (digests
and the dashboard read it). Both operations are idempotent, so a double click,
a retry or two tabs cannot create two rows or fail.

Following is not recorded as activity: it is a private preference, not
something that happened to the initiative, and partners' digests should not
list who subscribed.
"""

from django.db import IntegrityError, transaction

from ..models import Follow, Initiative


def follow_initiative(*, initiative: Initiative, user) -> Follow:
    """Make ``user`` follow ``initiative`` (no-op when already following).

    Called by the follow button and automatically when someone expresses
    interest or signs off, so people hear about what they joined."""
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(user=user, initiative=initiative)
    except IntegrityError:
        # Lost a race with a concurrent request for the same pair: the row exists.
        follow = Follow.objects.get(user=user, initiative=initiative)
    return follow


def unfollow_initiative(*, initiative: Initiative, user) -> bool:
    """Stop ``user`` following ``initiative``; returns whether a follow existed."""
    deleted, _ = Follow.objects.filter(user=user, initiative=initiative).delete()
    return deleted > 0
