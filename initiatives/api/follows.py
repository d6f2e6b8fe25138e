"""Follow endpoints under /api/v1/initiatives/<slug>/follow/."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ActionAPIView, NestedParentMixin
from core.doors import require

from .. import policies
from ..models import Initiative
from ..selectors.follows import follow_state
from ..selectors.initiative import get_initiative_for_user
from ..services import follows as services

FORBIDDEN = OpenApiResponse(description="Visible, but you may not do this.")
NOT_FOUND = OpenApiResponse(description="No such initiative visible to you.")


class FollowStateSerializer(serializers.Serializer):
    following = serializers.BooleanField(source="is_following")
    follower_count = serializers.IntegerField()


class FollowView(NestedParentMixin, ActionAPIView):
    """Follow or stop following an initiative; both idempotent."""

    parent_loader = get_initiative_for_user
    permission_classes = [IsAuthenticated]

    def _state(self, initiative: Initiative) -> Response:
        state = follow_state(initiative=initiative, user=self.request.user)
        return Response(FollowStateSerializer(state).data)

    @extend_schema(
        operation_id="initiatives_follow",
        summary="Follow an initiative (idempotent)",
        request=None,
        responses={200: FollowStateSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["partnerships"],
    )
    def post(self, request: Request, slug: str) -> Response:
        initiative = self.parent
        require(policies.can_follow(request.user, initiative), "You cannot follow this.")
        services.follow_initiative(initiative=initiative, user=request.user)
        return self._state(initiative)

    @extend_schema(
        operation_id="initiatives_unfollow",
        summary="Stop following an initiative (idempotent)",
        request=None,
        responses={200: FollowStateSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["partnerships"],
    )
    def delete(self, request: Request, slug: str) -> Response:
        initiative = self.parent
        require(policies.can_follow(request.user, initiative), "You cannot follow this.")
        services.unfollow_initiative(initiative=initiative, user=request.user)
        return self._state(initiative)


urlpatterns = [
    path("initiatives/<slug:slug>/follow/", FollowView.as_view(), name="api-initiative-follow"),
]
