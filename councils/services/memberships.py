"""Memberships: asking to join, admins deciding, roles and removal.

Every organisation must keep at least one active admin, otherwise nobody can
approve newcomers or manage people. That rule is checked here, under a lock on
the organisation's admin rows (taken first, in primary-key order), so two
admins demoting each other at the same moment cannot both succeed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications import emails
from notifications.outbox import notify
from notifications.services import record_activity

from ..models import Invitation, Membership, Organisation
from ..selectors import active_membership_for, admin_addresses, forget_membership_cache

LAST_ADMIN_MESSAGE = (
    "{organisation} must keep at least one admin. Make someone else an admin first."
)


def _lock_membership(*, organisation: Organisation, pk: int) -> Membership:
    """Fetch ``pk`` within ``organisation`` for update, or say it is not there."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if membership is None:
        raise ValidationError("That person is not part of this organisation.")
    return membership


def _lock_admins(organisation: Organisation) -> list[int]:
    """Lock the organisation's active admin rows, always in primary-key order.

    Taken before any other row, in the same order by every request, so two
    admins changing each other at once queue up instead of deadlocking.
    """
    return list(
        Membership.objects.select_for_update()
        .filter(
            organisation=organisation,
            status=Membership.Status.ACTIVE,
            role=Membership.Role.ADMIN,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _ensure_another_admin_remains(*, membership: Membership, admin_ids: list[int]) -> None:
    """Refuse to take away the last active admin of the membership's organisation.

    ``admin_ids`` comes from ``_lock_admins`` in the same transaction, so a
    concurrent demotion has either finished (and is counted) or waits for us.
    """
    if not membership.is_admin:
        return
    if any(pk != membership.pk for pk in admin_ids):
        return
    raise ValidationError(LAST_ADMIN_MESSAGE.format(organisation=membership.organisation.name))


def request_membership(*, user, organisation: Organisation) -> Membership:
    """Ask to join ``organisation`` (the user's verified address is on its domain).

    Creates a PENDING membership and e-mails the organisation's admins, who
    decide. Asking again while a request is pending returns that request.
    """
    if not organisation.is_active:
        raise ValidationError("This organisation is not active on the platform.")
    if active_membership_for(user) is not None:
        raise ValidationError("You are already a member of an organisation.")
    with transaction.atomic():
        existing = Membership.objects.filter(
            user=user, organisation=organisation, status=Membership.Status.PENDING
        ).first()
        if existing is not None:
            return existing
        membership = Membership(
            user=user,
            organisation=organisation,
            role=Membership.Role.MEMBER,
            status=Membership.Status.PENDING,
        )
        membership.full_clean()
        membership.save()
        notify(
            verb="membership.requested",
            actor=user,
            organisation=organisation,
            target=membership,
            summary=f"{user.email} asked to join {organisation.name}",
            emails=emails.membership_requested(
                membership, recipients=admin_addresses(organisation)
            ),
        )
    forget_membership_cache(user)
    return membership


def approve_membership(*, organisation: Organisation, pk: int, by) -> Membership:
    """An admin lets a pending requester in as an officer, and tells them."""
    with transaction.atomic():
        membership = _lock_membership(organisation=organisation, pk=pk)
        if membership.status != Membership.Status.PENDING:
            raise ValidationError("This request has already been decided.")
        if Membership.objects.filter(
            user=membership.user, status=Membership.Status.ACTIVE
        ).exists():
            raise ValidationError(
                f"{membership.user.email} already belongs to another organisation."
            )
        membership.status = Membership.Status.ACTIVE
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        notify(
            verb="membership.approved",
            actor=by,
            organisation=organisation,
            target=membership,
            summary=f"Approved {membership.user.email}",
            emails=emails.membership_approved(membership),
        )
    forget_membership_cache(membership.user)
    return membership


def reject_membership(*, organisation: Organisation, pk: int, by) -> Membership:
    """An admin turns down a pending request; the requester is told."""
    with transaction.atomic():
        membership = _lock_membership(organisation=organisation, pk=pk)
        if membership.status != Membership.Status.PENDING:
            raise ValidationError("This request has already been decided.")
        membership.status = Membership.Status.REJECTED
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        notify(
            verb="membership.rejected",
            actor=by,
            organisation=organisation,
            target=membership,
            summary=f"Rejected {membership.user.email}",
            emails=emails.membership_rejected(membership),
        )
    forget_membership_cache(membership.user)
    return membership


def change_role(*, organisation: Organisation, pk: int, role: str, by) -> Membership:
    """Give an active member another role. The last admin cannot be demoted."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a valid role."})
    with transaction.atomic():
        admin_ids = _lock_admins(organisation)
        membership = _lock_membership(organisation=organisation, pk=pk)
        if membership.status != Membership.Status.ACTIVE:
            raise ValidationError("Only active members have a role to change.")
        if membership.role == role:
            return membership
        if role != Membership.Role.ADMIN:
            _ensure_another_admin_remains(membership=membership, admin_ids=admin_ids)
        previous = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        record_activity(
            verb="membership.role_changed",
            actor=by,
            organisation=organisation,
            target=membership,
            summary=(f"{membership.user.email}: {previous} → {membership.get_role_display()}"),
            data={"role": role},
        )
    forget_membership_cache(membership.user)
    forget_membership_cache(by)
    return membership


def remove_member(*, organisation: Organisation, pk: int, by) -> Membership:
    """Take someone out of the organisation (status REMOVED, history kept).

    The last admin cannot be removed, not even by themselves.
    """
    with transaction.atomic():
        admin_ids = _lock_admins(organisation)
        membership = _lock_membership(organisation=organisation, pk=pk)
        if membership.status != Membership.Status.ACTIVE:
            raise ValidationError("This person is not an active member.")
        _ensure_another_admin_remains(membership=membership, admin_ids=admin_ids)
        membership.status = Membership.Status.REMOVED
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        record_activity(
            verb="membership.removed",
            actor=by,
            organisation=organisation,
            target=membership,
            summary=f"Removed {membership.user.email}",
        )
    forget_membership_cache(membership.user)
    forget_membership_cache(by)
    return membership


def revoke_invitation(*, organisation: Organisation, pk: int, by) -> Invitation:
    """Withdraw an open invitation so its link no longer works."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(organisation=organisation, pk=pk).first()
        )
        if invitation is None:
            raise ValidationError("That invitation does not exist.")
        if invitation.accepted_at is not None:
            raise ValidationError("This invitation has already been accepted.")
        if invitation.revoked_at is not None:
            return invitation
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_activity(
            verb="invitation.revoked",
            actor=by,
            organisation=organisation,
            target=invitation,
            summary=f"Revoked the invitation for {invitation.email}",
        )
    return invitation
