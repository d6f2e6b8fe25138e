"""The one base for API views: it owns scoping and permissions, so a
subclass only declares its serializer, filters and the selector that decides
what a user may see (PostHog's TeamAndOrgViewSetMixin, in spirit).

- ``scope_queryset(self, user) -> QuerySet`` is the only way a subclass
  says which rows exist for the user (normally a ``selectors.visible_to``).
  ``narrow_queryset(self, queryset)`` may then add filters (a facet, an
  action's ``select_related``) but can only narrow what scoping allowed.
- ``get_queryset`` and ``get_object`` belong to the base: a subclass that
  overrides either is refused when its class is defined, so nobody can
  bypass the scope by accident. An object outside the user's scope answers
  404 exactly like a missing one.
- ``NestedParentMixin`` loads the parent of a nested route
  (``/initiatives/<slug>/comments/``) once, through the parent's access
  helper, so every nested route answers 404 for a parent the user cannot see.

Service-layer ``ValidationError``s become 400 responses with field errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import Model, QuerySet
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, generics, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.views import APIView, exception_handler

from .error_messages import label_for_key, translate
from .middleware import DATABASE_DOWN

logger = logging.getLogger(__name__)

# Methods only the base may define: overriding them is how scoping gets lost.
_SEALED = ("get_queryset", "get_object")


class _SealedScopeMixin:
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _SEALED:
            if name in cls.__dict__ and cls.__module__ != __name__:
                raise ImproperlyConfigured(
                    f"{cls.__module__}.{cls.__qualname__} overrides {name}(); define "
                    "scope_queryset(user) and, to add filters, narrow_queryset(queryset)."
                )


class ScopedViewSetMixin(_SealedScopeMixin):
    permission_classes = [IsAuthenticatedOrReadOnly]
    # The model of the rows, for schema generation: drf-spectacular builds the
    # schema without a request user or URL kwargs (so without a parent to load)
    # and only needs to know what the rows are.
    schema_model: type[Model] | None = None

    def scope_queryset(self, user) -> QuerySet:  # pragma: no cover - subclasses must define
        raise NotImplementedError("API views must define scope_queryset(user).")

    def narrow_queryset(self, queryset: QuerySet) -> QuerySet:
        """Filters on top of the scope (facets, per-action joins). Narrow only."""
        return queryset

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False) and self.schema_model is not None:
            return self.schema_model._default_manager.none()
        return self.narrow_queryset(self.scope_queryset(self.request.user))

    def get_object(self) -> Model:
        return generics.GenericAPIView.get_object(self)


class NestedParentMixin:
    """For routes under a parent object, e.g. ``/initiatives/<slug>/partners/``.

    ``parent_loader(user, value)`` is the parent's access helper (404 alike
    for missing and invisible); ``parent_url_kwarg`` names the URL keyword.
    The parent is loaded once per request and cached on ``self.parent``.
    """

    parent_loader: Callable[[Any, str], Model]
    parent_url_kwarg = "slug"

    @property
    def parent(self) -> Model:
        cached = getattr(self, "_parent_object", None)
        if cached is None:
            # Looked up on the class, so a plain function is not bound as a method.
            loader = type(self).parent_loader
            cached = loader(self.request.user, self.kwargs[self.parent_url_kwarg])
            self._parent_object = cached
        return cached


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedGenericView(ScopedViewSetMixin, generics.GenericAPIView):
    """A non-router API view over rows (list, create, retrieve...). Mix in DRF's
    ``mixins`` or use the generic subclasses below."""


class ScopedListCreateView(ScopedViewSetMixin, generics.ListCreateAPIView):
    pass


class ScopedRetrieveUpdateDestroyView(ScopedViewSetMixin, generics.RetrieveUpdateDestroyAPIView):
    pass


class ScopedCreateView(ScopedViewSetMixin, generics.CreateAPIView):
    pass


class ActionAPIView(_SealedScopeMixin, APIView):
    """An API action on one object that is not a row list (``POST .../accept/``).
    It has no queryset of its own: it reaches its object through an access
    helper, usually with ``NestedParentMixin``."""

    permission_classes = [IsAuthenticatedOrReadOnly]


def django_validation_error_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    """Services raise Django's ValidationError; the API answers 400 with the same messages."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


class DatabaseUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = DATABASE_DOWN
    default_code = "database_unavailable"


def api_exception_handler(exc, context):
    """Service errors become 400s with field errors; a database that has gone
    away becomes a JSON 503 (an API client never gets an HTML error page)."""
    if isinstance(exc, DjangoValidationError):
        exc = django_validation_error_to_drf(exc)
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("API request failed: database unavailable (%s)", type(exc).__name__)
        exc = DatabaseUnavailable()
    response = exception_handler(exc, context)
    if isinstance(exc, DatabaseUnavailable) and response is not None:
        response["Retry-After"] = "30"
    if isinstance(exc, exceptions.ValidationError) and response is not None:
        response.data = govuk_field_errors(response.data)
    return response


def govuk_field_errors(detail: Any, label: str | None = None) -> Any:
    """A 400's field errors in the same structure, with DRF's and Django's
    default messages ("This field is required.") reworded the GOV.UK way for
    the field they belong to ("Enter the title"). Items of a list field
    (``{"tags": {"0": [...]}}``) are named after the list."""
    if isinstance(detail, dict):
        return {
            key: govuk_field_errors(
                value,
                label
                if str(key).isdigit()
                else None
                if key in ("non_field_errors", "__all__", "detail")
                else label_for_key(str(key)),
            )
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return [govuk_field_errors(item, label) for item in detail]
    if isinstance(detail, str):
        worded = translate(detail, label)
        if worded == detail:
            return detail
        return exceptions.ErrorDetail(worded, code=getattr(detail, "code", None))
    return detail


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI that fits our Content Security Policy: the assets come from
    drf-spectacular-sidecar (our own static files, no CDN), the start-up script
    is served as a separate JavaScript response (``?script``), and our template
    drops the stock page's inline ``<style>`` block."""

    template_name = "api/swagger_ui.html"
