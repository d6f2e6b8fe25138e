"""Partnership endpoints under /api/v1/initiatives/<slug>/.

The same doors rule as the pages: the initiative is the parent of every
route (``NestedParentMixin`` with ``get_initiative_for_user``: 404 alike for
missing and invisible), the policy's refusal reason answers 403, a serializer
validates the body's shape (400 with field errors), and one service acts
(its ``ValidationError``s also answer 400 through ``api_exception_handler``).
"""

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors import has_totp as user_has_mfa
from core.api import ActionAPIView, NestedParentMixin, ScopedGenericView
from core.doors import require
from councils.api.people import PersonalNameField
from councils.models import Organisation, Skill
from councils.policies import user_needs_mfa
from councils.selectors.people import organisation_of

from .. import policies
from ..models import Partnership, PartnershipEvent
from ..selectors.initiative import get_initiative_for_user
from ..selectors.partnerships import get_partnership_for_user, partnerships_with_history
from ..services import partnerships as services
from ..services.partnerships import (
    MAX_PLEDGED_PENCE,
    MAX_PLEDGED_STAFF_DAYS,
    NOTE_MAX_LENGTH,
    SPONSOR_MAX_LENGTH,
)

# --- serializers ---------------------------------------------------------------------


class PartnerOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]


class PartnerEventSerializer(serializers.ModelSerializer):
    actor = PersonalNameField(
        help_text="Who made the change; null unless you may see people's names."
    )

    class Meta:
        model = PartnershipEvent
        fields = ["from_status", "to_status", "from_role", "to_role", "actor", "note", "created_at"]


class PartnerSerializer(serializers.ModelSerializer):
    organisation = PartnerOrganisationSerializer(read_only=True)
    pledged_skills = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    political_sponsor = PersonalNameField(
        help_text="Named at sign-off; null unless you may see people's names."
    )
    officer_sponsor = PersonalNameField(
        help_text="Named at sign-off; null unless you may see people's names."
    )
    signed_off_by = PersonalNameField(
        help_text="The admin who signed off; null unless you may see people's names."
    )
    events = PartnerEventSerializer(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "organisation",
            "role",
            "status",
            "political_sponsor",
            "officer_sponsor",
            "pledged_pence",
            "pledged_staff_days",
            "pledged_skills",
            "signed_off_by",
            "signed_off_at",
            "created_at",
            "updated_at",
            "events",
        ]


class PartnershipCommitSerializer(serializers.Serializer):
    political_sponsor = serializers.CharField(max_length=SPONSOR_MAX_LENGTH)
    officer_sponsor = serializers.CharField(max_length=SPONSOR_MAX_LENGTH)
    pledged_pence = serializers.IntegerField(
        min_value=0, max_value=MAX_PLEDGED_PENCE, default=0, help_text="Whole pence."
    )
    pledged_staff_days = serializers.IntegerField(
        min_value=0, max_value=MAX_PLEDGED_STAFF_DAYS, default=0
    )
    pledged_skills = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Skill.objects.all(), default=list
    )


class PartnershipNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class PartnershipOrganisationChoiceSerializer(serializers.Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(status=Organisation.Status.ACTIVE),
        help_text="The organisation's slug.",
    )


class LeadHandOverSerializer(serializers.Serializer):
    lead_organisation = PartnerOrganisationSerializer()
    partnerships = PartnerSerializer(many=True)


# --- helpers -------------------------------------------------------------------------


def _fresh(partnership: Partnership) -> Partnership:
    """Re-read a partnership with what the serializer shows (events, skills)."""
    return partnerships_with_history(partnership.initiative).get(pk=partnership.pk)


class AdminsHaveTwoFactor(BasePermission):
    """Sign-off is an admin action: admins need TOTP, whichever way they
    authenticated. ``collab_platform.middleware`` covers session requests in
    the middleware, but a token is only read inside DRF, so check here too."""

    message = "Set up two-factor authentication before using admin actions."

    def has_permission(self, request, view) -> bool:
        return not (user_needs_mfa(request.user) and not user_has_mfa(request.user))


