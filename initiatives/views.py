"""Initiative pages: the catalogue, the open-data CSV, create/edit, stage
changes, the duplicate check and the initiative page itself.

Doors only: parse input (forms), ask ``policies``, call ``services`` or
``selectors``, render. The partnership and discussion sections of the detail
page come from their own selector modules when those exist.
"""

import csv
import importlib
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from councils.selectors import active_membership_for

from . import policies, selectors
from .forms import (
    CatalogueSearchForm,
    InitiativeForm,
    StageChangeForm,
    add_service_errors,
)
from .models import Initiative
from .services import initiatives as initiative_services

PAGE_SIZE = 20
OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Search and filter the initiatives this user may see. A plain GET form,
    so it works without JavaScript; with htmx the form swaps the results and
    facet counts in place and pushes the URL."""
    form = CatalogueSearchForm(request.GET or None)
    query = form.search_query() if form.is_bound else ""
    filters = form.filters() if form.is_bound else selectors.CatalogueFilters()
    sort = selectors.effective_sort(query=query, sort=form.selected_sort() if form.is_bound else "")
    results = selectors.search_initiatives(
        user=request.user, query=query, filters=filters, sort=sort
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "query": query,
        "page": page,
        "facets": selectors.facet_counts(user=request.user, query=query, filters=filters),
        "sort": sort,
        "sort_choices": [
            (value, label)
            for value, label in selectors.Sort.choices
            if value != selectors.Sort.RELEVANCE or query
        ],
        "filtered": any(value for value in vars(filters).values() if value is not None),
        "can_create": policies.can_create_initiative(request.user),
    }
    template = "initiatives/catalogue.html"
    htmx = getattr(request, "htmx", None)
    # The partial only for htmx's in-place swaps: a history restore (back
    # button after hx-push-url) needs the whole page.
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template += "#catalogue-body"
    return render(request, template, context)


# ---------------------------------------------------------------------------
# Open data CSV
# ---------------------------------------------------------------------------

CSV_COLUMNS = [
    "slug",
    "title",
    "summary",
    "url",
    "lead_organisation",
    "lead_register_code",
    "stage",
    "collaboration_level",
    "looking_for_partners",
    "service_areas",
    "tags",
    "skills_needed",
    "estimated_cost_pence",
    "funding_band",
    "funding_sources",
    "cost_split_method",
    "start_date",
    "start_date_estimated",
    "end_date",
    "end_date_estimated",
    "partner_count",
    "created_at",
    "updated_at",
    "licence",
]
# Characters that make spreadsheets treat a cell as a formula (CSV injection).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Text a spreadsheet will show rather than evaluate: cells starting with a
    formula character get a leading single quote (OWASP's advice)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(request: HttpRequest) -> Iterator[list[str]]:
    yield CSV_COLUMNS
    base = request.build_absolute_uri("/").rstrip("/")
    for initiative in selectors.open_data_initiatives().iterator(chunk_size=500):
        lead = initiative.lead_organisation
        yield [
            csv_safe(value)
            for value in (
                initiative.slug,
                initiative.title,
                initiative.summary,
                base + initiative.get_absolute_url(),
                lead.name,
                lead.register_code,
                initiative.stage,
                initiative.collaboration_level,
                "yes" if initiative.looking_for_partners else "no",
                "; ".join(a.name for a in initiative.service_areas.all()),
                "; ".join(t.name for t in initiative.tags.all()),
                "; ".join(s.name for s in initiative.skills_needed.all()),
                initiative.estimated_cost_pence,
                initiative.funding_band,
                "; ".join(initiative.funding_sources or []),
                initiative.cost_split_method,
                initiative.start_date.isoformat() if initiative.start_date else "",
                "yes" if initiative.start_date_estimated else "no",
                initiative.end_date.isoformat() if initiative.end_date else "",
                "yes" if initiative.end_date_estimated else "no",
                initiative.partner_count,
                initiative.created_at.isoformat(),
                initiative.updated_at.isoformat(),
                OGL_NAME,
            )
        ]


@require_GET
def initiatives_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The open dataset: public initiatives only, for everyone (signed in or
    not), streamed so its size never matters. The licence is in every row's
    ``licence`` column (so it survives any CSV tool) and in the ``Link`` and
    ``X-License`` headers; there is no comment line to trip up parsers."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(request)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="initiatives-{stamp}.csv"'
    response["X-License"] = f"{OGL_NAME} <{OGL_URL}>"
    response["Link"] = f'<{OGL_URL}>; rel="license"'
    return response


# ---------------------------------------------------------------------------
# Create, edit, stage
# ---------------------------------------------------------------------------


def _similar_context(request: HttpRequest, title: str, summary: str) -> dict:
    return {
        "similar": selectors.possible_duplicates(user=request.user, title=title, summary=summary),
        "similar_checked": bool(selectors.significant_words(title, summary)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Propose an initiative. Before saving, possible duplicates are shown once
    (live with htmx; without JavaScript on "Check for similar initiatives" or
    when the form comes back): the officer confirms they still want a new one."""
    if not policies.can_create_initiative(request.user):
        raise PermissionDenied("Only active members of a council or public body can propose.")
    organisation = active_membership_for(request.user).organisation
    similar: dict = {"similar": [], "similar_checked": False}
    confirm_needed = False
    if request.method == "POST":
        form = InitiativeForm(request.POST, organisation=organisation)
        title, summary = request.POST.get("title", ""), request.POST.get("summary", "")
        similar = _similar_context(request, title, summary)
        if "check_similar" in request.POST:
            # The no-JavaScript duplicate check: show the list, save nothing,
            # and do not judge fields the officer has not reached yet.
            form = InitiativeForm(
                initial=InitiativeForm.initial_from_data(request.POST), organisation=organisation
            )
            return render(
                request,
                "initiatives/form.html",
                {"form": form, "creating": True, "duplicates_seen": True, **similar},
            )
        duplicates_seen = request.POST.get("duplicates_seen") == "1"
        if form.is_valid():
            if similar["similar"] and not duplicates_seen:
                confirm_needed = True
            else:
                try:
                    initiative = initiative_services.create_initiative(
                        by=request.user, organisation=organisation, **form.service_kwargs()
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, f"“{initiative.title}” has been created.")
                    return redirect(initiative)
    else:
        form = InitiativeForm(organisation=organisation)
    return render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "creating": True,
            "confirm_needed": confirm_needed,
            # Once shown (error re-render or confirmation), the list counts as seen.
            "duplicates_seen": request.method == "POST" and bool(similar["similar"]),
            **similar,
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def similar(request: HttpRequest) -> HttpResponse:
    """The duplicate check: initiatives this user can see whose title and
    summary look like the text given. htmx asks for the fragment while the
    officer types; without JavaScript it is a page of its own."""
    title = request.GET.get("title", "")[:200]
    summary = request.GET.get("summary", "")[:280]
    context = _similar_context(request, title, summary)
    if getattr(request, "htmx", None):
        return render(request, "initiatives/includes/similar_list.html", context)
    return render(request, "initiatives/similar.html", {**context, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an initiative's details (the lead's members)."""
    initiative = selectors.initiative_detail(user=request.user, slug=slug)
    if not policies.can_edit_initiative(request.user, initiative):
        raise PermissionDenied("Only the lead organisation can edit this initiative.")
    organisation = initiative.lead_organisation
    if request.method == "POST":
        form = InitiativeForm(request.POST, organisation=organisation, with_stage=False)
        if form.is_valid():
            try:
                initiative_services.update_initiative(
                    initiative=initiative, by=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your changes have been saved.")
                return redirect(initiative)
    else:
        form = InitiativeForm(
            initial=InitiativeForm.initial_from(initiative),
            organisation=organisation,
            with_stage=False,
        )
    return render(
        request,
        "initiatives/form.html",
        {"form": form, "initiative": initiative, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a stage change with its date and a note (the lead's members)."""
    initiative = selectors.get_initiative_for_user(request.user, slug)
    if not policies.can_change_stage(request.user, initiative):
        raise PermissionDenied("Only the lead organisation can change the stage.")
    if request.method == "POST":
        form = StageChangeForm(request.POST)
        if form.is_valid():
            try:
                change = initiative_services.change_stage(
                    initiative=initiative,
                    to_stage=form.cleaned_data["to_stage"],
                    changed_on=form.cleaned_data["changed_on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Stage changed to {change.get_to_stage_display()}.")
                return redirect(initiative)
    else:
        form = StageChangeForm()
    return render(request, "initiatives/stage.html", {"form": form, "initiative": initiative})


# ---------------------------------------------------------------------------
# Initiative page
# ---------------------------------------------------------------------------

# Sections other modules contribute: (selector module, function returning a context dict).
SECTIONS = (
    ("initiatives.partnership_selectors", "partnership_section"),
    ("initiatives.discussion_selectors", "discussion_section"),
)
SECTION_TEMPLATES = {
    "partners": "initiatives/includes/partners.html",
    "updates": "initiatives/includes/updates.html",
    "discussion": "initiatives/includes/discussion.html",
    "cost_sharing": "initiatives/includes/cost_sharing.html",
}


def _template_exists(name: str) -> bool:
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return False
    return True


def _section_context(initiative: Initiative, user) -> dict:
    """Merge the partnership and discussion sections' context when their
    modules exist, and say which section templates can be included."""
    context: dict = {}
    for module_name, function_name in SECTIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        section = getattr(module, function_name, None)
        if section is not None:
            context.update(section(initiative=initiative, user=user))
    context["sections"] = {
        key: name for key, name in SECTION_TEMPLATES.items() if _template_exists(name)
    }
    return context


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiative page: overview, stage timeline, then partners, updates,
    cost sharing and discussion, and similar initiatives. 404 alike for missing
    and not visible, so slugs cannot be probed."""
    initiative = selectors.initiative_detail(user=request.user, slug=slug)
    context = {
        "initiative": initiative,
        "timeline": list(initiative.stage_changes.all()),
        "funding_sources": [
            Initiative.FundingSource(value).label
            for value in initiative.funding_sources or []
            if value in Initiative.FundingSource.values
        ],
        "can_edit": policies.can_edit_initiative(request.user, initiative),
        "can_change_stage": policies.can_change_stage(request.user, initiative),
        "similar": selectors.similar_initiatives(user=request.user, initiative=initiative),
        "stage_url": reverse("initiatives:stage", kwargs={"slug": initiative.slug}),
        **_section_context(initiative, request.user),
    }
    return render(request, "initiatives/detail.html", context)
