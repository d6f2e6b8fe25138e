"""Reads for the staff onboarding pages. Staff see every organisation, in any
status, so these do not go through ``selectors.visible_organisations``; the
views call them only after ``policies.can_onboard_authorities``."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import AccessRequest, Invitation, Organisation


def search_organisations(*, query: str = "", status: str = "") -> QuerySet[Organisation]:
    """Every organisation whose name contains ``query`` or whose register, GSS
    code or web address is exactly ``query``; optionally of one status."""
    qs = Organisation.objects.all()
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(official_name__icontains=query)
            | Q(register_code__iexact=query)
            | Q(gss_code__iexact=query)
            | Q(slug__iexact=query)
        )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "pk")


def pending_access_requests() -> QuerySet[AccessRequest]:
    """Requests waiting for a platform admin, oldest first (first come, first served)."""
    return (
        AccessRequest.objects.select_related("user")
        .filter(status=AccessRequest.Status.PENDING)
        .order_by("created_at", "pk")
    )


def get_organisation_for_onboarding(slug: str) -> Organisation:
    """Any organisation by slug (staff only), or 404."""
    return get_object_or_404(Organisation.objects.select_related("successor"), slug=slug)


def invitations_sent(organisation: Organisation) -> QuerySet[Invitation]:
    """Every invitation to the organisation, newest first, with who sent it."""
    return (
        Invitation.objects.select_related("invited_by", "accepted_by")
        .filter(organisation=organisation)
        .order_by("-created_at", "-pk")
    )
