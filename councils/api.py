"""Organisation API: ``/api/v1/organisations/`` (the directory, with the same
search and facets as ``/councils/``) and ``/api/v1/organisations/<slug>/``
(register facts plus the profile: systems in use, needs, skills offered).

Read-only in this version; profile writes go through the HTML door, which
calls ``services.profiles`` (an API for them would call the same functions).
"""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from collab_platform.api_base import ScopedReadOnlyViewSet

from .filters import OrganisationFilter
from .models import Need, Organisation, ServiceArea, Skill, SkillOffer, SystemInUse
from .selectors import visible_organisations


class ServiceAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceArea
        fields = ["slug", "name"]
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name"]
        read_only_fields = fields


class SystemInUseSerializer(serializers.ModelSerializer):
    service_area = ServiceAreaSerializer(read_only=True)

    class Meta:
        model = SystemInUse
        fields = ["id", "service_area", "supplier", "product", "contract_end_date", "satisfaction"]
        read_only_fields = fields


class NeedSerializer(serializers.ModelSerializer):
    service_area = ServiceAreaSerializer(read_only=True)

    class Meta:
        model = Need
        fields = ["id", "service_area", "description", "priority"]
        read_only_fields = fields


class SkillOfferSerializer(serializers.ModelSerializer):
    skill = SkillSerializer(read_only=True)

    class Meta:
        model = SkillOffer
        fields = ["id", "skill", "detail"]
        read_only_fields = fields


class OrganisationSummarySerializer(serializers.ModelSerializer):
    """What the directory lists: enough to recognise and filter an organisation."""

    url = serializers.HyperlinkedIdentityField(
        view_name="organisation-detail", lookup_field="slug", read_only=True
    )
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

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
        ]
        read_only_fields = fields


class OrganisationDetailSerializer(OrganisationSummarySerializer):
    """One organisation: register facts and its whole profile."""

    successor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    systems = SystemInUseSerializer(many=True, read_only=True)
    needs = NeedSerializer(many=True, read_only=True)
    skills_offered = SkillOfferSerializer(many=True, read_only=True)

    class Meta(OrganisationSummarySerializer.Meta):
        fields = [
            *OrganisationSummarySerializer.Meta.fields,
            "website",
            "latitude",
            "longitude",
            "end_date",
            "successor",
            "systems",
            "needs",
            "skills_offered",
        ]
        read_only_fields = fields


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

    def get_queryset(self) -> QuerySet[Organisation]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            # One query per facet, whatever the profile's size.
            queryset = queryset.select_related("successor").prefetch_related(
                Prefetch("systems", SystemInUse.objects.select_related("service_area")),
                Prefetch("needs", Need.objects.select_related("service_area")),
                Prefetch("skills_offered", SkillOffer.objects.select_related("skill")),
            )
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
