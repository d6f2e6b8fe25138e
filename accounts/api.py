"""Account API: ``/api/v1/me/`` tells a token's owner who they are and which
organisation (and role) their requests act for."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from councils.models import Membership, Organisation
from councils.selectors import active_membership_for

from .models import User


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
        model = User
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
    def get_membership(self, user: User) -> dict | None:
        """The one active membership (None for platform admins and people awaiting approval)."""
        membership = active_membership_for(user)
        if membership is None:
            return None
        return MyMembershipSerializer(membership, context=self.context).data


class MeView(generics.RetrieveAPIView):
    """The signed-in user (session or personal token), their membership and organisation."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> User:
        return self.request.user

    @extend_schema(summary="Who am I?", tags=["account"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
