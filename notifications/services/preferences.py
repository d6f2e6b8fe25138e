"""People's notification settings: created with defaults on first need,
changed only here, so ``next_digest_at`` always matches the schedule."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .. import schedule
from ..models import DigestFrequency, NotificationSettings, Unsubscription
from ..unsubscribe import LISTS, UnsubscribeToken

# A visit is written at most this often per person: enough for "what have
# they already seen", without a write on every page.
VISIT_RESOLUTION = timedelta(minutes=5)

EDITABLE_FIELDS = frozenset(
    {
        "digest_frequency",
        "digest_weekday",
        "digest_hour",
        "topic_my_council",
        "topic_following",
        "topic_new_matching",
        "topic_workshops",
        "topic_approvals",
        "immediate_workshop_invitations",
        "immediate_signoff_requests",
        "immediate_membership_decisions",
        "immediate_partnership_decisions",
    }
)


def _schedule(row: NotificationSettings, *, after: datetime) -> None:
    row.next_digest_at = schedule.next_slot(
        frequency=row.digest_frequency,
        weekday=row.digest_weekday,
        hour=row.digest_hour,
        after=after,
    )


def new_settings(user, *, now: datetime | None = None) -> NotificationSettings:
    """An unsaved row with the defaults and its first slot scheduled. The
    first digest covers from now: nobody is sent their whole history."""
    now = now or timezone.now()
    row = NotificationSettings(user=user, digest_covered_until=now)
    _schedule(row, after=now)
    return row


def settings_for(user) -> NotificationSettings:
    """The person's settings, created with the defaults if they have none."""
    row = NotificationSettings.objects.filter(user=user).first()
    if row is not None:
        return row
    row = new_settings(user)
    NotificationSettings.objects.bulk_create([row], ignore_conflicts=True)
    return NotificationSettings.objects.get(user=user)


def ensure_settings_for_everyone(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Give every active person without settings the default row, in batches
    (the dispatcher's first step, so a new sign-up gets the weekly digest)."""
    User = get_user_model()
    missing = (
        User.objects.filter(is_active=True)
        .exclude(Exists(NotificationSettings.objects.filter(user=OuterRef("pk"))))
        .order_by("pk")
    )
    created = 0
    while True:
        users = list(missing[:batch_size])
        if not users:
            return created
        NotificationSettings.objects.bulk_create(
            [new_settings(user, now=now) for user in users], ignore_conflicts=True
        )
        created += len(users)


def update_settings(*, user, changes: dict[str, Any]) -> NotificationSettings:
    """Change the person's own settings. Unknown fields are refused; the next
    digest is rescheduled from now when the schedule changes."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This setting cannot be changed."))
    with transaction.atomic():
        row = settings_for(user)
        row = NotificationSettings.objects.select_for_update().get(pk=row.pk)
        for name, value in changes.items():
            setattr(row, name, value)
        row.full_clean(exclude=["user"])
        if {"digest_frequency", "digest_weekday", "digest_hour"} & set(changes):
            _schedule(row, after=timezone.now())
        row.save()
    return row


def record_visit(user, *, now: datetime | None = None) -> None:
    """Note that the person has just looked at the platform (at most once per
    ``VISIT_RESOLUTION``), so their next digest starts after what they saw."""
    now = now or timezone.now()
    updated = NotificationSettings.objects.filter(user=user).exclude(
        last_seen_at__gt=now - VISIT_RESOLUTION
    )
    if (
        not updated.update(last_seen_at=now)
        and not NotificationSettings.objects.filter(user=user).exists()
    ):
        row = new_settings(user, now=now)
        row.last_seen_at = now
        NotificationSettings.objects.bulk_create([row], ignore_conflicts=True)


def unsubscribe(*, token: UnsubscribeToken) -> bool:
    """Turn off the one list the token names, once. Returns False when the
    token was already used (or its person has gone): nothing changes."""
    User = get_user_model()
    user = User.objects.filter(pk=token.user_id, is_active=True).first()
    if user is None:
        return False
    field, off = LISTS[token.list_name]
    with transaction.atomic():
        _, created = Unsubscription.objects.get_or_create(
            nonce=token.nonce, defaults={"user": user, "list_name": token.list_name}
        )
        if not created:
            return False
        row = settings_for(user)
        setattr(row, field, off)
        if field == "digest_frequency":
            row.next_digest_at = None
        row.save(update_fields=[field, "next_digest_at", "updated_at"])
    return True


def wants_immediate(user, list_name: str) -> bool:
    """Whether the person still takes this kind of immediate e-mail (an
    address without an account always does: the message is how they join)."""
    if user is None or list_name not in LISTS or list_name == "digest":
        return True
    row = NotificationSettings.objects.filter(user=user).only(LISTS[list_name][0]).first()
    return True if row is None else bool(getattr(row, LISTS[list_name][0]))


__all__ = [
    "DigestFrequency",
    "ensure_settings_for_everyone",
    "record_visit",
    "settings_for",
    "unsubscribe",
    "update_settings",
    "wants_immediate",
]
