"""/api/v1/initiatives/: the catalogue (same search and facets as the page),
create, retrieve, update, and the stage-change action.

The scoped base viewset answers 404 for anything the user cannot see;
policies answer 403 for what they can see but may not change; serializers
check the shape of the body (400 with field errors) and the services check the
rules (their ValidationErrors also answer 400). Public initiatives are
readable without signing in: it is the open catalogue.
"""

from django.core.validators import RegexValidator
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.api import ScopedModelViewSet
from core.doors import require
from councils.api.people import PersonalNameField
from councils.models import Organisation, ServiceArea, Skill
from councils.selectors.people import active_membership_for

from .. import policies
from ..forms.catalogue import ORGANISATION_SLUG_LENGTH, CatalogueSearchForm
from ..models import TAG_HAS_LETTER_OR_NUMBER, Initiative, StageChange, Tag
from ..selectors import catalogue
from ..selectors.initiative import visible_to
from ..services import initiative as services

# --- serializers ---------------------------------------------------------------------


class LeadOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "official_name", "authority_type", "region"]
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "changed_on", "note"]
        read_only_fields = fields


class TagNamesField(serializers.ListField):
    """Tags travel as a list of names both ways."""

    # Shape only, so the schema says it: a tag needs a letter or digit in
    # any script (the model's TAG_HAS_LETTER_OR_NUMBER; the service words it
    # for every door).
    child = serializers.CharField(
        max_length=Tag.MAX_LENGTH,
        validators=[
            RegexValidator(
                TAG_HAS_LETTER_OR_NUMBER, message="Each tag needs at least one letter or number."
            )
        ],
    )

    def to_representation(self, value):
        return [tag.name for tag in value.all()]


class InitiativeSerializer(serializers.ModelSerializer):
    """Shape only: lengths, choices, types and that taxonomy slugs exist. The
    rules (dates in order, funding sources, who may be key contact...) are the
    service's, so the API and the pages agree."""

    url = serializers.SerializerMethodField(help_text="The initiative's page.")
    lead_organisation = LeadOrganisationSerializer(read_only=True)
    service_areas = serializers.SlugRelatedField(
        many=True,
        slug_field="slug",
        queryset=ServiceArea.objects.all(),
        allow_empty=False,
        help_text="At least one: how councils find the initiative.",
        error_messages={"empty": "Select at least one service area"},
    )
    skills_needed = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Skill.objects.all(), required=False
    )
    tags = TagNamesField(
        required=False,
        max_length=20,
        help_text=(
            "Tag names. Each is stored in its normalised form (lower case, runs of spaces, "
            'hyphens and underscores made one space), so "Garden-Waste" comes back as '
            '"garden waste"; new ones are created, existing ones reused.'
        ),
    )
    funding_sources = serializers.ListField(
        child=serializers.ChoiceField(choices=Initiative.FundingSource.choices),
        required=False,
    )
    estimated_cost_pence = serializers.IntegerField(
        min_value=0, max_value=9_000_000_000_000_000, allow_null=True, required=False
    )
    key_contact = serializers.EmailField(
        required=False,
        allow_null=True,
        write_only=True,
        help_text="E-mail address of an active member of the lead organisation.",
    )
    key_contact_name = PersonalNameField(
        source="key_contact",
        help_text=(
            "The key contact's name; null when there is none or you may not see people's "
            "names (only platform staff and members of active organisations may)."
        ),
    )
    stage = serializers.ChoiceField(
        choices=Initiative.Stage.choices,
        required=False,
        help_text="Set on create; afterwards change it with POST .../stage/ (kept as a timeline).",
    )

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "description",
            "lead_organisation",
            "service_areas",
            "tags",
            "stage",
            "collaboration_level",
            "looking_for_partners",
            "visibility",
            "estimated_cost_pence",
            "funding_band",
            "funding_sources",
            "cost_split_method",
            "start_date",
            "start_date_estimated",
            "end_date",
            "end_date_estimated",
            "key_contact",
            "key_contact_name",
            "skills_needed",
            "partner_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "partner_count", "created_at", "updated_at"]
        extra_kwargs = {
            "summary": {"max_length": 280},
            "slug": {
                "help_text": "Made once from the title plus a random suffix "
                "(shared-waste-service-k3j9x); it never changes, even when the title does."
            },
        }

    def get_url(self, obj: Initiative) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def validate(self, attrs):
        if self.instance is not None and "stage" in attrs:
            if attrs["stage"] != self.instance.stage:
                raise serializers.ValidationError(
                    {"stage": "Change the stage with POST /api/v1/initiatives/<slug>/stage/."}
                )
            attrs.pop("stage")
        return attrs


class InitiativeChangeSerializer(InitiativeSerializer):
    """What PUT and PATCH document: every field but the stage, which changes
    only through POST .../stage/ (a client echoing the current stage back is
    accepted; a different one is refused with a field error)."""

    stage = None

    class Meta(InitiativeSerializer.Meta):
        fields = [name for name in InitiativeSerializer.Meta.fields if name != "stage"]


class StageChangeRequestSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Initiative.Stage.choices)
    changed_on = serializers.DateField(
        required=False,
        help_text="Defaults to today. Not in the future, nor before the initiative was recorded "
        "or its previous stage change.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- viewset ---------------------------------------------------------------------------

# An organisation's slug as a filter value; empty means "any", as elsewhere.
ORGANISATION_SLUG = {
    "type": "string",
    "pattern": "^[-a-zA-Z0-9_]*$",
    "maxLength": ORGANISATION_SLUG_LENGTH,
}

CATALOGUE_PARAMETERS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="Full-text search (web syntax)."),
    OpenApiParameter("service_area", OpenApiTypes.STR, many=True, description="Service area slug."),
    OpenApiParameter("stage", OpenApiTypes.STR, many=True, enum=Initiative.Stage.values),
    OpenApiParameter(
        "collaboration_level",
        OpenApiTypes.STR,
        many=True,
        enum=Initiative.CollaborationLevel.values,
    ),
    OpenApiParameter("authority_type", OpenApiTypes.STR, many=True, description="Lead's type."),
    OpenApiParameter("region", OpenApiTypes.STR, many=True, description="Lead's region."),
    OpenApiParameter("looking_for_partners", OpenApiTypes.STR, enum=["yes", "no"]),
    OpenApiParameter(
        "funding_band", OpenApiTypes.STR, many=True, enum=Initiative.FundingBand.values
    ),
    OpenApiParameter(
        "updated_within_days",
        OpenApiTypes.INT,
        enum=list(catalogue.UPDATED_SINCE_DAYS),
        description="Only initiatives updated in the last N days.",
    ),
    OpenApiParameter(
        "lead",
        ORGANISATION_SLUG,
        description="Slug of an organisation: only initiatives it leads. An organisation "
        "that does not exist, or whose initiatives you cannot see, matches nothing.",
    ),
    OpenApiParameter(
        "partner",
        ORGANISATION_SLUG,
        description="Slug of an organisation: only initiatives it takes part in as a "
        "committed (signed-off) or accepted partner or supplier, not as the lead. An "
        "organisation that does not exist, or whose initiatives you cannot see, matches nothing.",
    ),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=catalogue.Sort.values),
]


@extend_schema_view(
    list=extend_schema(
        summary="Search the initiatives you can see",
        description="Anonymous callers see public initiatives only.",
        parameters=CATALOGUE_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One initiative (404 if missing or not visible to you)"),
    create=extend_schema(
        summary="Propose an initiative led by your organisation",
        description="Your organisation becomes the lead partner and you follow it.",
    ),
    update=extend_schema(
        summary="Replace an initiative's details (lead members only)",
        request=InitiativeChangeSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some of an initiative's details (lead members)",
        request=InitiativeChangeSerializer,
    ),
)
class InitiativeViewSet(ScopedModelViewSet):
    serializer_class = InitiativeSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends: list = []

    def scope_queryset(self, user) -> QuerySet[Initiative]:
        return visible_to(user)

    def narrow_queryset(self, queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
        if self.action == "list":
            params = self.request.query_params.copy()
            if "search" in params:
                params.setlist("q", params.getlist("search"))
            form = CatalogueSearchForm(params)
            # The page forgives a stale link's unknown values; an API client
            # gets told, rather than silently receiving unfiltered results.
            if not form.is_valid():
                raise serializers.ValidationError({k: list(v) for k, v in form.errors.items()})
            return (
                catalogue.search_initiatives(base=queryset, **form.search_kwargs())
                .prefetch_related("tags", "skills_needed")
                .select_related("key_contact")
            )
        return queryset.select_related("lead_organisation", "key_contact").prefetch_related(
            "service_areas", "tags", "skills_needed"
        )

    @staticmethod
    def _service_kwargs(data: dict) -> dict:
        """The body in the shape the services take: the key contact travels as
        an e-mail address, which the service looks up among the lead's members."""
        data = dict(data)
        if "key_contact" in data:
            data["key_contact_email"] = data.pop("key_contact")
        return data

    def create(self, request, *args, **kwargs):
        require(
            policies.can_create_initiative(request.user),
            "Only active members of a council or public body can propose.",
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = active_membership_for(request.user).organisation
        initiative = services.create_initiative(
            by=request.user,
            organisation=organisation,
            **self._service_kwargs(serializer.validated_data),
        )
        initiative = self.get_queryset().get(pk=initiative.pk)
        return Response(self.get_serializer(initiative).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        initiative = self.get_object()
        require(
            policies.can_edit_initiative(request.user, initiative),
            "Only the lead organisation can edit this initiative.",
        )
        serializer = self.get_serializer(initiative, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.update_initiative(
            initiative=initiative,
            by=request.user,
            **self._service_kwargs(serializer.validated_data),
        )
        initiative = self.get_queryset().get(pk=initiative.pk)
        return Response(self.get_serializer(initiative).data)

    @extend_schema(
        summary="Change the stage (lead members only); kept on the timeline",
        request=StageChangeRequestSerializer,
        responses={201: StageChangeSerializer},
    )
    @action(detail=True, methods=["post"])
    def stage(self, request, slug=None):
        initiative = self.get_object()
        require(
            policies.can_change_stage(request.user, initiative),
            "Only the lead organisation can change the stage.",
        )
        body = StageChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.change_stage(
            initiative=initiative, by=request.user, **body.validated_data
        )
        return Response(StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
urlpatterns = router.urls
