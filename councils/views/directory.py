"""The council directory and a council's page (the HTML door).

The directory's search rules live in ``selectors.directory`` (via
``forms.directory.OrganisationFilter``, which the API shares); a council's
page shows every part of its profile from ``profile_parts``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from .. import policies
from ..forms.directory import OrganisationFilter
from ..normalise import known_names
from ..page_sections import sections_for
from ..selectors.directory import get_organisation_for_user, visible_organisations
from ..selectors.people import member_role_counts, members_of
from ..selectors.profiles import whole_profile

DIRECTORY_PAGE_SIZE = 25


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Every active organisation, searchable and filterable; htmx swaps only the results."""
    filterset = OrganisationFilter(
        request.GET, queryset=visible_organisations(request.user), request=request
    )
    page = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": filterset.form,
        "page": page,
        "organisations": page.object_list,
        "is_filtered": any(filterset.form.cleaned_data.get(name) for name in filterset.form.fields),
    }
    htmx = getattr(request, "htmx", None)
    fragment = bool(htmx and not htmx.boosted)
    if not fragment:
        context["known_names"] = known_names()
    template = "councils/directory_results.html" if fragment else "councils/directory.html"
    response = render(request, template, context)
    # The same URL answers a whole page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A council's page: register facts, the sections other apps add (its
    initiatives), its profile and its people: their names for those who may
    see names (``policies.may_see_personal_names``), else how many there are
    in each role."""
    organisation = get_organisation_for_user(request.user, slug)
    can_view_members = policies.can_view_members(request.user, organisation)
    context = {
        "organisation": organisation,
        "successor": organisation.successor if organisation.successor_id else None,
        **whole_profile(organisation),
        "can_view_members": can_view_members,
        "members": members_of(organisation) if can_view_members else None,
        "member_role_counts": None if can_view_members else member_role_counts(organisation),
        "can_edit_profile": policies.can_edit_profile(request.user, organisation),
        "can_manage_people": policies.can_manage_people(request.user, organisation),
        # What other apps show here (the initiatives it leads and takes part in).
        "page_sections": sections_for(request.user, organisation),
    }
    return render(request, "councils/detail.html", context)
