"""Initiative pages: propose, edit, change the stage, and the initiative page
itself with its partners, updates, cost-sharing and discussion sections.

Doors only: parse input (forms), ask ``policies``, call ``services`` or
``selectors``, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.doors import require, run_service
from councils.selectors.people import active_membership_for
from notifications.views.feeds import initiative_section

from .. import policies
from ..forms.initiative import SECTIONS, SERVICE_FIELD_MAP, InitiativeForm, StageChangeForm
from ..models import Initiative
from ..selectors.catalogue import similar_initiatives
from ..selectors.initiative import get_initiative_for_user, initiative_detail
from ..selectors.matching import suggested_partners
from ..services import initiative as services
from .catalogue import similar_context
from .cost_sharing import cost_sharing_context
from .discussion import discussion_context
from .partnerships import partners_context


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Propose an initiative. Before saving, possible duplicates are shown once
    (live with htmx; without JavaScript on "Check for similar initiatives" or
    when the form comes back): the officer confirms they still want a new one."""
    require(
        policies.can_create_initiative(request.user),
        "Only active members of a council or public body can propose.",
    )
    organisation = active_membership_for(request.user).organisation
    similar: dict = {"similar": [], "similar_checked": False}
    confirm_needed = False
    if request.method == "POST":
        form = InitiativeForm(request.POST, organisation=organisation, section="start")
        # Compared before the form is judged, so cut to the columns' lengths first.
        title = request.POST.get("title", "")[: Initiative._meta.get_field("title").max_length]
        summary = request.POST.get("summary", "")[
            : Initiative._meta.get_field("summary").max_length
        ]
        similar = similar_context(request, title, summary)
        if "check_similar" in request.POST:
            # The no-JavaScript duplicate check: show the list, save nothing,
            # and do not judge fields the officer has not reached yet.
            form = InitiativeForm(
                initial=InitiativeForm.initial_from_data(request.POST),
                organisation=organisation,
                section="start",
            )
            return render(
                request,
                "initiatives/form.html",
                {
                    "form": form,
                    "creating": True,
                    "section": "start",
                    "duplicates_seen": True,
                    **similar,
                },
            )
        duplicates_seen = request.POST.get("duplicates_seen") == "1"
        if form.is_valid():
            if similar["similar"] and not duplicates_seen:
                confirm_needed = True
            else:
                ok, initiative = run_service(
                    form,
                    lambda: services.create_initiative(
                        by=request.user, organisation=organisation, **form.service_kwargs()
                    ),
                    field_map=SERVICE_FIELD_MAP,
                )
                if ok:
                    saved = "saved as a draft" if initiative.visibility == "draft" else "created"
                    messages.success(
                        request,
                        f"“{initiative.title}” has been {saved}. Add its details below.",
                    )
                    return redirect("initiatives:check", slug=initiative.slug)
    else:
        form = InitiativeForm(organisation=organisation, section="start")
    return render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "creating": True,
            "section": "start",
            "confirm_needed": confirm_needed,
            # Once shown (error re-render or confirmation), the list counts as seen.
            "duplicates_seen": request.method == "POST" and bool(similar["similar"]),
            **similar,
        },
    )


def _section_of(request: HttpRequest) -> str | None:
    """The section being edited (``?section=`` or the form's hidden field),
    or None for the whole form. The first step is only for proposing."""
    name = request.POST.get("section") or request.GET.get("section")
    return name if name in SECTIONS and name != "start" else None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an initiative's details (the lead's members): the whole form, or
    one section of it from the "check your answers" page."""
    initiative = initiative_detail(user=request.user, slug=slug)
    require(
        policies.can_edit_initiative(request.user, initiative),
        "Only the lead organisation can edit this initiative.",
    )
    organisation = initiative.lead_organisation
    section = _section_of(request)
    options = {"organisation": organisation, "with_stage": False, "section": section}
    if request.method == "POST":
        form = InitiativeForm(request.POST, **options)
        if form.is_valid():
            ok, _ = run_service(
                form,
                lambda: services.update_initiative(
                    initiative=initiative, by=request.user, **form.service_kwargs()
                ),
                field_map=SERVICE_FIELD_MAP,
            )
            if ok:
                messages.success(request, "Your changes have been saved.")
                if section:
                    return redirect("initiatives:check", slug=initiative.slug)
                return redirect(initiative)
    else:
        form = InitiativeForm(initial=InitiativeForm.initial_from(initiative), **options)
    return render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "initiative": initiative,
            "creating": False,
            "section": section,
            "section_title": SECTIONS[section].title if section else "",
        },
    )


@login_required
@require_GET
def check(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Check your answers" for an initiative: every section with what it
    says and a Change link, so the lead adds the details a step at a time."""
    initiative = initiative_detail(user=request.user, slug=slug)
    require(
        policies.can_edit_initiative(request.user, initiative),
        "Only the lead organisation can edit this initiative.",
    )
    funding_sources = ", ".join(
        Initiative.FundingSource(value).label
        for value in initiative.funding_sources or []
        if value in Initiative.FundingSource.values
    )
    return render(
        request,
        "initiatives/check.html",
        {"initiative": initiative, "funding_sources": funding_sources},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a stage change with its date and a note (the lead's members)."""
    initiative = get_initiative_for_user(request.user, slug)
    require(
        policies.can_change_stage(request.user, initiative),
        "Only the lead organisation can change the stage.",
    )
    form = StageChangeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        ok, change = run_service(
            form,
            lambda: services.change_stage(
                initiative=initiative,
                to_stage=form.cleaned_data["to_stage"],
                changed_on=form.cleaned_data["changed_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            ),
        )
        if ok:
            messages.success(request, f"Stage changed to {change.get_to_stage_display()}.")
            return redirect(initiative)
    return render(request, "initiatives/stage.html", {"form": form, "initiative": initiative})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiative page: overview, stage timeline, then partners, updates,
    cost sharing and discussion, and similar initiatives. 404 alike for missing
    and not visible, so slugs cannot be probed."""
    initiative = initiative_detail(user=request.user, slug=slug)
    user = request.user
    context = {
        "initiative": initiative,
        "timeline": list(initiative.stage_changes.all()),
        "funding_sources": [
            Initiative.FundingSource(value).label
            for value in initiative.funding_sources or []
            if value in Initiative.FundingSource.values
        ],
        "can_edit": policies.can_edit_initiative(user, initiative),
        "can_change_stage": policies.can_change_stage(user, initiative),
        "can_contact_key_contact": policies.contact_key_contact_refusal(user, initiative) is None,
        "similar": similar_initiatives(user=user, initiative=initiative),
        "suggested_partners": suggested_partners(initiative=initiative, user=user),
        "stage_url": reverse("initiatives:stage", kwargs={"slug": initiative.slug}),
        **partners_context(initiative=initiative, user=user),
        **discussion_context(initiative=initiative, user=user),
        **cost_sharing_context(initiative=initiative, user=user),
        # Its recent activity, as this viewer may see it (names through {% person %}).
        "activity": initiative_section(user, initiative),
    }
    return render(request, "initiatives/detail.html", context)
