"""API for updates and comments, nested under ``/api/v1/initiatives/<slug>/``.
Same services and policies as the pages: an initiative the caller cannot see
answers 404 (as a missing one), an action they may not take 403 with the
policy's reason, and bad input 400 with field errors."""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api import NestedParentMixin, ScopedListCreateView, ScopedRetrieveUpdateDestroyView
from core.doors import require
from core.markdown import render_markdown
from councils.api.people import PersonalNameField

from .. import policies
from ..models import Comment, Update
from ..selectors.discussion import comments_for, updates_for
from ..selectors.initiative import get_initiative_for_user
from ..services import discussion as services

DELETED_TOMBSTONE = "Comment deleted"


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


AUTHOR_HELP = (
    "The author's name; null when their account is gone or you may not see people's "
    "names (only platform staff and members of active organisations may)."
)


class UpdateSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    author = PersonalNameField(help_text=AUTHOR_HELP)
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Update
        fields = ["id", "title", "body", "body_html", "organisation", "author", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_body_html(self, update: Update) -> str:
        """The body rendered from Markdown and sanitised (safe to insert as HTML)."""
        return str(render_markdown(update.body))


class CommentSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    author = PersonalNameField(help_text=AUTHOR_HELP)
    body = serializers.CharField(max_length=5000)
    body_html = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "body",
            "body_html",
            "organisation",
            "author",
            "created_at",
            "edited_at",
            "deleted",
        ]
        read_only_fields = ["id", "created_at", "edited_at"]

    def to_representation(self, comment: Comment):
        data = super().to_representation(comment)
        if comment.deleted_at is not None:
            # A tombstone: the words and who wrote them are gone from view.
            data.update(body=DELETED_TOMBSTONE, author=None, organisation=None)
        return data

    def get_body_html(self, comment: Comment) -> str:
        """The body rendered from Markdown and sanitised (safe to insert as HTML)."""
        if comment.deleted_at is not None:
            return f"<p><em>{DELETED_TOMBSTONE}</em></p>"
        return str(render_markdown(comment.body))

    def get_deleted(self, comment: Comment) -> bool:
        return comment.deleted_at is not None


@extend_schema(tags=["initiatives"])
class UpdateListCreate(NestedParentMixin, ScopedListCreateView):
    """Updates on an initiative, newest first; the lead and committed partners post them."""

    parent_loader = get_initiative_for_user
    serializer_class = UpdateSerializer
    schema_model = Update

    def scope_queryset(self, user) -> QuerySet[Update]:
        return updates_for(self.parent)

    def create(self, request, *args, **kwargs):
        initiative = self.parent
        require(
            policies.can_post_update(request.user, initiative),
            "Only the lead and committed partners can post updates.",
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.post_update(
            initiative=initiative, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["initiatives"])
class CommentListCreate(NestedParentMixin, ScopedListCreateView):
    """The discussion, oldest first. Deleted comments appear as tombstones."""

    parent_loader = get_initiative_for_user
    serializer_class = CommentSerializer
    schema_model = Comment

    def scope_queryset(self, user) -> QuerySet[Comment]:
        return comments_for(self.parent)

    def create(self, request, *args, **kwargs):
        initiative = self.parent
        require(
            policies.can_comment(request.user, initiative), "You cannot comment on this initiative."
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.post_comment(
            initiative=initiative, by=request.user, body=serializer.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["initiatives"])
class CommentDetail(NestedParentMixin, ScopedRetrieveUpdateDestroyView):
    """One comment: its author edits it (PATCH) within 15 minutes of posting;
    the author, the lead's admins or platform staff delete it (a soft delete)."""

    parent_loader = get_initiative_for_user
    serializer_class = CommentSerializer
    schema_model = Comment
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def scope_queryset(self, user) -> QuerySet[Comment]:
        return comments_for(self.parent)

    def _comment(self) -> Comment:
        comment = self.get_object()
        comment.initiative = self.parent  # the policies read it; no second query
        return comment

    def update(self, request, *args, **kwargs):
        comment = self._comment()
        require(policies.edit_comment_refusal(request.user, comment))
        serializer = self.get_serializer(comment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "body" not in serializer.validated_data:
            raise serializers.ValidationError({"body": ["This field is required."]})
        comment = services.edit_comment(
            comment=comment, by=request.user, body=serializer.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data)

    def destroy(self, request, *args, **kwargs):
        comment = self._comment()
        require(
            policies.can_delete_comment(request.user, comment), "You cannot delete this comment."
        )
        services.delete_comment(comment=comment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path(
        "initiatives/<slug:slug>/updates/",
        UpdateListCreate.as_view(),
        name="initiative-updates",
    ),
    path(
        "initiatives/<slug:slug>/comments/",
        CommentListCreate.as_view(),
        name="initiative-comments",
    ),
    path(
        "initiatives/<slug:slug>/comments/<int:pk>/",
        CommentDetail.as_view(),
        name="initiative-comment-detail",
    ),
]
