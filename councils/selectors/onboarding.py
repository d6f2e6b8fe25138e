"""Reads for onboarding: the staff pages (staff see every organisation, in
any status, so these do not go through ``directory.visible_organisations``;
the views call them only after ``policies.can_onboard_authorities``) and a
person's own request for an organisation."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import AccessRequest, EmailDomain, Invitation, Organisation


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


def onboarding_overview(*, limit: int = 5) -> dict:
    """What a platform admin's dashboard shows of onboarding: how many
    authorities are on the platform and waiting to be switched on, and the
    oldest access requests. Two queries, whatever the data."""
    counts = Organisation.objects.aggregate(
        active=Count("pk", filter=Q(status=Organisation.Status.ACTIVE)),
        registered=Count("pk", filter=Q(status=Organisation.Status.REGISTERED)),
    )
    requests = list(pending_access_requests()[: limit + 1])
    return {
        "active": counts["active"],
        "registered": counts["registered"],
        "access_requests": requests[:limit],
        "more_access_requests": len(requests) > limit,
    }


def pending_access_request_for(user) -> AccessRequest | None:
    """The person's own request still waiting for a decision (one at a time)."""
    return AccessRequest.objects.filter(user=user, status=AccessRequest.Status.PENDING).first()


def get_access_request_for_onboarding(pk: int) -> AccessRequest:
    """Any access request by id (staff only), or 404."""
    return get_object_or_404(AccessRequest.objects.select_related("user"), pk=pk)


def get_organisation_for_onboarding(slug: str) -> Organisation:
    """Any organisation by slug (staff only), or 404."""
    return get_object_or_404(Organisation.objects.select_related("successor"), slug=slug)


def get_email_domain_of(organisation: Organisation, pk: int) -> EmailDomain:
    """One of ``organisation``'s e-mail domains; another's id is a 404."""
    return get_object_or_404(EmailDomain, pk=pk, organisation=organisation)


def email_domains_of(organisation: Organisation) -> QuerySet[EmailDomain]:
    """The domains whose addresses may ask to join ``organisation``."""
    return organisation.email_domains.all()


def predecessors_of(organisation: Organisation) -> QuerySet[Organisation]:
    """Authorities that ended and were succeeded by ``organisation``, by name."""
    return organisation.predecessors.order_by("name")


def invitations_sent(organisation: Organisation) -> QuerySet[Invitation]:
    """Every invitation to the organisation, newest first, with who sent it."""
    return (
        Invitation.objects.select_related("invited_by", "accepted_by")
        .filter(organisation=organisation)
        .order_by("-created_at", "-pk")
    )
