"""API for cost sharing under ``/api/v1/initiatives/<slug>/cost-sharing/``:
the split (``selectors.cost_sharing.CostSplit``, serialised as it is) and the
lead's custom shares."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from core.api import ActionAPIView, NestedParentMixin
from core.doors import require

from .. import policies
from ..models import Initiative
from ..selectors.cost_sharing import cost_split
from ..selectors.initiative import get_initiative_for_user
from ..services import cost_sharing as services


class CostShareSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    name = serializers.CharField()
    basis = serializers.CharField(help_text="How the share was worked out, for people.")
    share_pence = serializers.IntegerField()
    alone_pence = serializers.IntegerField(help_text="What going alone would cost: the total.")
    saving_pence = serializers.IntegerField()


class CostSharingSerializer(serializers.Serializer):
    has_estimate = serializers.BooleanField()
    method = serializers.ChoiceField(choices=Initiative.CostSplit.choices)
    applied_method = serializers.CharField(
        required=False, help_text="The method used after any fallback (e.g. to equal)."
    )
    total_pence = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
    shares = CostShareSerializer(many=True, source="rows")


class CustomShareInputSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    basis_points = serializers.IntegerField(
        min_value=0, max_value=10_000, help_text="100 basis points = 1%."
    )


class CustomSharesInputSerializer(serializers.Serializer):
    shares = CustomShareInputSerializer(many=True, allow_empty=False)

    def validate_shares(self, value):
        ids = [item["organisation_id"] for item in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Give each organisation one share.")
        return value


@extend_schema(tags=["initiatives"])
class CostSharingView(NestedParentMixin, ActionAPIView):
    """Each cost-sharing organisation's share of the estimated total, beside
    what going alone would cost and the saving. Shares are whole pence and add
    up exactly to the total."""

    parent_loader = get_initiative_for_user

    def _split(self) -> Response:
        return Response(CostSharingSerializer(cost_split(self.parent)).data)

    @extend_schema(responses=CostSharingSerializer)
    def get(self, request, *args, **kwargs):
        return self._split()

    @extend_schema(
        request=CustomSharesInputSerializer,
        responses={
            200: CostSharingSerializer,
            400: inline_serializer(
                "CostSharesError", {"shares": serializers.ListField(child=serializers.CharField())}
            ),
        },
        description="The lead's admins record custom shares (basis points, adding up to "
        "10,000) for every organisation sharing the cost.",
    )
    def put(self, request, *args, **kwargs):
        initiative = self.parent
        require(
            policies.can_set_cost_shares(request.user, initiative),
            "Only the lead organisation's admins can set cost shares.",
        )
        serializer = CustomSharesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_custom_shares(
            initiative=initiative,
            shares={
                s["organisation_id"]: s["basis_points"] for s in serializer.validated_data["shares"]
            },
            by=request.user,
        )
        return self._split()


urlpatterns = [
    path(
        "initiatives/<slug:slug>/cost-sharing/",
        CostSharingView.as_view(),
        name="initiative-cost-sharing",
    ),
]
