"""The live board's HTTP doors, for a browser whose websocket cannot connect
(a proxy that drops upgrades, a flaky network): ``poll`` for what changed,
``ops`` to send a change. Same services, same redaction, same error frames
as the websocket consumer (docs: the board protocol).

- ``GET board/poll?since=N`` -> ``{"frames": [...], "last_seq": N, "present": [...]}``,
  or ``{"snapshot": {...}, "last_seq": N, "present": [...]}`` when the client is too
  far behind (or gave no ``since``);
- ``POST board/ops`` with ``{"id", "kind", "args"}`` and the ``X-CSRFToken``
  header -> ``{"type": "ack", "id", "seq", "duplicate"}``, or an error frame:
  400 ``bad_frame`` / ``invalid``, 409 ``stale`` (with the current item),
  403 ``refused``, 429 ``rate_limited``. Nothing changes on an error.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from .. import policies
from ..models import Participant, Workshop
from ..selectors.board import Viewer, frames_since, item_dict, present_participants, redact_item
from ..selectors.board import snapshot as board_snapshot
from ..selectors.workshops import access_workshop
from ..services import presence as presence_service
from ..services.board import StaleEdit, perform

# Per participant, across the no-script form and this door: far more than a
# person clicks, few enough that a runaway script cannot flood the board.
OPS_RATE = "120/m"
# A polling client asks every 2 seconds (30 a minute); several tabs fit.
POLL_RATE = "240/m"
OPS_GROUP = "swot.board.ops"
POLL_GROUP = "swot.board.poll"
MAX_BODY = 16 * 1024


def _participant_key(group: str, request: HttpRequest) -> str:
    return f"participant:{request.board_participant.pk}"


def _ops_rate(group: str, request: HttpRequest) -> str:
    return OPS_RATE


def _poll_rate(group: str, request: HttpRequest) -> str:
    return POLL_RATE


def rate_limited(request: HttpRequest, participant: Participant, *, poll: bool = False) -> bool:
    """Count one request of ``participant`` and say whether they are over the
    limit (kept per participant, so a guest without an account is limited too)."""
    request.board_participant = participant
    return is_ratelimited(
        request,
        group=POLL_GROUP if poll else OPS_GROUP,
        key=_participant_key,
        rate=_poll_rate if poll else _ops_rate,
        increment=True,
    )


def error_frame(
    code: str,
    message: str,
    *,
    op_id: Any = None,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "id": op_id, "code": code, "message": message}
    frame["errors"] = errors or {}
    frame.update(extra)
    return frame


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


def first_message(errors: dict[str, list[str]]) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return "That change could not be made."


def stale_item(exc: StaleEdit, workshop: Workshop, participant: Participant) -> dict[str, Any]:
    """The current item, as the editor may see it (redacted like any frame)."""
    return redact_item(
        item_dict(exc.item), anonymous=workshop.anonymous_items, viewer=Viewer.of(participant)
    )


def _touch_presence(participant: Participant, request: HttpRequest) -> None:
    session_key = request.session.session_key or "anonymous"
    presence_service.touch(participant, f"poll:{participant.pk}:{session_key[:16]}")


@never_cache
@require_GET
def poll(request: HttpRequest, pk: int) -> JsonResponse:
    workshop, participant = access_workshop(pk, user=request.user, session=request.session)
    raw = request.GET.get("since")
    since: int | None = None
    if raw not in (None, ""):
        try:
            since = int(raw)
        except ValueError:
            since = -1
        if since < 0:
            return JsonResponse(
                error_frame(
                    "invalid",
                    "Give since as a whole number, 0 or more.",
                    errors={"since": ["Give since as a whole number, 0 or more."]},
                ),
                status=400,
            )
    if rate_limited(request, participant, poll=True):
        return JsonResponse(
            error_frame("rate_limited", "Too many requests: wait a moment and try again."),
            status=429,
        )
    _touch_presence(participant, request)
    viewer = Viewer.of(participant)
    frames = frames_since(workshop, since=since, viewer=viewer) if since is not None else None
    body: dict[str, Any] = {"last_seq": workshop.last_seq}
    if frames is None:
        body["snapshot"] = board_snapshot(workshop, participant)
    else:
        body["frames"] = frames
        body["present"] = present_participants(workshop, viewer)
    return JsonResponse(body)


def _parse_frame(request: HttpRequest) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(frame, None) for a well-formed op frame, else (None, error frame)."""
    if len(request.body) > MAX_BODY:
        return None, error_frame("bad_frame", "The operation is too large.")
    try:
        frame = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, error_frame("bad_frame", "Send the operation as a JSON object.")
    if not isinstance(frame, dict):
        return None, error_frame("bad_frame", "Send the operation as a JSON object.")
    op_id = frame.get("id")
    errors: dict[str, list[str]] = {}
    kind = frame.get("kind")
    if not isinstance(kind, str) or not kind:
        errors["kind"] = ["Say which operation this is."]
    elif kind not in policies.OPERATIONS:
        errors["kind"] = [f"Unknown operation '{kind[:40]}'."]
    if "args" in frame and frame["args"] is not None and not isinstance(frame["args"], dict):
        errors["args"] = ["Send the operation's arguments as an object."]
    if op_id is not None and not isinstance(op_id, str):
        errors["id"] = ["An operation id is text."]
    if errors:
        code = "bad_frame" if "kind" not in errors or not isinstance(kind, str) else "invalid"
        return None, error_frame(
            code,
            first_message(errors),
            op_id=op_id if isinstance(op_id, str) else None,
            errors=errors,
        )
    return frame, None


@never_cache
@require_POST
def ops(request: HttpRequest, pk: int) -> JsonResponse:
    workshop, participant = access_workshop(pk, user=request.user, session=request.session)
    frame, problem = _parse_frame(request)
    if problem is not None:
        return JsonResponse(problem, status=400)
    op_id = frame.get("id") or ""
    if rate_limited(request, participant):
        return JsonResponse(
            error_frame(
                "rate_limited",
                "You are making changes too quickly: wait a moment and try again.",
                op_id=op_id,
            ),
            status=429,
        )
    try:
        applied = perform(
            workshop_id=workshop.pk,
            participant=participant,
            kind=frame["kind"],
            args=frame.get("args") or {},
            client_id=op_id,
        )
    except StaleEdit as exc:
        errors = validation_errors(exc)
        return JsonResponse(
            error_frame(
                "stale",
                first_message(errors),
                op_id=op_id,
                errors=errors,
                item=stale_item(exc, workshop, participant),
            ),
            status=409,
        )
    except ValidationError as exc:
        errors = validation_errors(exc)
        return JsonResponse(
            error_frame("invalid", first_message(errors), op_id=op_id, errors=errors), status=400
        )
    except PermissionDenied as exc:
        message = str(exc) or "You cannot do that."
        return JsonResponse(
            error_frame("refused", message, op_id=op_id, errors={"__all__": [message]}),
            status=403,
        )
    return JsonResponse(
        {
            "type": "ack",
            "id": op_id,
            "seq": applied.operation.seq,
            "duplicate": applied.duplicate,
        }
    )
