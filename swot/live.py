"""The board's live door out: operations leave through the outbox on commit
and reach every consumer of the workshop's group on the channel layer.

Registered with ``notifications.outbox`` when the app loads, so services
never import Channels. A failure here must not undo a committed change: it
is logged, and clients catch up from the operation log (consumers notice the
gap in sequence numbers and replay it from the database).
"""

from __future__ import annotations

import asyncio
import logging
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications.outbox import Event

logger = logging.getLogger(__name__)


def _send(layer, group: str, message: dict) -> None:
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # the change is saved; a lost broadcast is replayed by seq
        logger.exception("could not broadcast to %s", group)


def send_to_board(event: Event) -> None:
    group, message = event
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _send(layer, group, message)
        return
    # Called from sync code on a thread that is running an event loop (a
    # script or test driving a browser): async_to_sync cannot run here, so
    # send from a short-lived thread of its own.
    sender = threading.Thread(target=_send, args=(layer, group, message), daemon=True)
    sender.start()
    sender.join(timeout=10)
