"""API for updates, comments, flags and cost sharing, nested under
``/api/v1/initiatives/<slug>/``. Same services and policies as the pages:
an initiative the caller cannot see answers 404 (as a missing one), an action
they may not take 403, and bad input 400 with field errors."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from core.markdown import render_markdown

from . import policies
from .discussion_selectors import (
    comments_for,
    cost_sharing_section,
    get_comment_for_user,
    updates_for,
)
from .models import Comment, CommentFlag, Initiative, Update
from .policies import can_set_cost_shares
from .selectors import get_initiative_for_user
from .services import cost_sharing as cost_sharing_services
from .services import discussion as discussion_services
from .services import updates as update_services

DELETED_TOMBSTONE = "Comment deleted"


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class UpdateSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    author = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Update
        fields = ["id", "title", "body", "body_html", "organisation", "author", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_author(self, update: Update) -> str:
        """People's names are for signed-in users only, as everywhere else."""
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return ""
        return update.author.display_name if update.author else ""

    def get_body_html(self, update: Update) -> str:
        """The body rendered from Markdown and sanitised (safe to insert as HTML)."""
        return str(render_markdown(update.body))


class CommentSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    author = serializers.SerializerMethodField()
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
            data.update(body=DELETED_TOMBSTONE, author="", organisation=None)
        return data

    def get_author(self, comment: Comment) -> str:
        """People's names are for signed-in users only, as everywhere else."""
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return ""
        return comment.author.display_name if comment.author else ""

    def get_body_html(self, comment: Comment) -> str:
        """The body rendered from Markdown and sanitised (safe to insert as HTML)."""
        if comment.deleted_at is not None:
            return f"<p><em>{DELETED_TOMBSTONE}</em></p>"
        return str(render_markdown(comment.body))

    def get_deleted(self, comment: Comment) -> bool:
        return comment.deleted_at is not None


class FlagSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(max_length=500)

    class Meta:
        model = CommentFlag
        fields = ["id", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]


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
    total_pence = serializers.IntegerField(required=False)
    notes = serializers.ListField(child=serializers.CharField())
    shares = CostShareSerializer(many=True)


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


class InitiativeScopedMixin:
    """Resolves the initiative from the URL through the visibility selector,
    so anything nested under an invisible initiative answers 404."""

    def get_initiative(self) -> Initiative:
        if not hasattr(self, "_initiative"):
            self._initiative = get_initiative_for_user(self.request.user, self.kwargs["slug"])
        return self._initiative


@extend_schema(tags=["initiatives"])
class UpdateListCreate(InitiativeScopedMixin, generics.ListCreateAPIView):
    """Updates on an initiative, newest first; the lead and committed partners post them."""

    serializer_class = UpdateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Update.objects.none()
        return updates_for(self.get_initiative())

    def create(self, request, *args, **kwargs):
        initiative = self.get_initiative()
        if not policies.can_post_update(request.user, initiative):
            raise PermissionDenied("Only the lead and committed partners can post updates.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = update_services.post_update(
            initiative=initiative, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["initiatives"])
class CommentListCreate(InitiativeScopedMixin, generics.ListCreateAPIView):
    """The discussion, oldest first. Deleted comments appear as tombstones."""

    serializer_class = CommentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return comments_for(self.get_initiative())

    def create(self, request, *args, **kwargs):
        initiative = self.get_initiative()
        if not policies.can_comment(request.user, initiative):
            raise PermissionDenied("You cannot comment on this initiative.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = discussion_services.post_comment(
            initiative=initiative, by=request.user, body=serializer.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["initiatives"])
class CommentDetail(InitiativeScopedMixin, generics.RetrieveUpdateDestroyAPIView):
    """One comment: its author edits it (PATCH) within 15 minutes of posting;
    the author, the lead's admins or platform staff delete it (a soft delete)."""

    serializer_class = CommentSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return comments_for(self.get_initiative())

    def get_object(self) -> Comment:
        return get_comment_for_user(self.request.user, self.get_initiative(), self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        comment = self.get_object()
        if not policies.can_edit_comment(request.user, comment):
            if comment.author_id == request.user.pk and comment.deleted_at is None:
                raise PermissionDenied(discussion_services.EDIT_WINDOW_CLOSED)
            raise PermissionDenied("Only the author can edit a comment.")
        serializer = self.get_serializer(comment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "body" not in serializer.validated_data:
            raise serializers.ValidationError({"body": ["This field is required."]})
        comment = discussion_services.edit_comment(
            comment=comment, by=request.user, body=serializer.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data)

    def destroy(self, request, *args, **kwargs):
        comment = self.get_object()
        if not policies.can_delete_comment(request.user, comment):
            raise PermissionDenied("You cannot delete this comment.")
        discussion_services.delete_comment(comment=comment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["initiatives"])
class CommentFlagCreate(InitiativeScopedMixin, generics.CreateAPIView):
    """Flag a comment for the platform admins (once per person), with a reason."""

    serializer_class = FlagSerializer

    def get_queryset(self):
        return CommentFlag.objects.none()

    def create(self, request, *args, **kwargs):
        initiative = self.get_initiative()
        comment = get_comment_for_user(request.user, initiative, self.kwargs["pk"])
        if not policies.can_flag_comment(request.user, comment):
            raise PermissionDenied("You cannot flag this comment.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = discussion_services.flag_comment(
            comment=comment, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(flag).data, status=status.HTTP_201_CREATED)


def _cost_sharing_payload(initiative: Initiative, user) -> dict:
    section = cost_sharing_section(initiative=initiative, user=user)
    return {
        "has_estimate": section["has_estimate"],
        "method": section["method"],
        "applied_method": section.get("applied_method", ""),
        "total_pence": section.get("total_pence"),
        "notes": section["notes"],
        "shares": [
            {
                "organisation_id": row.organisation_id,
                "name": row.name,
                "basis": row.basis,
                "share_pence": row.share_pence,
                "alone_pence": row.alone_pence,
                "saving_pence": row.saving_pence,
            }
            for row in section["rows"]
        ],
    }


@extend_schema(tags=["initiatives"])
class CostSharingView(InitiativeScopedMixin, generics.GenericAPIView):
    """Each cost-sharing organisation's share of the estimated total, beside
    what going alone would cost and the saving. Shares are whole pence and add
    up exactly to the total."""

    serializer_class = CostSharingSerializer

    def get_queryset(self):
        return Initiative.objects.none()

    @extend_schema(responses=CostSharingSerializer)
    def get(self, request, *args, **kwargs):
        initiative = self.get_initiative()
        return Response(_cost_sharing_payload(initiative, request.user))

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
        initiative = self.get_initiative()
        if not can_set_cost_shares(request.user, initiative):
            raise PermissionDenied("Only the lead organisation's admins can set cost shares.")
        serializer = CustomSharesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cost_sharing_services.set_custom_shares(
            initiative=initiative,
            shares={
                s["organisation_id"]: s["basis_points"] for s in serializer.validated_data["shares"]
            },
            by=request.user,
        )
        return Response(_cost_sharing_payload(initiative, request.user))


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
    path(
        "initiatives/<slug:slug>/comments/<int:pk>/flag/",
        CommentFlagCreate.as_view(),
        name="initiative-comment-flag",
    ),
    path(
        "initiatives/<slug:slug>/cost-sharing/",
        CostSharingView.as_view(),
        name="initiative-cost-sharing",
    ),
]
