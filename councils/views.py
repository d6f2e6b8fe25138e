"""Council directory, council pages and profile editing (the HTML door).

Views parse the request, ask ``policies``, call ``services.profiles`` and
render; the directory's search rules live in ``selectors`` (via
``filters.OrganisationFilter``, which the API shares).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Model, QuerySet, Value, When
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from . import forms, policies, selectors
from .filters import OrganisationFilter
from .models import Need, Organisation
from .services import profiles

DIRECTORY_PAGE_SIZE = 25


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Every active organisation, searchable and filterable; htmx swaps only the results."""
    filterset = OrganisationFilter(
        request.GET, queryset=selectors.visible_organisations(request.user), request=request
    )
    page = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": filterset.form,
        "page": page,
        "organisations": page.object_list,
        "is_filtered": any(filterset.form.cleaned_data.get(name) for name in filterset.form.fields),
    }
    htmx = getattr(request, "htmx", None)
    template = (
        "councils/directory_results.html"
        if htmx and not htmx.boosted
        else "councils/directory.html"
    )
    response = render(request, template, context)
    # The same URL answers a whole page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A council's page: register facts, its profile and (signed in) its people."""
    organisation = selectors.get_organisation_for_user(request.user, slug)
    can_view_members = policies.can_view_members(request.user, organisation)
    context = {
        "organisation": organisation,
        "successor": organisation.successor if organisation.successor_id else None,
        **{facet.related_name: facet.rows(organisation) for facet in FACETS.values()},
        "can_view_members": can_view_members,
        "members": selectors.members_of(organisation) if can_view_members else None,
        "can_edit_profile": policies.can_edit_profile(request.user, organisation),
    }
    return render(request, "councils/detail.html", context)


# Profile editing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """One editable part of a profile: its rows, form, services and words."""

    key: str
    related_name: str
    select_related: str
    form_class: type[Form]
    add_service: Callable[..., Model]
    update_service: Callable[..., Model]
    remove_service: Callable[..., None]
    object_kwarg: str  # what the update/remove services call the row
    noun: str  # "system", used in headings and messages
    add_heading: str
    order_by: tuple = ()  # empty: the model's own ordering

    def rows(self, organisation: Organisation) -> QuerySet:
        rows = getattr(organisation, self.related_name).select_related(self.select_related)
        return rows.order_by(*self.order_by) if self.order_by else rows

    def initial(self, obj: Model) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.form_class.base_fields}

    def add(self, *, organisation: Organisation, by, data: dict[str, Any]) -> Model:
        return self.add_service(organisation=organisation, by=by, **data)

    def update(self, *, obj: Model, by, data: dict[str, Any]) -> Model:
        return self.update_service(**{self.object_kwarg: obj}, by=by, **data)

    def remove(self, *, obj: Model, by) -> None:
        self.remove_service(**{self.object_kwarg: obj}, by=by)


FACETS: dict[str, Facet] = {
    "systems": Facet(
        key="systems",
        related_name="systems",
        select_related="service_area",
        form_class=forms.SystemForm,
        add_service=profiles.add_system,
        update_service=profiles.update_system,
        remove_service=profiles.remove_system,
        object_kwarg="system",
        noun="system",
        add_heading="Add a system your council uses",
    ),
    "needs": Facet(
        key="needs",
        related_name="needs",
        select_related="service_area",
        form_class=forms.NeedForm,
        add_service=profiles.add_need,
        update_service=profiles.update_need,
        remove_service=profiles.remove_need,
        object_kwarg="need",
        noun="need",
        add_heading="Add something your council needs",
        # Within a service area, most urgent first (the stored values sort alphabetically).
        order_by=(
            "service_area__name",
            Case(
                When(priority=Need.Priority.HIGH, then=Value(0)),
                When(priority=Need.Priority.MEDIUM, then=Value(1)),
                default=Value(2),
            ),
            "pk",
        ),
    ),
    "skills": Facet(
        key="skills",
        related_name="skills_offered",
        select_related="skill",
        form_class=forms.SkillOfferForm,
        add_service=profiles.add_skill_offer,
        update_service=profiles.update_skill_offer,
        remove_service=profiles.remove_skill_offer,
        object_kwarg="skill_offer",
        noun="skill offered",
        add_heading="Offer a skill",
    ),
}


def _editable_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation if the user may edit its profile: 404 when it is not
    visible at all, 403 when it is visible but not theirs to change."""
    organisation = selectors.get_organisation_for_user(request.user, slug)
    if not policies.can_edit_profile(request.user, organisation):
        raise PermissionDenied("Only the council's own members can change its profile.")
    return organisation


def _facet(key: str) -> Facet:
    try:
        return FACETS[key]
    except KeyError:
        raise Http404("No such part of a profile.")


def _facet_row(facet: Facet, organisation: Organisation, pk: int):
    """A row of this organisation's profile: another council's pk is a 404 like a missing one."""
    return get_object_or_404(facet.rows(organisation), pk=pk)


def _apply_service(form: Form, call) -> Any:
    """Run a service; put its validation errors on the form instead of failing."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, field_errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            form.add_error(None, error)
        return None


@login_required
@require_GET
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The profile overview: each part with its rows and links to change them."""
    organisation = _editable_organisation(request, slug)
    context = {"organisation": organisation}
    for facet in FACETS.values():
        context[facet.related_name] = facet.rows(organisation)
    return render(request, "councils/profile/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def facet_add(request: HttpRequest, slug: str, facet: str) -> HttpResponse:
    organisation = _editable_organisation(request, slug)
    spec = _facet(facet)
    form = spec.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = _apply_service(
            form,
            lambda: spec.add(organisation=organisation, by=request.user, data=form.cleaned_data),
        )
        if created is not None:
            messages.success(request, f"{spec.noun.capitalize()} added: {created}")
            return redirect("councils:profile_edit", slug=organisation.slug)
    return render(
        request,
        "councils/profile/facet_form.html",
        {
            "organisation": organisation,
            "facet": spec,
            "form": form,
            "heading": spec.add_heading,
            "submit_label": "Add",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def facet_edit(request: HttpRequest, slug: str, facet: str, pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, slug)
    spec = _facet(facet)
    obj = _facet_row(spec, organisation, pk)
    if request.method == "POST":
        form = spec.form_class(request.POST)
        if form.is_valid():
            updated = _apply_service(
                form, lambda: spec.update(obj=obj, by=request.user, data=form.cleaned_data)
            )
            if updated is not None:
                messages.success(request, f"{spec.noun.capitalize()} updated: {updated}")
                return redirect("councils:profile_edit", slug=organisation.slug)
    else:
        form = spec.form_class(initial=spec.initial(obj))
    return render(
        request,
        "councils/profile/facet_form.html",
        {
            "organisation": organisation,
            "facet": spec,
            "form": form,
            "object": obj,
            "heading": f"Change {spec.noun}",
            "submit_label": "Save changes",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def facet_delete(request: HttpRequest, slug: str, facet: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the row."""
    organisation = _editable_organisation(request, slug)
    spec = _facet(facet)
    obj = _facet_row(spec, organisation, pk)
    if request.method == "POST":
        label = str(obj)
        try:
            spec.remove(obj=obj, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{spec.noun.capitalize()} removed: {label}")
        return redirect("councils:profile_edit", slug=organisation.slug)
    return render(
        request,
        "councils/profile/facet_delete.html",
        {"organisation": organisation, "facet": spec, "object": obj},
    )
