"""One correction to daphne (4.2), applied from ``collab_platform.asgi``.

When the application raises *after* it has started a response (a streamed
CSV whose database went away half-way), daphne's ``handle_exception`` tries
to send a 500 page: ``handle_reply`` refuses ("HTTP response has already
been started") and the ``ValueError`` escapes daphne's once-a-second
``application_checker`` before it reschedules itself. The client's
connection is then never closed (the download hangs until the client gives
up) and no later application instance is ever reaped.

The fix: once a response has started, close the connection (after what was
already written) without finishing the response. Not finishing matters:
finishing would write the last chunk of the chunked encoding and the client
would take a truncated file for a whole one; closing instead makes every
HTTP client report an incomplete transfer.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)
_APPLIED = False


def apply() -> None:
    """Patch daphne's ``WebRequest.handle_exception`` once; harmless when
    daphne is not installed or not the server in use."""
    global _APPLIED
    if _APPLIED:
        return
    try:
        from daphne.http_protocol import WebRequest
    except ImportError:  # pragma: no cover - another ASGI server
        return
    original = WebRequest.handle_exception

    def handle_exception(self, exception: BaseException) -> None:
        if not getattr(self, "_response_started", False):
            original(self, exception)
            return
        logger.warning(
            "Application failed after its response started; closing the connection "
            "so the client sees an incomplete response (%s)",
            type(exception).__name__,
        )
        channel = getattr(self, "channel", None)
        transport = getattr(channel, "transport", None)
        if transport is not None:
            transport.loseConnection()

    WebRequest.handle_exception = handle_exception
    _APPLIED = True
