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
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.forms import GovukForm

from ..models import Organisation, ServiceArea
from ..selectors.directory import directory_facet_values, narrow_to_directory

FACETS = ("nation", "region", "authority_type", "kind")


def _distinct_values(field: str):
    """A choices callable: the distinct non-empty values of ``field`` in the directory."""

    def choices() -> list[tuple[str, str]]:
        return [(value, value) for value in directory_facet_values(field)]

    return choices


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A service area chosen by its slug (a string in the OpenAPI schema)."""


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search by name, code, supplier or product",
        method="_noop",
        help_text=(
            "Part of a name, a register code (LDS) or GSS code (E08000035), "
            "or part of a supplier or product name (Salesforce)."
        ),
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

    service_area = SlugChoiceFilter(
        label="Service area",
        queryset=ServiceArea.objects.order_by("name"),
        to_field_name="slug",
        empty_label="All service areas",
        method="_noop",
        help_text="Councils running a system in this service area.",
    )
    supplier = django_filters.CharFilter(
        label="Supplier",
        method="_noop",
        max_length=150,
        help_text="Exact supplier name; case and spacing do not matter.",
        # Suggestions from the names on record (a datalist: no JavaScript needed).
        widget=forms.TextInput(attrs={"list": "directory-suppliers", "autocomplete": "off"}),
    )
    product = django_filters.CharFilter(
        label="Product",
        method="_noop",
        max_length=150,
        help_text="Exact product name; case and spacing do not matter.",
        widget=forms.TextInput(attrs={"list": "directory-products", "autocomplete": "off"}),
    )
    contract_ends_before = django_filters.DateFilter(
        label="Contract ends before",
        method="_noop",
        help_text="A date, for example 2027-12-31. Systems with no end date are left out.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Organisation
        fields = ["q", *FACETS, "service_area", "supplier", "product", "contract_ends_before"]
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
            service_area=area.slug if (area := cleaned.get("service_area")) else "",
            supplier=cleaned.get("supplier") or "",
            product=cleaned.get("product") or "",
            contract_ends_before=cleaned.get("contract_ends_before"),
        )
