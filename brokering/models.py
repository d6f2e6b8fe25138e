"""What the broker queue remembers: each nudge sent, so the same row is not
nudged twice in a week."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Nudge(models.Model):
    """One nudge e-mail a collaboration manager sent from the broker queue.

    ``subject_key`` names the row it was about (``initiative:12``,
    ``partnership:40``, ``workshop:7``, ``cluster:<area>:<product>:<quarter>``)
    so a row is recognised again however the queue is rebuilt."""

    class Kind(models.TextChoices):
        NO_PARTNERS = "no_partners", "No partners after 30 days"
        NO_UPDATE = "no_update", "No update for 90 days"
        UNCOMMITTED_INTEREST = "uncommitted_interest", "Interested but not committed after 30 days"
        WORKSHOP_NO_FOLLOW_UP = "workshop_no_follow_up", "Workshop actions with no follow-up"
        CLUSTER_NO_INITIATIVE = "cluster_no_initiative", "Contract cluster with no initiative"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject_key = models.CharField(max_length=255)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipient_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["kind", "subject_key", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} at {self.sent_at:%Y-%m-%d}"