class _PartnershipAction(NestedParentMixin, ActionAPIView):
    # An action on an initiative (self.parent) or one of its partnerships,
    # answered with the partnership as the partners list shows it. (A comment,
    # not a docstring: the schema would show it on every subclass.)

    parent_loader = get_initiative_for_user
    permission_classes = [IsAuthenticated]

    def partnership(self, pk: int) -> Partnership:
        return get_partnership_for_user(self.request.user, self.parent, pk)

    def respond(self, partnership: Partnership, code: int = status.HTTP_200_OK) -> Response:
        data = PartnerSerializer(_fresh(partnership), context={"request": self.request}).data
        return Response(data, status=code)


_errors = {
    400: OpenApiResponse(description="Bad input or a refused transition; field errors."),
    403: OpenApiResponse(description="Visible, but you may not do this."),
    404: OpenApiResponse(description="No such initiative or partnership visible to you."),
}

# --- views ---------------------------------------------------------------------------


class PartnershipListView(NestedParentMixin, ScopedGenericView):
    """Every partnership of the initiative (one unpaginated list: an
    initiative has a handful), each with its transition history."""

    parent_loader = get_initiative_for_user
    serializer_class = PartnerSerializer
    schema_model = Partnership
    pagination_class = None
    filter_backends: list = []

    def scope_queryset(self, user) -> QuerySet[Partnership]:
        return partnerships_with_history(self.parent)

    @extend_schema(
        operation_id="initiatives_partnerships_list",
        summary="Partnerships of an initiative, with their transition history",
        responses={200: PartnerSerializer(many=True), 404: _errors[404]},
        tags=["partnerships"],
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


class InterestSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.INTEREST_NOTE_MAX,
        help_text="A short note to the lead's admins: why, and what your organisation brings.",
    )


class ExpressInterestView(_PartnershipAction):
    """Your organisation says it is interested; the lead's admins are told."""

    @extend_schema(
        operation_id="initiatives_express_interest",
        summary="Express interest for your organisation",
        request=InterestSerializer,
        responses={201: PartnerSerializer, **_errors},
        tags=["partnerships"],
    )
    def post(self, request: Request, slug: str) -> Response:
        initiative = self.parent
        require(policies.express_interest_refusal(request.user, initiative))
        body = InterestSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        partnership = services.express_interest(
            initiative=initiative,
            organisation=organisation_of(request.user),
            by=request.user,
            note=body.validated_data.get("note", ""),
        )
        return self.respond(partnership, status.HTTP_201_CREATED)


class CommitView(_PartnershipAction):
    """An admin commits their organisation, naming the sponsors and the pledge."""

    permission_classes = [IsAuthenticated, AdminsHaveTwoFactor]

    @extend_schema(
        operation_id="initiatives_partnerships_commit",
        summary="Sign off your organisation's commitment (admins)",
        request=PartnershipCommitSerializer,
        responses={200: PartnerSerializer, **_errors},
        tags=["partnerships"],
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        partnership = self.partnership(pk)
        require(policies.sign_off_refusal(request.user, partnership))
        body = PartnershipCommitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = services.sign_off_commitment(
            partnership=partnership, by=request.user, **body.validated_data
        )
        return self.respond(partnership)


class _NoteActionView(_PartnershipAction):
    """A partnership transition that takes only an optional note (accept,
    decline, withdraw): one shape, three policies and services."""

    refusal = staticmethod(lambda user, partnership: "Not allowed.")
    service = staticmethod(lambda **kwargs: None)

    def post(self, request: Request, slug: str, pk: int) -> Response:
        partnership = self.partnership(pk)
        require(self.refusal(request.user, partnership))
        body = PartnershipNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = self.service(
            partnership=partnership, by=request.user, note=body.validated_data["note"]
        )
        return self.respond(partnership)


def _note_action_schema(operation_id: str, summary: str):
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            summary=summary,
            request=PartnershipNoteSerializer,
            responses={200: PartnerSerializer, **_errors},
            tags=["partnerships"],
        )
    )


