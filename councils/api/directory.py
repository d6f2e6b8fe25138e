"""Organisation API: ``/api/v1/organisations/`` (the directory, with the same
search and facets as ``/councils/``) and ``/api/v1/organisations/<slug>/``
(register facts plus the profile: systems in use, needs, skills offered).

Each part of a profile is also its own collection, read by anyone who can
see the organisation and written by its own members (``policies.can_edit_profile``):
``/api/v1/organisations/<slug>/systems/``, ``.../needs/`` and
``.../skills-offered/``. Input serializers check the shape; writes go through
``services.profiles``, exactly as the HTML forms do.
"""

from collections.abc import Callable
from functools import cached_property

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet

from . import policies
from .filters import OrganisationFilter
from .models import Need, Organisation, ServiceArea, Skill, SkillOffer, SystemInUse
from .selectors import get_organisation_for_user, visible_organisations
from .services import profiles


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

    def narrow_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
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


# Profile parts -----------------------------------------------------------------------------


class SystemInUseInputSerializer(serializers.Serializer):
    service_area = serializers.SlugRelatedField(
        slug_field="slug", queryset=ServiceArea.objects.all(), help_text="A service area's slug."
    )
    supplier = serializers.CharField(max_length=150)
    product = serializers.CharField(max_length=150)
    contract_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    satisfaction = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="1 (very dissatisfied) to 5."
    )


class NeedInputSerializer(serializers.Serializer):
    service_area = serializers.SlugRelatedField(
        slug_field="slug", queryset=ServiceArea.objects.all(), help_text="A service area's slug."
    )
    description = serializers.CharField(max_length=500)
    priority = serializers.ChoiceField(choices=Need.Priority.choices, default=Need.Priority.MEDIUM)


class SkillOfferInputSerializer(serializers.Serializer):
    skill = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), help_text="A skill's slug."
    )
    detail = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CanEditProfileOrReadOnly(BasePermission):
    """Anyone who can see the organisation reads its profile; only its own
    active members change it (the same policy as the HTML door)."""

    def has_permission(self, request, view) -> bool:
        organisation = view.organisation  # 404 first if the organisation is not visible
        if request.method in SAFE_METHODS:
            return True
        return policies.can_edit_profile(request.user, organisation)


ORGANISATION_SLUG = OpenApiParameter(
    "organisation_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Organisation slug"
)


class ProfilePartViewSet(ScopedModelViewSet):
    """Shared behaviour of the three profile collections. Subclasses name the
    model, serializers and services; every write goes through the service."""

    permission_classes = [CanEditProfileOrReadOnly]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    pagination_class = None  # a profile part is short; the whole list is one answer
    filterset_class = None
    filter_backends: list = []

    model: type[Model]
    input_serializer_class: type[serializers.Serializer]
    select_related: str
    add_service: Callable[..., Model]
    update_service: Callable[..., Model]
    remove_service: Callable[..., None]
    object_kwarg: str

    @cached_property
    def organisation(self) -> Organisation:
        return get_organisation_for_user(self.request.user, self.kwargs["organisation_slug"])

    def scope_queryset(self, user) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return self.model.objects.none()
        return self.model.objects.filter(organisation=self.organisation).select_related(
            self.select_related
        )

    def _validated(self, data, *, partial: bool = False) -> dict:
        serializer = self.input_serializer_class(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        created = self.add_service(
            organisation=self.organisation, by=request.user, **self._validated(request.data)
        )
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        current = {name: getattr(obj, name) for name in self.input_serializer_class().fields}
        changes = self._validated(request.data, partial=partial)
        updated = self.update_service(
            **{self.object_kwarg: obj}, by=request.user, **{**current, **changes}
        )
        return Response(self.get_serializer(updated).data)

    def destroy(self, request, *args, **kwargs):
        self.remove_service(**{self.object_kwarg: self.get_object()}, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _profile_part_schema(noun: str, input_serializer, output_serializer):
    return extend_schema_view(
        list=extend_schema(summary=f"The organisation's {noun}s", parameters=[ORGANISATION_SLUG]),
        retrieve=extend_schema(summary=f"One {noun}", parameters=[ORGANISATION_SLUG]),
        create=extend_schema(
            summary=f"Add a {noun} (the organisation's own members)",
            parameters=[ORGANISATION_SLUG],
            request=input_serializer,
            responses={201: output_serializer},
        ),
        update=extend_schema(
            summary=f"Replace a {noun}",
            parameters=[ORGANISATION_SLUG],
            request=input_serializer,
            responses=output_serializer,
        ),
        partial_update=extend_schema(
            summary=f"Change part of a {noun}",
            parameters=[ORGANISATION_SLUG],
            request=input_serializer,
            responses=output_serializer,
        ),
        destroy=extend_schema(
            summary=f"Remove a {noun}", parameters=[ORGANISATION_SLUG], responses={204: None}
        ),
    )


@extend_schema(tags=["profiles"])
@_profile_part_schema("system in use", SystemInUseInputSerializer, SystemInUseSerializer)
class SystemInUseViewSet(ProfilePartViewSet):
    queryset = SystemInUse.objects.none()  # for schema generation; scope_queryset decides
    model = SystemInUse
    serializer_class = SystemInUseSerializer
    input_serializer_class = SystemInUseInputSerializer
    select_related = "service_area"
    add_service = staticmethod(profiles.add_system)
    update_service = staticmethod(profiles.update_system)
    remove_service = staticmethod(profiles.remove_system)
    object_kwarg = "system"


@extend_schema(tags=["profiles"])
@_profile_part_schema("need", NeedInputSerializer, NeedSerializer)
class NeedViewSet(ProfilePartViewSet):
    queryset = Need.objects.none()
    model = Need
    serializer_class = NeedSerializer
    input_serializer_class = NeedInputSerializer
    select_related = "service_area"
    add_service = staticmethod(profiles.add_need)
    update_service = staticmethod(profiles.update_need)
    remove_service = staticmethod(profiles.remove_need)
    object_kwarg = "need"


@extend_schema(tags=["profiles"])
@_profile_part_schema("skill offered", SkillOfferInputSerializer, SkillOfferSerializer)
class SkillOfferViewSet(ProfilePartViewSet):
    queryset = SkillOffer.objects.none()
    model = SkillOffer
    serializer_class = SkillOfferSerializer
    input_serializer_class = SkillOfferInputSerializer
    select_related = "skill"
    add_service = staticmethod(profiles.add_skill_offer)
    update_service = staticmethod(profiles.update_skill_offer)
    remove_service = staticmethod(profiles.remove_skill_offer)
    object_kwarg = "skill_offer"


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
_PART = r"organisations/(?P<organisation_slug>[^/.]+)"
router.register(f"{_PART}/systems", SystemInUseViewSet, basename="organisation-system")
router.register(f"{_PART}/needs", NeedViewSet, basename="organisation-need")
router.register(f"{_PART}/skills-offered", SkillOfferViewSet, basename="organisation-skill-offer")

urlpatterns = router.urls
