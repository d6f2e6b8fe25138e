"""What a workshop produced: the summary page (and its print-ready form),
its CSV and Markdown exports, sharing the results, and setting aside
suggested groups on the board.

Doors only: ``selectors.workshops.access_results`` decides who may read
(404 alike for "no such workshop" and "not yours"), ``selectors.results``
what they see, ``services.workshops`` what changes.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from core.doors import require
from initiatives.views.catalogue import csv_safe

from .. import policies
from ..selectors import results
from ..selectors.workshops import access_results, access_workshop
from ..services import workshops as services
from ..templatetags.swot_results import IGNORED_SESSION_KEY, ignored_suggestions


def _summary_for(request: HttpRequest, pk: int):
    workshop, participant = access_results(pk, user=request.user, session=request.session)
    return workshop, participant, results.summary(workshop, participant, request.user)


@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The workshop's results: top-voted items per quadrant, groups, actions,
    TOWS strategies and who took part; ``?print=1`` is the same without the
    site's navigation, ready to print."""
    workshop, participant, shown = _summary_for(request, pk)
    context = {
        "workshop": workshop,
        "summary": shown,
        "participant": participant,
        "can_share": policies.can_manage_workshop(participant),
        "print_view": request.GET.get("print") in ("1", "true", "yes"),
        "csv_url": reverse("swot:summary_csv", kwargs={"pk": workshop.pk}),
        "md_url": reverse("swot:summary_md", kwargs={"pk": workshop.pk}),
    }
    template = "swot/results/summary_print.html" if context["print_view"] else None
    return render(request, template or "swot/results/summary.html", context)


def _filename(workshop, extension: str) -> str:
    return f"workshop-{workshop.pk}-{slugify(workshop.title)[:60] or 'summary'}.{extension}"


CSV_COLUMNS = [
    "section",
    "quadrant_or_kind",
    "text",
    "votes",
    "group",
    "author",
    "owner",
    "due_date",
    "from_items",
]


def csv_rows(shown: results.Summary) -> list[list[str]]:
    """Every item, group, action and strategy the viewer may see, one row each."""
    quadrant_labels = {q.key: q.label for q in shown.quadrants}
    rows: list[list] = [CSV_COLUMNS]
    for item in shown.items:
        rows.append(
            [
                "item",
                quadrant_labels[item.quadrant],
                item.text,
                item.vote_count,
                item.group.name if item.group_id else "",
                shown.author(item),
                "",
                "",
                "",
            ]
        )
    for entry in shown.groups:
        rows.append(
            [
                "group",
                quadrant_labels[entry.group.quadrant],
                entry.group.name,
                entry.votes,
                "",
                "",
                "",
                "",
                "; ".join(item.text for item in entry.items),
            ]
        )
    for action in shown.actions:
        rows.append(
            [
                "action",
                "",
                action.text,
                "",
                action.group.name if action.group_id else "",
                "",
                shown.owner(action),
                action.due_date.isoformat() if action.due_date else "",
                "; ".join(item.text for item in action.shown_items),
            ]
        )
    for strategy in shown.strategies:
        rows.append(
            [
                "strategy",
                strategy.kind,
                strategy.text,
                "",
                "",
                "",
                "",
                "",
                "; ".join(item.text for item in strategy.shown_items),
            ]
        )
    return [[csv_safe(value) for value in row] for row in rows]


@require_GET
def summary_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as CSV: one row per item, group, action and strategy (cells
    that a spreadsheet would run as formulas are quoted)."""
    workshop, _participant, shown = _summary_for(request, pk)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_rows(shown))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(workshop, "csv")}"'
    return response


@require_GET
def summary_md(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as Markdown, to paste into a report or a wiki."""
    workshop, _participant, shown = _summary_for(request, pk)
    body = render_to_string(
        "swot/results/summary.md", {"workshop": workshop, "summary": shown}, request=request
    )
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(workshop, "md")}"'
    return response


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator shares the results with every signed-in member (for
    cross-council insight), or stops sharing them."""
    workshop, participant = access_results(pk, user=request.user, session=request.session)
    require(policies.manage_refusal(participant))
    shared = request.POST.get("shared") == "yes"
    services.share_results(workshop=workshop, by=participant, shared=shared)
    if shared:
        note = "Results shared: anyone signed in can read this summary"
        note += "." if workshop.is_closed else " once the workshop closes."
    else:
        note = "Results no longer shared: only people who took part can read this summary."
    messages.success(request, note)
    return redirect("swot:summary", pk=workshop.pk)


def _back_to_board(request: HttpRequest, workshop) -> HttpResponse:
    """Back where the facilitator was: a page of this workshop, never elsewhere."""
    target = request.POST.get("next") or ""
    if not (target.startswith(f"/workshops/{workshop.pk}/") and "//" not in target):
        target = workshop.get_absolute_url()
    return redirect(target, permanent=False)


@require_POST
def ignore_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a suggested group aside (for this facilitator only; nothing on the
    board changes), or, with ``restore``, bring back every one set aside."""
    workshop, participant = access_workshop(pk, user=request.user, session=request.session)
    require(policies.manage_refusal(participant))
    store = dict(request.session.get(IGNORED_SESSION_KEY) or {})
    keys = ignored_suggestions(request.session, workshop.pk)
    if request.POST.get("restore"):
        keys = []
    else:
        key = (request.POST.get("suggestion") or "")[:2000]
        if key and key not in keys:
            keys = [*keys, key][-200:]
    store[str(workshop.pk)] = keys
    request.session[IGNORED_SESSION_KEY] = store
    response = _back_to_board(request, workshop)
    response.status_code = 303
    return response
