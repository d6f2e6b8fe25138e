"""Writes that keep the catalogue's search index fresh. The searches
themselves are reads (``selectors.catalogue``); both use
``Initiative.SEARCH_CONFIG`` so what is indexed is what is searched."""

from __future__ import annotations

from django.db import connection
from django.db.models import Value

from ..models import Initiative

# Fields that feed the search vector: changing any of them refreshes it.
SEARCH_FIELDS = ("title", "summary", "description")


def refresh_search_vector(*, initiative: Initiative) -> None:
    """Store the weighted full-text vector (title A, summary B, description and
    tag names C) so catalogue search ranks a title match above a description
    match. PostgreSQL only: SQLite searches with a simpler fallback and needs no
    vector. One UPDATE, called by every write that changes the searched text."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    config = Initiative.SEARCH_CONFIG
    tag_names = " ".join(initiative.tags.values_list("name", flat=True))
    Initiative.objects.filter(pk=initiative.pk).update(
        search_vector=(
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("description", weight="C", config=config)
            + SearchVector(Value(tag_names), weight="C", config=config)
        )
    )
