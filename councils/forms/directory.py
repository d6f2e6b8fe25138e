"""The directory's search form: its query and facets as a django-filter
FilterSet, shared by the ``/councils/`` page and ``/api/v1/organisations/``.

The FilterSet parses and validates the parameters (and documents them in the
OpenAPI schema); the rules themselves live in
``selectors.directory.narrow_to_directory``, so the site and the API always agree.
Facet options are the distinct values present in the directory, not a
hard-coded list, so a newly onboarded nation or authority type appears by itself.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from core.forms import GovukForm

from ..models import Organisation
from ..selectors.directory import directory_facet_values, narrow_to_directory

FACETS = ("nation", "region", "authority_type", "kind")


def _distinct_values(field: str):
    """A choices callable: the distinct non-empty values of ``field`` in the directory."""

    def choices() -> list[tuple[str, str]]:
        return [(value, value) for value in directory_facet_values(field)]

    return choices


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search by name or code",
        method="_noop",
        help_text="Part of a name, or a register code (LDS) or GSS code (E08000035).",
        max_length=100,
    )
    nation = django_filters.ChoiceFilter(
        label="Nation",
        choices=_distinct_values("nation"),
        empty_label="All nations",
        method="_noop",
    )
    region = django_filters.ChoiceFilter(
        label="Region",
        choices=_distinct_values("region"),
        empty_label="All regions",
        method="_noop",
    )
    authority_type = django_filters.ChoiceFilter(
        label="Type",
        choices=_distinct_values("authority_type"),
        empty_label="All types",
        method="_noop",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of organisation",
        choices=Organisation.Kind.choices,
        empty_label="All kinds",
        method="_noop",
    )

    class Meta:
        model = Organisation
        fields = ["q", *FACETS]
        form = GovukForm  # GOV.UK error wording for the API's 400s

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ask the database for each facet's options once per request: a choices
        # callable would otherwise run again for validation and for rendering.
        for name in ("nation", "region", "authority_type"):
            choices = self.filters[name].extra["choices"]
            if callable(choices):
                self.filters[name].extra["choices"] = list(choices())

    def _noop(self, queryset, name, value):  # each filter is applied together, below
        return queryset

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Keep ``queryset``'s scope and prefetches; narrow it to the directory's answer."""
        cleaned = self.form.cleaned_data
        return narrow_to_directory(
            queryset,
            query=cleaned.get("q") or "",
            **{facet: cleaned.get(facet) or "" for facet in FACETS},
        )
