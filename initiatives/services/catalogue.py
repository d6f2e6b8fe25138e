"""Writes that keep the catalogue's search index fresh. The searches
themselves are reads (``selectors.catalogue``); both use
``Initiative.SEARCH_CONFIG`` so what is indexed is what is searched."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Concat

from councils.models import Organisation

from ..models import Initiative

# Fields that feed the search vector: changing any of them refreshes it.
SEARCH_FIELDS = ("title", "summary", "description")
# The lead organisation's fields that feed it: renaming the organisation, or
# handing over the lead, refreshes the vectors of the initiatives it leads.
LEAD_SEARCH_FIELDS = ("name", "official_name")


def refresh_search_vector(*, initiative: Initiative) -> None:
    """Refresh one initiative's vector (``refresh_search_vectors``); called by
    every write that changes its searched text, tags or lead."""
    refresh_search_vectors(Initiative.objects.filter(pk=initiative.pk))


def refresh_search_vectors(initiatives: QuerySet[Initiative]) -> int:
    """Store the weighted full-text vector of each initiative in
    ``initiatives``: title A; summary and the lead organisation's short and
    official names B (searching "Leeds" finds what Leeds leads, ranked below
    a title that says Leeds); description and tag names C. PostgreSQL only:
    SQLite searches with a simpler fallback and needs no vector. One UPDATE
    whatever the number of rows (the names and tags are subqueries)."""
    if connection.vendor != "postgresql":
        return 0
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchVector

    config = Initiative.SEARCH_CONFIG
    lead_names = Subquery(
        Organisation.objects.filter(pk=OuterRef("lead_organisation_id")).values(
            names=Concat("name", Value(" "), "official_name", output_field=TextField())
        ),
        output_field=TextField(),
    )
    tag_names = Subquery(
        Initiative.tags.through.objects.filter(initiative_id=OuterRef("pk"))
        .order_by()
        .values("initiative_id")
        .annotate(names=StringAgg("tag__name", delimiter=" "))
        .values("names"),
        output_field=TextField(),
    )
    return initiatives.update(
        search_vector=(
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector(lead_names, weight="B", config=config)
            + SearchVector("description", weight="C", config=config)
            + SearchVector(tag_names, weight="C", config=config)
        )
    )


def refresh_search_vectors_led_by(*, organisation_ids: Iterable[int]) -> int:
    """After organisations were renamed: refresh what they lead (one UPDATE)."""
    ids = list(organisation_ids)
    if not ids:
        return 0
    return refresh_search_vectors(Initiative.objects.filter(lead_organisation_id__in=ids))
