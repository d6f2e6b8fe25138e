"""The workshop pages around the board: the list, creating and editing a
workshop, and its overview.

Doors only: each view finds the workshop through the access helper
(``selectors.workshops.access_workshop``: 404 alike for "no such workshop"
and "not taking part"), asks ``policies`` (403 with the policy's reason for
a participant who may not), calls one service and redirects with a message.
Signed-in people only: a guest's session opens their one board and nothing
else, so none of these pages knows guests.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.doors import require, run_service
from councils.selectors.people import active_membership_for
from initiatives.policies import can_view_initiative

from .. import policies
from ..forms import WorkshopCreateForm, WorkshopDetailsForm
from ..selectors.pages import linkable_initiatives, locked_options, people_in, workshop_list
from ..selectors.workshops import access_workshop
from ..services import workshops as services


def _path(name: str, pk: int, fallback: str) -> str:
    """Another helper's page of the workshop, by name, or its agreed path while
    that name is not registered yet (the board and the summary land apart)."""
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return fallback


def board_path(pk: int) -> str:
    return _path("swot:board", pk, f"/workshops/{pk}/board/")


def summary_path(pk: int) -> str:
    return _path("swot:summary", pk, f"/workshops/{pk}/summary/")


@login_required
@require_GET
def workshop_list_page(request: HttpRequest) -> HttpResponse:
    sections = workshop_list(request.user)
    for workshop in sections.shared:
        workshop.summary_url = summary_path(workshop.pk)
    return render(
        request,
        "swot/list.html",
        {
            "sections": sections,
            "can_create": policies.can_create_workshop(request.user),
            "membership": active_membership_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require(
        policies.can_create_workshop(request.user),
        "Only facilitators and council admins can run workshops. Ask your council's admin "
        "to make you a facilitator.",
    )
    form = WorkshopCreateForm(
        request.POST if request.method == "POST" else None,
        initiatives=linkable_initiatives(request.user),
    )
    if request.method == "POST" and form.is_valid():
        ok, workshop = run_service(
            form, lambda: services.create_workshop(by=request.user, **form.service_kwargs())
        )
        if ok:
            messages.success(
                request, f"You set up “{workshop.title}”. Now invite the people taking part."
            )
            return redirect("swot:people", pk=workshop.pk)
    return render(
        request,
        "swot/form.html",
        {
            "form": form,
            "workshop": None,
            "organisation": active_membership_for(request.user).organisation,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = access_workshop(pk, user=request.user)
    require(policies.manage_refusal(participant))
    locked = locked_options(workshop)
    form = WorkshopDetailsForm(
        request.POST if request.method == "POST" else None,
        initial=WorkshopDetailsForm.initial_for(workshop),
        locked=locked,
    )
    if workshop.is_closed and request.method == "GET":
        messages.info(request, "This workshop has closed: its details can no longer change.")
        return redirect("swot:detail", pk=workshop.pk)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(
            form,
            lambda: services.update_workshop(
                workshop=workshop, by=participant, **form.service_kwargs()
            ),
        )
        if ok:
            messages.success(request, "The workshop's details have been saved.")
            return redirect("swot:detail", pk=workshop.pk)
    return render(
        request,
        "swot/form.html",
        {
            "form": form,
            "workshop": workshop,
            "locked": locked,
            "organisation": workshop.owner,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = access_workshop(pk, user=request.user)
    people = people_in(workshop)
    # A participant from another council may not see a partners-only initiative.
    initiative = workshop.initiative
    if initiative is not None and not can_view_initiative(request.user, initiative):
        initiative = None
    return render(
        request,
        "swot/detail.html",
        {
            "workshop": workshop,
            "participant": participant,
            "initiative": initiative,
            "taking_part": [p for p in people if p.is_active],
            "invited_count": sum(1 for p in people if not p.is_active),
            "can_manage": policies.can_manage_workshop(participant),
            "board_url": board_path(workshop.pk),
            "summary_url": summary_path(workshop.pk),
        },
    )
