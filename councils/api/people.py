"""People API: ``/api/v1/me/`` tells a session's or token's owner who they
are and which organisation (and role) their requests act for. It lives here,
not in ``accounts``, because the answer is about membership."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ActionAPIView

from ..models import Membership, Organisation
from ..names import personal_name
from ..selectors.people import active_membership_for


class PersonalNameField(serializers.CharField):
    """A person's name (from a user, or text that names someone such as a
    sponsor), read-only; ``null`` when there is nobody or the caller may not
    see people's names (``policies.may_see_personal_names``, applied by
    ``councils.names``). The response names the organisation elsewhere."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        request = self.context.get("request")
        return personal_name(getattr(request, "user", None), value)


class MyOrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="organisation-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = Organisation
        fields = ["slug", "url", "name", "official_name", "kind", "status"]
        read_only_fields = fields


class MyMembershipSerializer(serializers.ModelSerializer):
    organisation = MyOrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        # Only the active membership is shown, so its status goes without saying.
        fields = ["role", "organisation"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    is_platform_admin = serializers.BooleanField(source="is_staff", read_only=True)
    membership = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = [
            "email",
            "full_name",
            "display_name",
            "job_title",
            "is_platform_admin",
            "membership",
        ]
        read_only_fields = fields

    @extend_schema_field(MyMembershipSerializer(allow_null=True))
    def get_membership(self, user) -> dict | None:
        """The one active membership (None for platform admins and people awaiting approval)."""
        membership = active_membership_for(user)
        if membership is None:
            return None
        return MyMembershipSerializer(membership, context=self.context).data


class MeView(ActionAPIView):
    """The signed-in user (session or personal token), their membership and organisation.

    The object is the request's own user, never a row looked up from input,
    so there is no queryset to scope."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Who am I?", tags=["account"], responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user, context={"request": request}).data)


urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
