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
