"""Profile parts API: ``/api/v1/organisations/<organisation_slug>/systems/``,
``.../needs/`` and ``.../skills-offered/``, one route per part in
``profile_parts``.

Each part is read by anyone who can see the organisation and written by its
own members (``policies.can_edit_profile``, the same rule as the HTML door).
Input serializers check the shape; writes go through the part's services,
exactly as the profile editor's forms do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.api import NestedParentMixin, ScopedModelViewSet

from .. import policies
from ..models import Need, ServiceArea, Skill, SkillOffer, SystemInUse
from ..profile_parts import PROFILE_PARTS, ProfilePart
from ..selectors.directory import get_organisation_for_user
from ..selectors.profiles import profile_rows


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


class SystemInUseInputSerializer(serializers.Serializer):
    service_area = serializers.SlugRelatedField(
        slug_field="slug", queryset=ServiceArea.objects.all(), help_text="A service area's slug."
    )
    supplier = serializers.CharField(max_length=150)
    product = serializers.CharField(max_length=150)
    contract_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    satisfaction = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=5,
        help_text="1 (very dissatisfied) to 5.",
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


@dataclass(frozen=True)
class PartSerializers:
    """What the API reads (``output``) and accepts (``input``) for one part."""

    output: type[serializers.ModelSerializer]
    input: type[serializers.Serializer]


PART_SERIALIZERS: dict[str, PartSerializers] = {
    "systems": PartSerializers(SystemInUseSerializer, SystemInUseInputSerializer),
    "needs": PartSerializers(NeedSerializer, NeedInputSerializer),
    "skills": PartSerializers(SkillOfferSerializer, SkillOfferInputSerializer),
}

_missing = set(PROFILE_PARTS) - set(PART_SERIALIZERS)
if _missing:  # pragma: no cover - a part added to the registry without its serializers
    raise RuntimeError(f"profile parts without API serializers: {sorted(_missing)}")


class CanEditProfileOrReadOnly(BasePermission):
    """Anyone who can see the organisation reads its profile; only its own
    active members change it (the same policy as the HTML door)."""

    reads_are_public = True  # the schema says so (core.openapi)

    def has_permission(self, request, view) -> bool:
        organisation = view.parent  # 404 first if the organisation is not visible
        if request.method in SAFE_METHODS:
            return True
        return policies.can_edit_profile(request.user, organisation)


ORGANISATION_SLUG = OpenApiParameter(
    "organisation_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Organisation slug"
)


class ProfilePartViewSet(NestedParentMixin, ScopedModelViewSet):
    """One profile part's collection under its organisation. Built per part
    from the registry; every write goes through the part's services."""

    parent_loader = get_organisation_for_user
    parent_url_kwarg = "organisation_slug"
    permission_classes = [CanEditProfileOrReadOnly]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    pagination_class = None  # a profile part is short; the whole list is one answer
    filterset_class = None
    filter_backends: list = []
    part: ProfilePart
    input_serializer_class: type[serializers.Serializer]

    def scope_queryset(self, user) -> QuerySet:
        return profile_rows(self.parent, self.part)

    def _validated(self, data, *, partial: bool = False) -> dict:
        serializer = self.input_serializer_class(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        created = self.part.add(
            organisation=self.parent, by=request.user, data=self._validated(request.data)
        )
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        obj: Model = self.get_object()
        current = {name: getattr(obj, name) for name in self.input_serializer_class().fields}
        changes = self._validated(request.data, partial=partial)
        updated = self.part.update(obj=obj, by=request.user, data={**current, **changes})
        return Response(self.get_serializer(updated).data)

    def destroy(self, request, *args, **kwargs):
        self.part.remove(obj=self.get_object(), by=request.user)
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


def _viewset_for(part: ProfilePart) -> type[ProfilePartViewSet]:
    serializers_ = PART_SERIALIZERS[part.key]
    name = f"{part.model.__name__}ViewSet"
    viewset = type(
        name,
        (ProfilePartViewSet,),
        {
            "__module__": __name__,
            "__doc__": f"The organisation's {part.noun}s.",
            "queryset": part.model.objects.none(),  # for schema generation
            "schema_model": part.model,
            "part": part,
            "serializer_class": serializers_.output,
            "input_serializer_class": serializers_.input,
        },
    )
    decorated = _profile_part_schema(part.noun, serializers_.input, serializers_.output)(viewset)
    return extend_schema(tags=["profiles"])(decorated)


PART_VIEWSETS: dict[str, type[ProfilePartViewSet]] = {
    key: _viewset_for(part) for key, part in PROFILE_PARTS.items()
}

_PARENT = r"organisations/(?P<organisation_slug>[^/.]+)"


router = SimpleRouter()
for _key, _part in PROFILE_PARTS.items():
    router.register(f"{_PARENT}/{_part.api_path}", PART_VIEWSETS[_key], basename=_part.api_basename)

urlpatterns = router.urls
