"""Notifications API: ``/api/v1/me/notifications/``, the caller's own
e-mail settings (the same switches as the "Email notifications" page).

Like ``/api/v1/me/``, the object is the request's own user's settings, never
a row looked up from input, so there is no queryset to scope. A PATCH is
parsed here and applied by ``preferences.update_settings``, the one place
the row changes (and the next digest is rescheduled)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ActionAPIView

from .models import NotificationSettings
from .services.preferences import EDITABLE_FIELDS, settings_for, update_settings

FIELDS = [
    "digest_frequency",
    "digest_weekday",
    "digest_hour",
    "topic_my_council",
    "topic_following",
    "topic_new_matching",
    "topic_workshops",
    "topic_approvals",
    "immediate_workshop_invitations",
    "immediate_signoff_requests",
    "immediate_membership_decisions",
    "immediate_partnership_decisions",
]
if set(FIELDS) != EDITABLE_FIELDS:  # pragma: no cover - caught by any test run
    raise ImproperlyConfigured("The API must offer exactly what the service may change.")


class NotificationSettingsSerializer(serializers.ModelSerializer):
    next_digest_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the next digest is due (UTC); null when digests are off.",
    )

    class Meta:
        model = NotificationSettings
        fields = [*FIELDS, "next_digest_at"]
        extra_kwargs = {
            "digest_weekday": {"help_text": "0 is Monday, 6 is Sunday (for a weekly digest)."},
            "digest_hour": {"min_value": 0, "max_value": 23},
        }


class MyNotificationSettingsView(ActionAPIView):
    """The caller's own notification settings (session or personal token)."""

    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        summary="My e-mail notification settings",
        tags=["account"],
        responses=NotificationSettingsSerializer,
    )
    def get(self, request: Request) -> Response:
        row = settings_for(request.user)
        return Response(NotificationSettingsSerializer(row, context={"request": request}).data)

    @extend_schema(
        summary="Change my e-mail notification settings",
        tags=["account"],
        request=NotificationSettingsSerializer(partial=True),
        responses=NotificationSettingsSerializer,
    )
    def patch(self, request: Request) -> Response:
        row = settings_for(request.user)
        serializer = NotificationSettingsSerializer(
            row, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        row = update_settings(user=request.user, changes=dict(serializer.validated_data))
        return Response(NotificationSettingsSerializer(row, context={"request": request}).data)


urlpatterns = [
    path("me/notifications/", MyNotificationSettingsView.as_view(), name="api-me-notifications")
]
