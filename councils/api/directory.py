"""Organisation API: ``/api/v1/organisations/`` (the directory, with the same
search and facets as ``/councils/``) and ``/api/v1/organisations/<slug>/``
(register facts plus every part of the profile in ``profile_parts``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from core.api import ScopedReadOnlyViewSet

from ..forms.directory import OrganisationFilter
from ..models import Organisation
from ..profile_parts import PROFILE_PARTS
from ..selectors.directory import visible_organisations
from ..selectors.profiles import with_whole_profile
from .profiles import PART_SERIALIZERS


class MatchingSystemSerializer(serializers.Serializer):
    """A system that put an organisation in the results (the profile filters or
    a search that found its supplier or product)."""

    service_area = serializers.CharField(source="service_area.slug", read_only=True)
    service_area_name = serializers.CharField(source="service_area.name", read_only=True)
    supplier = serializers.CharField(read_only=True)
    product = serializers.CharField(read_only=True)
    contract_end_date = serializers.DateField(read_only=True, allow_null=True)


class OrganisationSummarySerializer(serializers.ModelSerializer):
    """What the directory lists: enough to recognise and filter an organisation,
    and the systems that matched a supplier, product, service area or contract
    end filter (empty when none was given)."""

    url = serializers.HyperlinkedIdentityField(
        view_name="organisation-detail", lookup_field="slug", read_only=True
    )
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    matching_systems = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "url",
            "web_url",
            "name",
            "official_name",
            "kind",
            "register_code",
            "gss_code",
            "nation",
            "region",
            "authority_type",
            "population",
            "status",
            "matching_systems",
        ]
        read_only_fields = fields

    @extend_schema_field(MatchingSystemSerializer(many=True))
    def get_matching_systems(self, organisation: Organisation) -> list[dict]:
        """Prefetched by ``narrow_to_directory``: no query per row."""
        return MatchingSystemSerializer(
            getattr(organisation, "matching_systems", []), many=True
        ).data


class OrganisationDetailSerializer(OrganisationSummarySerializer):
    """One organisation: register facts and its whole profile (every part in
    ``profile_parts``, under the part's related name)."""

    matching_systems = None  # the whole profile is here instead
    successor = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    website = serializers.SerializerMethodField()

    class Meta(OrganisationSummarySerializer.Meta):
        fields = [
            *(f for f in OrganisationSummarySerializer.Meta.fields if f != "matching_systems"),
            "website",
            "latitude",
            "longitude",
            "end_date",
            "successor",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_website(self, organisation: Organisation) -> str | None:
        """No website is ``null``, not ``""`` (which is not a URI)."""
        return organisation.website or None

    def get_fields(self):
        fields = super().get_fields()
        for part in PROFILE_PARTS.values():
            fields[part.related_name] = PART_SERIALIZERS[part.key].output(many=True, read_only=True)
        return fields


@extend_schema_view(
    list=extend_schema(summary="The directory of active organisations", tags=["organisations"]),
    retrieve=extend_schema(summary="One organisation and its profile", tags=["organisations"]),
)
class OrganisationViewSet(ScopedReadOnlyViewSet):
    """Organisations: active ones are public; platform admins also see
    registered (not yet onboarded) and ended ones by slug."""

    lookup_field = "slug"
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.none()  # for schema generation; scope_queryset decides

    def scope_queryset(self, user) -> QuerySet[Organisation]:
        return visible_organisations(user)

    def narrow_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        if self.action == "retrieve":
            # One query per part, whatever the profile's size.
            queryset = with_whole_profile(queryset)
        return queryset

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        # The directory's facets narrow the list; a slug lookup is answered by
        # scope alone (so platform admins can open a registered organisation).
        if self.action == "list":
            return super().filter_queryset(queryset)
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OrganisationDetailSerializer
        return OrganisationSummarySerializer


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = router.urls
