"""Catalogue pages: search and facets, the open-data CSV and the duplicate
check ("another council may already be doing this").

Doors only: parse input (forms), call ``selectors``, render.
"""

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from core.streaming import SyncStreamingHttpResponse
from councils.models import Organisation

from .. import policies
from ..forms.catalogue import CatalogueSearchForm
from ..selectors import catalogue as selectors

PAGE_SIZE = 20
OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectedFilter:
    """One chosen facet value (or the search), with the page without it."""

    label: str
    value: str
    remove_url: str


def _query_string(params: QueryDict, *, drop: tuple[str, str] | None = None) -> str:
    """The catalogue's own parameters (form fields only, never ``page``),
    less one ``(name, value)``, as a query string."""
    kept = QueryDict(mutable=True)
    for name in CatalogueSearchForm.base_fields:
        values = [v for v in params.getlist(name) if (name, v) != drop and v != ""]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def _selected_filters(
    request: HttpRequest, query: str, facets: list[selectors.Facet]
) -> list[SelectedFilter]:
    """What is chosen, each removable with one link (GOV.UK's "selected
    filters" pattern), so a council chosen from the dashboard or a council page
    can be taken off without finding it in a long list."""
    base = reverse("initiatives:catalogue")

    def without(name: str, value: str) -> str:
        rest = _query_string(request.GET, drop=(name, value))
        return f"{base}?{rest}" if rest else base

    chosen = (
        [SelectedFilter("Search", query, without("q", request.GET.get("q", "")))] if query else []
    )
    for facet in facets:
        for value in facet.values:
            if value.selected:
                chosen.append(
                    SelectedFilter(facet.label, value.label, without(facet.name, value.value))
                )
    return chosen


@require_GET
@vary_on_headers("HX-Request")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Search and filter the initiatives this user may see. A plain GET form,
    so it works without JavaScript; with htmx the form swaps the results and
    facet counts in place and pushes the URL."""
    form = CatalogueSearchForm(request.GET or None)
    search = form.search_kwargs()
    query, filters, sort = search["query"], search["filters"], search["sort"]
    results = selectors.search_initiatives(user=request.user, **search)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = selectors.facet_counts(user=request.user, query=query, filters=filters)
    context = {
        "form": form,
        "query": query,
        "page": page,
        "facets": facets,
        # Nothing to filter by (e.g. an empty result): no panel of headings
        # and a button that would change nothing.
        "any_facet_options": any(facet.has_options for facet in facets),
        "selected_filters": _selected_filters(request, query, facets),
        "sort": sort,
        "sort_choices": [
            (value, label)
            for value, label in selectors.Sort.choices
            if value != selectors.Sort.RELEVANCE or query
        ],
        "filtered": any(value for value in vars(filters).values() if value is not None),
        # The open data link exports what the page shows (public rows only).
        "csv_query": _query_string(request.GET),
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
# A council's page: "Initiatives led" and "Taking part in"
# ---------------------------------------------------------------------------


def catalogue_url(**params: str) -> str:
    """The catalogue filtered by ``params`` (``lead=<slug>``, ``partner=<slug>``)."""
    return f"{reverse('initiatives:catalogue')}?{urlencode(params)}"


def council_page_section(user, organisation: Organisation) -> dict:
    """The council page's initiatives section (registered with
    ``councils.page_sections`` in ``InitiativesConfig.ready``): the first few
    it leads and takes part in, for this viewer, each with "See all" to the
    catalogue filtered the same way."""
    return {
        "found": selectors.council_initiatives(user=user, organisation=organisation),
        "led_url": catalogue_url(lead=organisation.slug),
        "taking_part_url": catalogue_url(partner=organisation.slug),
    }


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
    # The catalogue's parameters, read exactly as the page reads them (a stale
    # link's unknown values are ignored, as there).
    search = CatalogueSearchForm(request.GET or None).search_kwargs()
    for initiative in selectors.open_data_initiatives(**search).iterator(chunk_size=500):
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
def initiatives_csv(request: HttpRequest) -> SyncStreamingHttpResponse:
    """The open dataset: public initiatives only, for everyone (signed in or
    not), searched, filtered and sorted by the same parameters as the
    catalogue page that links to it, streamed so its size never matters. The
    licence is in every row's ``licence`` column (so it survives any CSV tool)
    and in the ``Link`` and ``X-License`` headers; there is no comment line to
    trip up parsers."""
    writer = csv.writer(_Echo())
    rows = _csv_rows(request)
    # Read the header and the first rows now, inside the view: if the database
    # is not answering, the client gets a 503 at once instead of a stream
    # that stalls after its headers were sent.
    first = list(itertools.islice(rows, 2))
    response = SyncStreamingHttpResponse(
        (writer.writerow(row) for row in itertools.chain(first, rows)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="initiatives-{stamp}.csv"'
    response["X-License"] = f"{OGL_NAME} <{OGL_URL}>"
    response["Link"] = f'<{OGL_URL}>; rel="license"'
    return response


# ---------------------------------------------------------------------------
# Duplicate check
# ---------------------------------------------------------------------------


def similar_context(request: HttpRequest, title: str, summary: str) -> dict:
    """What the duplicate check shows: similar initiatives, and whether the
    text had enough words to compare at all."""
    return {
        "similar": selectors.possible_duplicates(user=request.user, title=title, summary=summary),
        "similar_checked": bool(selectors.significant_words(title, summary)),
    }


@require_GET
@vary_on_headers("HX-Request")
def similar(request: HttpRequest) -> HttpResponse:
    """The duplicate check: initiatives this user can see whose title and
    summary look like the text given. htmx asks for the fragment while the
    officer types; without JavaScript it is a page of its own."""
    title = request.GET.get("title", "")[:200]
    summary = request.GET.get("summary", "")[:280]
    context = similar_context(request, title, summary)
    if getattr(request, "htmx", None):
        return render(request, "initiatives/includes/similar_list.html", context)
    return render(request, "initiatives/similar.html", {**context, "title": title})
