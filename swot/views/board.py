"""The board's page: the whole board rendered on the server for one
participant, with only the forms they may use in this phase, each a plain
form that works without JavaScript (``op`` applies it and redirects back).
``static/js/board.mjs`` enhances the same page: it keeps it live over the
websocket (or by polling ``board/poll``) and sends the same forms as
operations, re-rendering the parts that changed from ``fragment``.

Every change goes through ``services.board.perform``; the page is rendered
from ``selectors.board.snapshot`` alone, so what a participant may not
receive (another's unrevealed item, an anonymous item's author) is never
in the HTML.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import policies
from ..models import Participant, Quadrant, Workshop
from ..selectors.board_page import board_page
from ..selectors.workshops import access_workshop
from ..services.board import Applied, StaleEdit, perform
from .board_http import rate_limited, stale_item, validation_errors

# The form fields each operation takes as its arguments (``items`` is a list).
ARG_FIELDS: dict[str, tuple[str, ...]] = {
    "item.add": ("quadrant", "text", "on_behalf_of"),
    "item.edit": ("item", "text", "version"),
    "item.delete": ("item",),
    "item.move": ("item", "quadrant"),
    "group.create": ("name", "items"),
    "group.add": ("item", "group"),
    "item.ungroup": ("item",),
    "group.rename": ("group", "name"),
    "vote.add": ("item",),
    "vote.remove": ("item",),
    "brainstorm.reveal": (),
    "phase.set": ("phase",),
    "timer.start": ("seconds",),
    "timer.stop": (),
    "action.add": ("text", "owner", "due_date", "items", "group", "strategy"),
    "action.edit": ("action", "text", "owner", "due_date", "items", "group", "strategy"),
    "action.delete": ("action",),
    "strategy.add": ("strategy_kind", "text", "items"),
    "strategy.delete": ("strategy",),
    "initiative.draft": ("group", "strategy", "service_area"),
}
LIST_FIELDS = frozenset({"items"})
assert set(ARG_FIELDS) == policies.OPERATIONS  # noqa: S101 - kept in step at import

QUADRANT_LABELS = dict(Quadrant.choices)


def args_from_form(kind: str, data) -> dict[str, Any]:
    """An operation's arguments from the fields of a no-script form."""
    args: dict[str, Any] = {}
    for name in ARG_FIELDS.get(kind, ()):
        if name in LIST_FIELDS:
            if name in data:
                args[name] = data.getlist(name)
        elif name in data:
            args[name] = data.get(name)
    return args


def board_context(
    workshop: Workshop, participant: Participant, failed: dict[str, Any] | None = None
) -> dict[str, Any]:
    context = board_page(workshop, participant)
    context.update(
        {
            "workshop": workshop,
            "participant": participant,
            "failed": failed,
            "poll_url": reverse("swot:board_poll", args=[workshop.pk]),
            "ops_url": reverse("swot:board_ops", args=[workshop.pk]),
            "op_url": reverse("swot:board_op", args=[workshop.pk]),
            "fragment_url": reverse("swot:board_fragment", args=[workshop.pk]),
            "socket_path": f"/ws/workshops/{workshop.pk}/board/",
        }
    )
    if failed:
        _place_errors(context, failed)
    return context


def _place_errors(context: dict[str, Any], failed: dict[str, Any]) -> None:
    """Put a failed form's errors and typed values on the part of the board
    it came from, and link each from the error summary."""
    kind, args, errors = failed["kind"], failed["args"], failed["errors"]
    item_id = str(args.get("item", ""))
    target = None
    if kind.startswith("item.") or kind.startswith("vote."):
        for quadrant in context["board"]["quadrants"]:
            for item in quadrant["items"]:
                if str(item["id"]) == item_id:
                    target = item
    anchors: dict[str, str] = {}
    if kind == "item.add":
        context["add_failed"] = {"errors": errors, "args": args}
        anchors = {"text": "#add-text", "quadrant": "#add-quadrant", "on_behalf_of": "#add-scribe"}
        failed["default_href"] = "#add-text"
    elif target is not None:
        target["failed"] = {"kind": kind, "errors": errors, "args": args, **failed.get("extra", {})}
        if kind == "item.edit":
            anchors = {"text": f"#edit-text-{target['id']}"}
        elif kind == "item.move":
            anchors = {"quadrant": f"#move-{target['id']}"}
        elif kind == "group.add":
            anchors = {"group": f"#group-add-{target['id']}"}
        failed["default_href"] = f"#item-{target['id']}"
    elif kind == "group.create":
        failed["default_href"] = f"#group-create-{args.get('quadrant_hint', '')}"
    summary = []
    for field, messages_ in errors.items():
        href = anchors.get(field) or failed.get("default_href") or "#board"
        summary.extend({"text": message, "href": href} for message in messages_)
    failed["summary"] = summary


