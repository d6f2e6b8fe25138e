"""What the live doors (websocket and HTTP polling) share: reading a client's
operation frame and turning a refusal or a validation error into the error
frame the protocol defines (docs/board-protocol.md).

Kept apart from the consumer so the HTTP fallback answers a bad operation
with exactly the frame the socket would have sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from . import policies
from .models import Operation, Workshop
from .selectors.board import Viewer, item_dict, redact_item
from .services.board import StaleEdit

# A text frame bigger than this is refused unread: an item is at most a few
# hundred characters, so nothing honest comes near it.
MAX_FRAME_BYTES = 16 * 1024


class BadFrame(ValueError):
    """A frame that is not the protocol's shape (not an operation that failed)."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def read_op(frame: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """``(client id, kind, args)`` of an ``op`` frame, or ``BadFrame``."""
    errors: dict[str, list[str]] = {}
    client_id = frame.get("id", "")
    if client_id is None:
        client_id = ""
    if not isinstance(client_id, str) or len(client_id) > Operation.CLIENT_ID_MAX:
        errors["id"] = [f"Send an id of at most {Operation.CLIENT_ID_MAX} characters."]
    kind = frame.get("kind")
    if not isinstance(kind, str) or kind not in policies.OPERATIONS:
        errors["kind"] = ["Send one of the board's operation kinds."]
    args = frame.get("args", {})
    if args is None:
        args = {}
    if not isinstance(args, dict):
        errors["args"] = ["Send the operation's arguments as an object."]
    if errors:
        raise BadFrame("That operation is not in the board's format.", errors)
    return client_id, kind, args


def bad_frame(message: str, *, client_id: Any = None, errors: dict | None = None) -> dict:
    frame: dict[str, Any] = {"type": "error", "code": "bad_frame", "message": message}
    if errors:
        frame["errors"] = errors
    if isinstance(client_id, str) and client_id:
        frame["id"] = client_id
    return frame


def error_for(
    exc: Exception, *, client_id: str, workshop: Workshop | None, viewer: Viewer
) -> dict[str, Any]:
    """The error frame for an operation ``perform`` did not apply."""
    frame: dict[str, Any] = {"type": "error"}
    if client_id:
        frame["id"] = client_id
    if isinstance(exc, StaleEdit):
        anonymous = bool(workshop and workshop.anonymous_items)
        frame.update(
            code="stale",
            message=exc.messages[0],
            errors=exc.message_dict,
            item=redact_item(item_dict(exc.item), anonymous=anonymous, viewer=viewer),
        )
    elif isinstance(exc, (PermissionDenied, Http404)):
        frame.update(code="refused", message=str(exc) or "You cannot do that.")
    elif isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        frame.update(code="invalid", message=exc.messages[0], errors=errors)
    else:
        raise TypeError(f"no error frame for {type(exc).__name__}")
    return frame
