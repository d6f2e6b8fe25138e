"""The activity log every service writes to; digests and feeds read it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Activity(models.Model):
    """One thing that happened, recorded by a service inside its transaction.

    ``organisation`` is the tenant the activity belongs to (the actor's
    organisation, or the lead of the initiative acted on); ``target`` is what
    was acted on. ``verb`` is a dotted name such as ``membership.approved``.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "councils.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    verb = models.CharField(max_length=64)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb}: {self.summary}"


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off: no digest"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class NotificationSettings(models.Model):
    """What one person wants to hear about, and when (one row per user).

    Created on first need with the defaults (weekly, Monday 08:00 UK time,
    every topic on), so the dispatcher finds everyone. ``next_digest_at`` is
    the UTC instant of this person's next scheduled digest: kept by the
    services whenever the schedule changes or a digest is dispatched, and
    indexed, so the dispatcher's "who is due?" is one range scan whatever
    the number of users. ``digest_covered_until`` is where the last digest's
    period ended: the next one starts there (or at the person's last visit,
    whichever is later, so nobody is told what they have already seen).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest_frequency = models.CharField(
        max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text="The day a weekly digest is sent (UK time).",
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text="The hour, 0 to 23, UK time, a digest is sent."
    )
    # Digest topics.
    topic_my_council = models.BooleanField(
        "Initiatives my council leads or is a partner in", default=True
    )
    topic_following = models.BooleanField("Initiatives I follow", default=True)
    topic_new_matching = models.BooleanField(
        "New initiatives that fit my council's service areas and needs", default=True
    )
    topic_workshops = models.BooleanField("Workshops I am invited to", default=True)
    topic_approvals = models.BooleanField("Approvals waiting for me (council admins)", default=True)
    # Immediate e-mails, each with its own opt-out.
    immediate_workshop_invitations = models.BooleanField("Invitations to a workshop", default=True)
    immediate_signoff_requests = models.BooleanField(
        "A partnership needing my sign-off (council admins)", default=True
    )
    immediate_membership_decisions = models.BooleanField(
        "My membership approved or rejected", default=True
    )
    immediate_partnership_decisions = models.BooleanField(
        "A lead council accepting or declining my council", default=True
    )

    last_seen_at = models.DateTimeField(null=True, blank=True)
    digest_covered_until = models.DateTimeField(null=True, blank=True)
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__gte=0, digest_hour__lte=23),
                name="notification_settings_hour_in_day",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_weekday__gte=0, digest_weekday__lte=6),
                name="notification_settings_weekday_in_week",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"


class DigestDelivery(models.Model):
    """One person's digest for one period: the claim that makes it exactly once.

    The row is created (claimed) before anything is sent, under a unique
    ``(user, period_key)``; a retried task, a duplicated dispatch or a second
    worker finds the row and does not send again. ``status`` walks
    pending → sending → sent (or empty, or retrying → failed). Staff see
    failed and retrying rows and can send them again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        RETRYING = "retrying", "Retrying"
        SENT = "sent", "Sent"
        EMPTY = "empty", "Nothing to send"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    frequency = models.CharField(max_length=8, choices=DigestFrequency.choices)
    period_key = models.CharField(max_length=32)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(fields=["user", "period_key"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period_key} digest for {self.user} ({self.status})"


class Unsubscription(models.Model):
    """A one-click unsubscribe that has been used: the token's nonce, so a
    link works once per person and list and cannot be replayed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=40)
    nonce = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} left {self.list_name}"