@_note_action_schema(
    "initiatives_partnerships_accept",
    "Accept a committed partner or an interested supplier (the lead's admins)",
)
class AcceptView(_NoteActionView):
    refusal = staticmethod(policies.accept_refusal)
    service = staticmethod(services.accept_partner)


@_note_action_schema(
    "initiatives_partnerships_decline",
    "Decline an interested or committed organisation (the lead's admins)",
)
class DeclineView(_NoteActionView):
    refusal = staticmethod(policies.decline_refusal)
    service = staticmethod(services.decline_partner)


@_note_action_schema(
    "initiatives_partnerships_withdraw",
    "Withdraw your organisation (members while interested, admins once committed)",
)
class WithdrawView(_NoteActionView):
    refusal = staticmethod(policies.withdraw_refusal)
    service = staticmethod(services.withdraw_partnership)


class InviteView(_PartnershipAction):
    """The lead's admins invite an organisation; its admins are told."""

    @extend_schema(
        operation_id="initiatives_partnerships_invite",
        summary="Invite a council, public body or supplier (the lead's admins)",
        request=PartnershipOrganisationChoiceSerializer,
        responses={201: PartnerSerializer, **_errors},
        tags=["partnerships"],
    )
    def post(self, request: Request, slug: str) -> Response:
        initiative = self.parent
        require(policies.invite_refusal(request.user, initiative))
        body = PartnershipOrganisationChoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = services.invite_partner(
            initiative=initiative, organisation=body.validated_data["organisation"], by=request.user
        )
        return self.respond(partnership, status.HTTP_201_CREATED)


class HandOverLeadView(_PartnershipAction):
    """The lead's admins hand the lead to a committed or active partner council."""

    @extend_schema(
        operation_id="initiatives_hand_over_lead",
        summary="Hand the lead to a committed or active partner council (the lead's admins)",
        request=PartnershipOrganisationChoiceSerializer,
        responses={200: LeadHandOverSerializer, **_errors},
        tags=["partnerships"],
    )
    def post(self, request: Request, slug: str) -> Response:
        initiative = self.parent
        require(policies.hand_over_lead_refusal(request.user, initiative))
        body = PartnershipOrganisationChoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        initiative = services.hand_over_lead(
            initiative=initiative,
            to_organisation=body.validated_data["organisation"],
            by=request.user,
        )
        data = LeadHandOverSerializer(
            {
                "lead_organisation": initiative.lead_organisation,
                "partnerships": partnerships_with_history(initiative),
            },
            context={"request": request},
        ).data
        return Response(data)


_base = "initiatives/<slug:slug>/"

urlpatterns = [
    path(f"{_base}interest/", ExpressInterestView.as_view(), name="api-initiative-interest"),
    path(f"{_base}partnerships/", PartnershipListView.as_view(), name="api-partnership-list"),
    path(f"{_base}partnerships/invite/", InviteView.as_view(), name="api-partnership-invite"),
    path(
        f"{_base}partnerships/<int:pk>/commit/",
        CommitView.as_view(),
        name="api-partnership-commit",
    ),
    path(
        f"{_base}partnerships/<int:pk>/accept/",
        AcceptView.as_view(),
        name="api-partnership-accept",
    ),
    path(
        f"{_base}partnerships/<int:pk>/decline/",
        DeclineView.as_view(),
        name="api-partnership-decline",
    ),
    path(
        f"{_base}partnerships/<int:pk>/withdraw/",
        WithdrawView.as_view(),
        name="api-partnership-withdraw",
    ),
    path(f"{_base}lead/", HandOverLeadView.as_view(), name="api-initiative-lead"),
]
