"""API for flagging a comment for the platform admins, under
``/api/v1/initiatives/<slug>/comments/<pk>/flag/``."""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import NestedParentMixin, ScopedCreateView
from core.doors import require

from .. import policies
from ..models import Comment, CommentFlag
from ..selectors.discussion import comments_for
from ..selectors.initiative import get_initiative_for_user
from ..services import moderation as services


class FlagSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(max_length=500)

    class Meta:
        model = CommentFlag
        fields = ["id", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]


@extend_schema(tags=["initiatives"])
class CommentFlagCreate(NestedParentMixin, ScopedCreateView):
    """Flag a comment for the platform admins (once per person), with a reason.
    The rows in scope are the initiative's comments: the one flagged is the
    route's ``pk`` among them (404 otherwise)."""

    parent_loader = get_initiative_for_user
    serializer_class = FlagSerializer
    schema_model = Comment

    def scope_queryset(self, user) -> QuerySet[Comment]:
        return comments_for(self.parent)

    def create(self, request, *args, **kwargs):
        comment = self.get_object()
        comment.initiative = self.parent
        require(policies.can_flag_comment(request.user, comment), "You cannot flag this comment.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = services.flag_comment(
            comment=comment, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(flag).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "initiatives/<slug:slug>/comments/<int:pk>/flag/",
        CommentFlagCreate.as_view(),
        name="initiative-comment-flag",
    ),
]
