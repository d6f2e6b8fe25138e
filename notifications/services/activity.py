"""Writing to the activity log. Called by other apps' services, inside their
transaction, so an action and its record commit or roll back together."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import Activity


def record_activity(
    *,
    verb: str,
    actor=None,
    organisation=None,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> Activity:
    """Record that ``actor`` did ``verb`` to ``target`` on behalf of ``organisation``."""
    return Activity.objects.create(
        verb=verb,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        summary=summary[:500],
        data=data or {},
    )