@never_cache
@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = access_workshop(pk, user=request.user, session=request.session)
    return render(request, "swot/board/page.html", board_context(workshop, participant))


@never_cache
@require_GET
def fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The board region alone, for the live client to swap in what changed."""
    workshop, participant = access_workshop(pk, user=request.user, session=request.session)
    return render(request, "swot/board/_board.html", board_context(workshop, participant))


def _success_message(kind: str, args: dict[str, Any], applied: Applied) -> str:
    data = applied.operation.data
    if applied.duplicate:
        return "That change had already been made."
    if kind == "item.add":
        return f"Your item was added to {QUADRANT_LABELS.get(args.get('quadrant'), 'the board')}."
    if kind == "item.move":
        return f"Item moved to {QUADRANT_LABELS.get(args.get('quadrant'), 'another quadrant')}."
    if kind == "group.create":
        return f"Group “{data.get('group', {}).get('name', '')}” created."
    if kind in ("vote.add", "vote.remove"):
        left = data.get("votes_left")
        done = "Vote added." if kind == "vote.add" else "Vote removed."
        return f"{done} You have {left} vote{'s' if left != 1 else ''} left."
    if kind == "phase.set":
        return f"The workshop is now in the {Workshop.Phase(data['phase']).label} phase."
    return {
        "item.edit": "Item saved.",
        "item.delete": "Item deleted.",
        "group.add": "Item added to the group.",
        "item.ungroup": "Item taken out of its group.",
        "group.rename": "Group renamed.",
        "brainstorm.reveal": "Everyone can now see every item.",
        "timer.start": "Timer started.",
        "timer.stop": "Timer stopped.",
    }.get(kind, "Done.")


def _anchor(kind: str, args: dict[str, Any], applied: Applied) -> str:
    data = applied.operation.data
    if kind == "item.add":
        return "#add-item"
    if kind == "item.delete":
        return f"#quadrant-{data.get('item', {}).get('quadrant', '')}"
    if kind in ("item.edit", "item.move", "group.add", "item.ungroup"):
        return f"#item-{data.get('item', {}).get('id', '')}"
    if kind in ("vote.add", "vote.remove"):
        return f"#item-{data.get('item', '')}"
    if kind == "group.create":
        return f"#group-{data.get('group', {}).get('id', '')}"
    if kind == "group.rename":
        return f"#group-{data.get('group', {}).get('id', '')}"
    return ""


@never_cache
@require_POST
def op(request: HttpRequest, pk: int) -> HttpResponse:
    """A no-script form's operation: apply it and go back to the board (303),
    or show the board again with the errors beside the form that sent it."""
    workshop, participant = access_workshop(pk, user=request.user, session=request.session)
    kind = request.POST.get("kind", "")
    args = args_from_form(kind, request.POST)
    if "quadrant_hint" in request.POST:
        args_for_errors = {**args, "quadrant_hint": request.POST.get("quadrant_hint", "")}
    else:
        args_for_errors = args

    def again(errors: dict[str, list[str]], status: int, **extra: Any) -> HttpResponse:
        failed = {"kind": kind, "args": args_for_errors, "errors": errors, "extra": extra}
        return render(
            request,
            "swot/board/page.html",
            board_context(workshop, participant, failed),
            status=status,
        )

    if kind not in policies.OPERATIONS:
        return again({"kind": ["Choose what to do on the board."]}, 400)
    if rate_limited(request, participant):
        return again(
            {"__all__": ["You are making changes too quickly. Wait a moment and try again."]}, 429
        )
    try:
        applied = perform(
            workshop_id=workshop.pk,
            participant=participant,
            kind=kind,
            args=args,
            client_id=request.POST.get("id", ""),
        )
    except StaleEdit as exc:
        current = stale_item(exc, workshop, participant)
        return again(validation_errors(exc), 409, current=current)
    except ValidationError as exc:
        return again(validation_errors(exc), 400)
    except PermissionDenied as exc:
        return again({"__all__": [str(exc) or "You cannot do that."]}, 403)
    messages.success(request, _success_message(kind, args, applied))
    url = reverse("swot:board", args=[workshop.pk]) + _anchor(kind, args, applied)
    return HttpResponseRedirect(url, status=303)
