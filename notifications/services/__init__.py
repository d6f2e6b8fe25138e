"""Writes of the notifications app: the activity log, people's settings,
unsubscribes and digests, one module per area."""

from .activity import record_activity

__all__ = ["record_activity"]
