"""Profile editing (the HTML door): a council's own members add, change and
remove the parts of its profile listed in ``profile_parts``.

Views parse the request, load the organisation through the access helper
with ``policies.can_edit_profile`` (404 when it is not visible, 403 when it
is not theirs), call the part's service and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.doors import run_service

from .. import policies
from ..forms.profiles import PART_FORMS
from ..models import Organisation
from ..profile_parts import PROFILE_PARTS, ProfilePart, profile_part
from ..selectors.directory import get_organisation_for_user
from ..selectors.profiles import profile_row_or_404, whole_profile

if set(PART_FORMS) != set(PROFILE_PARTS):  # pragma: no cover - a half-added part
    raise RuntimeError("forms.profiles.PART_FORMS must have a form for every profile part.")

NOT_YOURS = "Only the council's own members can change its profile."


def _editable_organisation(request: HttpRequest, slug: str) -> Organisation:
    return get_organisation_for_user(
        request.user, slug, require=policies.can_edit_profile, message=NOT_YOURS
    )


def _part(key: str) -> ProfilePart:
    part = profile_part(key)
    if part is None:
        raise Http404("No such part of a profile.")
    return part


def _initial(part: ProfilePart, obj) -> dict:
    """The row's current values, for the fields its form asks about."""
    return {name: getattr(obj, name) for name in PART_FORMS[part.key].base_fields}


def _render_form(request: HttpRequest, organisation: Organisation, part: ProfilePart, **context):
    return render(
        request,
        "councils/profile/facet_form.html",
        {"organisation": organisation, "facet": part, **context},
    )


@login_required
@require_GET
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The profile overview: each part with its rows and links to change them."""
    organisation = _editable_organisation(request, slug)
    context = {"organisation": organisation, **whole_profile(organisation)}
    return render(request, "councils/profile/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def facet_add(request: HttpRequest, slug: str, facet: str) -> HttpResponse:
    organisation = _editable_organisation(request, slug)
    part = _part(facet)
    form = PART_FORMS[part.key](request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, created = run_service(
            form,
            lambda: part.add(organisation=organisation, by=request.user, data=form.cleaned_data),
        )
        if ok:
            messages.success(request, f"{part.noun.capitalize()} added: {created}")
            return redirect("councils:profile_edit", slug=organisation.slug)
    return _render_form(
        request, organisation, part, form=form, heading=part.add_heading, submit_label="Add"
    )


@login_required
@require_http_methods(["GET", "POST"])
def facet_edit(request: HttpRequest, slug: str, facet: str, pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, slug)
    part = _part(facet)
    obj = profile_row_or_404(organisation, part, pk)
    form_class = PART_FORMS[part.key]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            ok, updated = run_service(
                form, lambda: part.update(obj=obj, by=request.user, data=form.cleaned_data)
            )
            if ok:
                messages.success(request, f"{part.noun.capitalize()} updated: {updated}")
                return redirect("councils:profile_edit", slug=organisation.slug)
    else:
        form = form_class(initial=_initial(part, obj))
    return _render_form(
        request,
        organisation,
        part,
        form=form,
        object=obj,
        heading=f"Change {part.noun}",
        submit_label="Save changes",
    )


@login_required
@require_http_methods(["GET", "POST"])
def facet_delete(request: HttpRequest, slug: str, facet: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the row."""
    organisation = _editable_organisation(request, slug)
    part = _part(facet)
    obj = profile_row_or_404(organisation, part, pk)
    if request.method == "POST":
        label = str(obj)
        try:
            part.remove(obj=obj, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{part.noun.capitalize()} removed: {label}")
        return redirect("councils:profile_edit", slug=organisation.slug)
    return render(
        request,
        "councils/profile/facet_delete.html",
        {"organisation": organisation, "facet": part, "object": obj},
    )
