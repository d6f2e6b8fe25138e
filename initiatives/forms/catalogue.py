"""The catalogue's search form: the page's GET form, and the API's query
parameters parsed the same way."""

from django import forms
from django.core.validators import validate_slug

from core.forms import GovukForm
from councils.models import Organisation

from ..models import Initiative
from ..selectors.catalogue import UPDATED_SINCE_DAYS, CatalogueFilters, Sort, effective_sort

ORGANISATION_SLUG_LENGTH = Organisation._meta.get_field("slug").max_length


class FacetField(forms.MultipleChoiceField):
    """A checkbox facet: an empty value (``?stage=``, as a cleared filter
    sends) is "any", not an invalid choice."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class CatalogueSearchForm(GovukForm):
    """The catalogue's GET form. Unknown values are ignored rather than shown
    as errors: a search page should always answer."""

    q = forms.CharField(label="Search initiatives", required=False, max_length=200)
    service_area = forms.MultipleChoiceField(required=False)
    stage = FacetField(required=False, choices=Initiative.Stage.choices)
    collaboration_level = FacetField(required=False, choices=Initiative.CollaborationLevel.choices)
    authority_type = forms.MultipleChoiceField(required=False)
    region = forms.MultipleChoiceField(required=False)
    looking_for_partners = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("yes", "Yes"), ("no", "No")]
    )
    funding_band = FacetField(required=False, choices=Initiative.FundingBand.choices)
    updated_within_days = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any time"), *((str(d), f"{d} days") for d in UPDATED_SINCE_DAYS)],
    )
    sort = forms.ChoiceField(required=False, choices=Sort.choices)
    # An organisation's slug. Not stripped: " leeds" is not a slug, and the
    # API's schema says so. Any well-formed slug is accepted (an unknown one,
    # or one whose initiatives the viewer cannot see, simply matches
    # nothing), so the answer never tells which organisations exist.
    lead = forms.CharField(
        required=False, strip=False, max_length=ORGANISATION_SLUG_LENGTH, validators=[validate_slug]
    )
    partner = forms.CharField(
        required=False, strip=False, max_length=ORGANISATION_SLUG_LENGTH, validators=[validate_slug]
    )

    # Free-text facets (values come from the data): accept any short value.
    FREE_FACETS = ("service_area", "authority_type", "region")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name in self.FREE_FACETS:
            # An empty value is "any" (a cleared select), not an error.
            self.fields[name].valid_value = lambda value: len(value) <= 100

    def _safe(self, name: str, default):
        """A field's cleaned value, or ``default`` when what was sent is invalid."""
        if name in self.errors:
            return default
        return self.cleaned_data.get(name, default)

    def filters(self) -> CatalogueFilters:
        self.is_valid()
        looking = self._safe("looking_for_partners", "")
        return CatalogueFilters(
            service_area=self._given("service_area"),
            stage=tuple(self._safe("stage", [])),
            collaboration_level=tuple(self._safe("collaboration_level", [])),
            authority_type=self._given("authority_type"),
            region=self._given("region"),
            looking_for_partners={"yes": True, "no": False}.get(looking),
            funding_band=tuple(self._safe("funding_band", [])),
            updated_within_days=self._safe("updated_within_days", None),
            lead=self._safe("lead", "") or "",
            partner=self._safe("partner", "") or "",
        )

    def _given(self, name: str) -> tuple[str, ...]:
        """A free facet's values, without the empty ones."""
        return tuple(value for value in self._safe(name, []) if value)

    def search_query(self) -> str:
        self.is_valid()
        return self._safe("q", "") or ""

    def selected_sort(self) -> str:
        self.is_valid()
        return self._safe("sort", "") or ""

    def search_kwargs(self) -> dict:
        """What ``selectors.catalogue.search_initiatives`` (and
        ``open_data_initiatives``) take: the one reading of the catalogue's
        parameters that the page, the API and the CSV share. An unbound form
        (no parameters) is the whole catalogue, most recently updated first."""
        if not self.is_bound:
            return {
                "query": "",
                "filters": CatalogueFilters(),
                "sort": effective_sort(query="", sort=""),
            }
        query = self.search_query()
        return {
            "query": query,
            "filters": self.filters(),
            "sort": effective_sort(query=query, sort=self.selected_sort()),
        }
