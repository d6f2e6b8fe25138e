"""The one base for API viewsets: it owns scoping and permissions, so a
subclass only declares its serializer, filters and the selector that decides
what a user may see (PostHog's TeamAndOrgViewSetMixin, in spirit).

Subclasses set ``scope_queryset(self, user) -> QuerySet`` (normally a
``selectors.visible_to``); ``get_queryset`` always goes through it, so an
object outside the user's scope answers 404 exactly like a missing one.
Service-layer ``ValidationError``s become 400 responses with field errors.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.views import exception_handler


class ScopedViewSetMixin:
    permission_classes = [IsAuthenticatedOrReadOnly]

    def scope_queryset(self, user):  # pragma: no cover - subclasses must define
        raise NotImplementedError("API viewsets must define scope_queryset(user).")

    def get_queryset(self):
        return self.scope_queryset(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


def django_validation_error_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    """Services raise Django's ValidationError; the API answers 400 with the same messages."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = django_validation_error_to_drf(exc)
    return exception_handler(exc, context)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI that fits our Content Security Policy: the assets come from
    drf-spectacular-sidecar (our own static files, no CDN), the start-up script
    is served as a separate JavaScript response (``?script``), and our template
    drops the stock page's inline ``<style>`` block."""

    template_name = "api/swagger_ui.html"
