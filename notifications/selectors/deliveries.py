"""Digest deliveries as platform staff see them: every person's, newest
first, with the counts per status the filter shows. Staff see every row
(there is no tenant filter: digests are a platform service, and staff are
behind two-factor), so these are only ever called behind
``notifications.policies.can_manage_digests``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ..models import DigestDelivery

# The statuses staff filter by, in the order the filter shows them ("" is all).
FILTERS: tuple[tuple[str, str], ...] = (
    ("", "All"),
    (DigestDelivery.Status.FAILED, "Failed"),
    (DigestDelivery.Status.RETRYING, "Retrying"),
    (DigestDelivery.Status.SENT, "Sent"),
    (DigestDelivery.Status.EMPTY, "Empty"),
)
FILTER_VALUES = frozenset(value for value, _label in FILTERS)

# What staff may send again: the service (``digests.resend``) decides, this
# only chooses which rows get the button.
RESENDABLE = frozenset(
    {DigestDelivery.Status.FAILED, DigestDelivery.Status.RETRYING, DigestDelivery.Status.EMPTY}
)


def deliveries(*, status: str = "") -> QuerySet[DigestDelivery]:
    """Deliveries, newest first, with their person joined (one query per
    page, however many rows)."""
    rows = DigestDelivery.objects.select_related("user").order_by("-created_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    return rows


def status_counts() -> dict[str, int]:
    """How many deliveries each filter would show, in one aggregate query
    (the filter's counts must not cost a query each)."""
    totals = DigestDelivery.objects.aggregate(
        all=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value, _label in FILTERS if value},
    )
    return {value: totals[value or "all"] for value, _label in FILTERS}


def get_delivery(pk: int) -> DigestDelivery:
    """One delivery by id, or 404."""
    row = DigestDelivery.objects.select_related("user").filter(pk=pk).first()
    if row is None:
        raise Http404("No such digest delivery.")
    return row


def person_by_email(email: str):
    """The account with this e-mail address (case-insensitive), or None:
    staff preview anyone's digest, whichever organisation they are in."""
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


def get_person(pk: int):
    """One account by id, or 404."""
    person = get_user_model().objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person
