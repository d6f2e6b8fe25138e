"""/api/v1/workshops/: workshops, participants, the board (items, votes,
groups) and actions, through the same services, selectors and policies as
the pages and the live board.

A workshop the caller is not taking part in answers 404 like a missing one
(``selectors.workshops.access_workshop``). Every change to a board is one
``services.board.perform`` call, whether it arrives as the generic
``operations`` endpoint (the live protocol's op frame over HTTP) or as the
resource-shaped shortcuts (``POST items/``, ``POST items/<id>/vote/``…), so
phase rules, vote limits, stale edits, private brainstorm and anonymity hold
exactly as on the socket. Guests use their session, as on the board.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ActionAPIView, ScopedListCreateView
from core.doors import require

from . import policies
from .board_door import BadFrame, error_for, read_op
from .models import Group, Workshop
from .selectors.board import (
    Viewer,
    frames_since,
    participant_dict,
    participants_shown,
    shown_participant,
    snapshot,
)
from .selectors.workshops import access_workshop, workshops_of
from .services import board as board_services
from .services import workshops as workshop_services

NOT_FOUND = OpenApiResponse(description="No such workshop, or you are not taking part in it.")
FORBIDDEN = OpenApiResponse(description="You are taking part, but may not do this.")
TAGS = ["workshops"]


class WorkshopOwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorkshopSerializer(serializers.ModelSerializer):
    owner = WorkshopOwnerSerializer(read_only=True)
    phase = serializers.CharField(read_only=True)
    participant_count = serializers.IntegerField(read_only=True, required=False)
    template = serializers.ChoiceField(
        choices=Workshop.Template.choices, required=False, default=Workshop.Template.BLANK
    )
    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Workshop
        fields = [
            "id",
            "title",
            "purpose",
            "owner",
            "initiative",
            "scheduled_for",
            "phase",
            "anonymous_items",
            "private_brainstorm",
            "votes_per_participant",
            "results_shared",
            "participant_count",
            "template",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["id", "results_shared", "created_at", "closed_at"]


class WorkshopListView(ScopedListCreateView):
    """Your workshops (those you take part in), newest first; create one if
    you are a facilitator or a council admin."""

    serializer_class = WorkshopSerializer
    permission_classes = [IsAuthenticated]
    schema_model = Workshop

    def scope_queryset(self, user):
        return workshops_of(user)

    @extend_schema(operation_id="workshops_list", tags=TAGS, summary="List your workshops")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="workshops_create",
        tags=TAGS,
        summary="Create a workshop",
        responses={201: WorkshopSerializer, 400: OpenApiResponse(description="Field errors.")},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = workshop_services.create_workshop(by=self.request.user, **data)


class _WorkshopDoor(ActionAPIView):
    """An endpoint under one workshop, reached through ``access_workshop``."""

    permission_classes = [AllowAny]  # guests have a session, not an account

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # DRF checks CSRF only for signed-in session users; a guest's session
        # is a credential too, so their changes need the token as well.
        if request.method not in SAFE_METHODS and not request.user.is_authenticated:
            SessionAuthentication().enforce_csrf(request)

    def _open(self, request: Request, pk: int):
        return access_workshop(pk, user=request.user, session=request.session)


class WorkshopDetailView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_retrieve",
        tags=TAGS,
        summary="A workshop you take part in",
        responses={200: WorkshopSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop, _ = self._open(request, pk)
        return Response(WorkshopSerializer(workshop).data)


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(
        help_text="A name, or a role and council if you may not see names."
    )
    role = serializers.CharField()
    guest = serializers.BooleanField()
    organisation = serializers.CharField(allow_null=True)


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(
        help_text="A platform user is added at once; anyone else is e-mailed an invitation."
    )


class ParticipantsView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_participants_list",
        tags=TAGS,
        summary="Who is taking part",
        responses={200: ParticipantSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        return Response(participants_shown(workshop, Viewer.of(me)))

    @extend_schema(
        operation_id="workshops_participants_invite",
        tags=TAGS,
        summary="Invite someone by e-mail (facilitators)",
        request=InviteSerializer,
        responses={201: ParticipantSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        require(policies.can_manage_workshop(me), policies.FACILITATORS_ONLY)
        form = InviteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        participant, _ = workshop_services.invite_by_email(
            workshop=workshop, by=me, email=form.validated_data["email"]
        )
        shown = shown_participant(participant_dict(participant), Viewer.of(me))
        return Response(shown, status=status.HTTP_201_CREATED)


class BoardView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_board",
        tags=TAGS,
        summary="The whole board as you may see it (items, votes, groups)",
        description=(
            "The live protocol's snapshot (docs/board-protocol.md): a private "
            "brainstorm's unrevealed items of other people are not included, and an "
            "anonymous workshop's items carry no author except your own."
        ),
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        return Response(snapshot(workshop, me))


class OperationSerializer(serializers.Serializer):
    id = serializers.CharField(
        required=False, allow_blank=True, help_text="Your id: sent twice, applied once."
    )
    kind = serializers.ChoiceField(choices=sorted(policies.OPERATIONS))
    args = serializers.DictField(required=False)


def _apply(
    request: Request, workshop: Workshop, me, client_id: str, kind: str, args: dict
) -> Response:
    """One board operation and its answer, as the socket would give it."""
    try:
        applied = board_services.perform(
            workshop_id=workshop.pk, participant=me, kind=kind, args=args, client_id=client_id
        )
    except (PermissionDenied, Http404, ValidationError) as exc:
        frame = error_for(exc, client_id=client_id, workshop=workshop, viewer=Viewer.of(me))
        code = (
            status.HTTP_403_FORBIDDEN if frame["code"] == "refused" else status.HTTP_400_BAD_REQUEST
        )
        if frame["code"] == "stale":
            code = status.HTTP_409_CONFLICT
        return Response(frame, status=code)
    return Response(
        {
            "type": "ack",
            "id": client_id,
            "seq": applied.operation.seq,
            "duplicate": applied.duplicate,
        },
        status=status.HTTP_200_OK if applied.duplicate else status.HTTP_201_CREATED,
    )


class OperationsView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_operations_list",
        tags=TAGS,
        summary="What happened after a sequence number (polling)",
        parameters=[
            OpenApiParameter(
                "since",
                int,
                required=False,
                description="The last sequence number you saw; without it, the whole board.",
            )
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Bad since."),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        raw = request.query_params.get("since")
        if raw is None:  # nothing seen yet: the whole board
            return Response({"snapshot": snapshot(workshop, me)})
        if not raw.isdigit() or int(raw) >= 2**63:
            return Response(
                {"since": ["Send the last sequence number you saw (0 or more)."]}, status=400
            )
        frames = frames_since(workshop, since=int(raw), viewer=Viewer.of(me))
        if frames is None:
            return Response({"snapshot": snapshot(workshop, me)})
        return Response({"frames": frames, "last_seq": workshop.last_seq})

    @extend_schema(
        operation_id="workshops_operations_create",
        tags=TAGS,
        summary="Apply one board operation (any kind of the live protocol)",
        request=OperationSerializer,
        responses={
            201: OpenApiResponse(description="Applied: an ack frame."),
            200: OpenApiResponse(description="A repeated id: the earlier ack, nothing changed."),
            400: OpenApiResponse(description="An error frame (bad_frame or invalid)."),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                description="A stale edit: the error frame carries the current item."
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        body = request.data if isinstance(request.data, dict) else None
        try:
            if body is None:
                raise BadFrame("Send a JSON object.")
            client_id, kind, args = read_op(body)
        except BadFrame as exc:
            return Response(
                {"type": "error", "code": "bad_frame", "message": str(exc), "errors": exc.errors},
                status=400,
            )
        return _apply(request, workshop, me, client_id, kind, args)


class ItemSerializer(serializers.Serializer):
    quadrant = serializers.ChoiceField(
        choices=["strengths", "weaknesses", "opportunities", "threats"]
    )
    text = serializers.CharField(max_length=280)
    on_behalf_of = serializers.IntegerField(required=False, help_text="Scribe mode (facilitators).")


class ItemChangeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=280, required=False)
    version = serializers.IntegerField(required=False, help_text="The version you saw (with text).")
    quadrant = serializers.ChoiceField(
        choices=["strengths", "weaknesses", "opportunities", "threats"], required=False
    )


def _client_id(request: Request) -> str:
    return request.headers.get("Idempotency-Key", "")[:64]


IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Your id for this change: sent twice, applied once.",
)


class ItemsView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_items_create",
        tags=TAGS,
        summary="Add an item (brainstorm)",
        request=ItemSerializer,
        parameters=[IDEMPOTENCY],
        responses={
            201: OpenApiResponse(description="An ack frame."),
            400: OpenApiResponse(description="Field errors."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        form = ItemSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return _apply(
            request, workshop, me, _client_id(request), "item.add", dict(form.validated_data)
        )


class ItemDetailView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_items_update",
        tags=TAGS,
        summary="Edit an item's text (with the version you saw) or move it",
        request=ItemChangeSerializer,
        parameters=[IDEMPOTENCY],
        responses={
            201: OpenApiResponse(description="An ack frame."),
            400: OpenApiResponse(description="Field errors."),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(description="Stale edit."),
        },
    )
    def patch(self, request: Request, pk: int, item_pk: int) -> Response:
        workshop, me = self._open(request, pk)
        form = ItemChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(form.validated_data)
        if "text" in data:
            if "version" not in data:
                raise serializers.ValidationError({"version": ["Send the version you edited."]})
            args = {"item": item_pk, "text": data["text"], "version": data["version"]}
            return _apply(request, workshop, me, _client_id(request), "item.edit", args)
        if "quadrant" in data:
            args = {"item": item_pk, "quadrant": data["quadrant"]}
            return _apply(request, workshop, me, _client_id(request), "item.move", args)
        raise serializers.ValidationError(
            {"text": ["Send new text (with its version) or a quadrant."]}
        )

    @extend_schema(
        operation_id="workshops_items_destroy",
        tags=TAGS,
        summary="Delete an item",
        request=None,
        responses={
            201: OpenApiResponse(description="An ack frame."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def delete(self, request: Request, pk: int, item_pk: int) -> Response:
        workshop, me = self._open(request, pk)
        return _apply(request, workshop, me, _client_id(request), "item.delete", {"item": item_pk})


class VoteView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_items_vote",
        tags=TAGS,
        summary="Vote for an item (vote phase; limited per participant)",
        request=None,
        responses={
            201: OpenApiResponse(description="An ack frame."),
            400: OpenApiResponse(description="No votes left, or not the vote phase."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int, item_pk: int) -> Response:
        workshop, me = self._open(request, pk)
        return _apply(request, workshop, me, _client_id(request), "vote.add", {"item": item_pk})

    @extend_schema(
        operation_id="workshops_items_unvote",
        tags=TAGS,
        summary="Take back a vote",
        request=None,
        responses={
            201: OpenApiResponse(description="An ack frame."),
            400: OpenApiResponse(description="No vote to take back."),
            404: NOT_FOUND,
        },
    )
    def delete(self, request: Request, pk: int, item_pk: int) -> Response:
        workshop, me = self._open(request, pk)
        return _apply(request, workshop, me, _client_id(request), "vote.remove", {"item": item_pk})


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=Group.NAME_MAX)
    items = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class GroupsView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_groups_list",
        tags=TAGS,
        summary="The board's groups",
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        return Response(snapshot(workshop, me)["groups"])

    @extend_schema(
        operation_id="workshops_groups_create",
        tags=TAGS,
        summary="Group items (facilitators, group phase)",
        request=GroupSerializer,
        responses={
            201: OpenApiResponse(description="An ack frame."),
            400: OpenApiResponse(description="Field errors."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        form = GroupSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return _apply(
            request, workshop, me, _client_id(request), "group.create", dict(form.validated_data)
        )


class ActionsView(_WorkshopDoor):
    @extend_schema(
        operation_id="workshops_actions_list",
        tags=TAGS,
        summary="What the workshop decided to do",
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop, me = self._open(request, pk)
        # The board's own list, redacted the same way (owners' names only
        # for those who may see names; never who created an action).
        return Response(snapshot(workshop, me)["actions"])


urlpatterns = [
    path("workshops/", WorkshopListView.as_view(), name="api-workshops"),
    path("workshops/<int:pk>/", WorkshopDetailView.as_view(), name="api-workshop"),
    path(
        "workshops/<int:pk>/participants/",
        ParticipantsView.as_view(),
        name="api-workshop-participants",
    ),
    path("workshops/<int:pk>/board/", BoardView.as_view(), name="api-workshop-board"),
    path(
        "workshops/<int:pk>/operations/", OperationsView.as_view(), name="api-workshop-operations"
    ),
    path("workshops/<int:pk>/items/", ItemsView.as_view(), name="api-workshop-items"),
    path(
        "workshops/<int:pk>/items/<int:item_pk>/",
        ItemDetailView.as_view(),
        name="api-workshop-item",
    ),
    path(
        "workshops/<int:pk>/items/<int:item_pk>/vote/",
        VoteView.as_view(),
        name="api-workshop-item-vote",
    ),
    path("workshops/<int:pk>/groups/", GroupsView.as_view(), name="api-workshop-groups"),
    path("workshops/<int:pk>/actions/", ActionsView.as_view(), name="api-workshop-actions"),
]
