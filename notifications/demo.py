"""Demo data for digests: the demo officer's weekly digest is due as soon as
the demo is seeded, so ``manage.py send_digests --dry-run`` lists them and
``manage.py send_digests`` prints one to the console (``make run``'s e-mail
backend), and the staff "Digests" preview has something to show.

Their period is the week before the seed, so it holds what the other demo
councils did on the initiatives Leeds leads, partners in or follows. Run
last (``seed_demo`` calls it after initiatives and workshops), so the slot
is after every demo activity. The dispatcher sends a slot up to 36 hours
late (``schedule.CATCH_UP``); after that it waits for the next Monday.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import DigestDelivery, NotificationSettings
from .services.preferences import new_settings

DEMO_DIGEST_EMAIL = "oliver.bennett@leeds.gov.uk"


def date_activity_as_its_objects() -> int:
    """Give the demo's activity the dates of what it records.

    The demo builds its history through the real services, which stamp each
    activity with the moment of seeding, and then backdates the objects
    (updates, comments, initiatives, partnership steps, stage changes). Left
    alone, every feed line would say "a minute ago" next to an update dated
    last month. Returns how many rows were re-dated."""
    from datetime import datetime, time

    from initiatives.models import Comment, Initiative, PartnershipEvent, Update

    from .models import Activity

    def first_event(partnership_id, status):
        return (
            PartnershipEvent.objects.filter(partnership_id=partnership_id, to_status=status)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )

    def when(activity):
        data = activity.data if isinstance(activity.data, dict) else {}
        if activity.verb == "update.posted" and data.get("update_id"):
            return (
                Update.objects.filter(pk=data["update_id"])
                .values_list("created_at", flat=True)
                .first()
            )
        if activity.verb == "comment.posted" and data.get("comment_id"):
            return (
                Comment.objects.filter(pk=data["comment_id"])
                .values_list("created_at", flat=True)
                .first()
            )
        if activity.verb == "initiative.created" and activity.target_id:
            return (
                Initiative.objects.filter(pk=activity.target_id)
                .values_list("created_at", flat=True)
                .first()
            )
        if (
            activity.verb.startswith("partnership.")
            and data.get("partnership_id")
            and data.get("status")
        ):
            return first_event(data["partnership_id"], data["status"])
        if activity.verb == "initiative.stage_changed" and data.get("on"):
            # The day the stage changed, as the timeline shows it (mid-morning).
            day = datetime.fromisoformat(data["on"]).date()
            return timezone.make_aware(datetime.combine(day, time(10)))
        return None

    changed = []
    for activity in Activity.objects.filter(verb__in=_DATED_VERBS).iterator():
        moment = when(activity)
        if moment is not None and moment != activity.created_at:
            activity.created_at = moment
            changed.append(activity)
    Activity.objects.bulk_update(changed, ["created_at"], batch_size=500)
    return len(changed)


_DATED_VERBS = [
    "update.posted",
    "comment.posted",
    "initiative.created",
    "initiative.stage_changed",
    "partnership.interested",
    "partnership.committed",
    "partnership.accepted",
    "partnership.declined",
    "partnership.withdrawn",
    "partnership.invited",
]


def seed(stdout: TextIO) -> None:
    """Date the demo's activity as its objects, then make the demo officer's
    digest due now, once: a second seed (theirs is already due, or was
    sent) leaves their schedule alone."""
    date_activity_as_its_objects()
    person = get_user_model().objects.filter(email=DEMO_DIGEST_EMAIL).first()
    if person is None:
        return
    now = timezone.now()
    row = NotificationSettings.objects.filter(user=person).first()
    already_due = row is not None and row.next_digest_at is not None and row.next_digest_at <= now
    if already_due or DigestDelivery.objects.filter(user=person).exists():
        return
    row = row or new_settings(person, now=now)
    row.digest_covered_until = now - timedelta(days=7)
    row.next_digest_at = now
    row.save()
    stdout.write(
        f"Digest due now for {DEMO_DIGEST_EMAIL}: `manage.py send_digests --dry-run` lists it, "
        "`manage.py send_digests` sends it (to the console with `make run`)."
    )
