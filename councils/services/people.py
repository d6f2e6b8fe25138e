"""People: memberships (asking to join, admins deciding, roles and removal)
and invitations (how council admins add people, and how platform admins give
a newly onboarded authority its first admin).

Every organisation must keep at least one active admin, otherwise nobody can
approve newcomers or manage people. That rule is checked here, under a lock on
the organisation's admin rows (taken first, in primary-key order), so two
admins demoting each other at the same moment cannot both succeed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.tokens import generate_token, hash_token
from notifications import emails
from notifications.outbox import notify

from .. import policies
from ..models import Invitation, Membership, Organisation
from ..selectors.people import (
    active_membership_for,
    admin_addresses,
    forget_membership_cache,
    member_by_email,
)

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
        membership.record_decision(Membership.Status.ACTIVE, by=by)
        notify(
            verb="membership.approved",
            actor=by,
            organisation=organisation,
            target=membership,
            # Council activity is feed material (anyone who may see the
            # council reads it): the summary names nobody; the approver is
            # the actor, shown through {% person %}.
            summary=(
                f"Approved a new {membership.get_role_display().lower()} at {organisation.name}"
            ),
            data={"membership_id": membership.pk, "role": membership.role},
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
        membership.record_decision(Membership.Status.REJECTED, by=by)
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
        notify(
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
        membership.record_decision(Membership.Status.REMOVED, by=by)
        notify(
            verb="membership.removed",
            actor=by,
            organisation=organisation,
            target=membership,
            summary=f"Removed {membership.user.email}",
        )
    forget_membership_cache(membership.user)
    forget_membership_cache(by)
    return membership


# Invitations ------------------------------------------------------------------------------


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
        notify(
            verb="invitation.revoked",
            actor=by,
            organisation=organisation,
            target=invitation,
            summary=f"Revoked the invitation for {invitation.email}",
        )
    return invitation


def invitation_url(raw_token: str) -> str:
    """The link in an invitation e-mail (absolute: it is read outside the site)."""
    return settings.SITE_URL + reverse("councils:accept_invitation", kwargs={"token": raw_token})


def create_invitation(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    by,
    confirm_personal_address: bool = False,
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation`` with ``role`` and e-mail the link.

    An address at a webmail service (``policies.personal_address_warning``) is
    sent only with ``confirm_personal_address=True``: the inviter saw the
    warning and meant it. Without it the invitation is refused with that
    warning on ``confirm_personal_address``, so no door can skip the question.

    Returns the invitation and the raw token (only the hash is stored; the raw
    token exists only in the e-mail and this return value).
    """
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a valid role."})
    warning = policies.personal_address_warning(email)
    if warning and confirm_personal_address is not True:
        raise ValidationError(
            {"confirm_personal_address": ValidationError(warning, code="personal_address")}
        )
    if not organisation.is_active and organisation.status != Organisation.Status.REGISTERED:
        raise ValidationError("This organisation has ended and cannot take new members.")
    if member_by_email(organisation, email) is not None:
        raise ValidationError({"email": "This person is already a member."})
    raw = generate_token()
    with transaction.atomic():
        # A new invitation replaces any earlier unused one for the same person.
        Invitation.objects.filter(
            organisation=organisation,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=hash_token(raw),
            invited_by=by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        notify(
            verb="invitation.created",
            actor=by,
            organisation=organisation,
            target=invitation,
            summary=f"Invited {email} as {invitation.get_role_display()}",
            data={"personal_address": True} if warning else None,
            emails=emails.invitation(invitation, url=invitation_url(raw)),
        )
    return invitation, raw


def accept_invitation(*, raw_token: str, user) -> Membership:
    """Turn an invitation into an active membership for ``user``.

    The signed-in address must match the invited one, so a forwarded link
    cannot be used by someone else. Accepting activates a registered
    (not yet onboarded) organisation: its first admin has arrived.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_hash=hash_token(raw_token))
            .first()
        )
        if invitation is None or not invitation.is_usable:
            raise ValidationError("This invitation link has expired or has already been used.")
        organisation = invitation.organisation
        for refusal in (
            policies.invitee_refusal(user, invitation),
            policies.joining_elsewhere_refusal(user, organisation),
        ):
            if refusal:
                raise ValidationError(refusal)
        current = active_membership_for(user)
        if organisation.status == Organisation.Status.REGISTERED:
            organisation.status = Organisation.Status.ACTIVE
            organisation.save(update_fields=["status", "updated_at"])
        now = timezone.now()
        if current is not None:
            # Already a member: an invitation may raise their role but never
            # lower it (an old "officer" invitation must not demote the last
            # admin; demotion goes through change_role and its rules).
            membership = current
            rank = {
                Membership.Role.MEMBER: 0,
                Membership.Role.FACILITATOR: 1,
                Membership.Role.ADMIN: 2,
            }
            if rank[invitation.role] > rank[membership.role]:
                membership.role = invitation.role
                membership.save(update_fields=["role"])
        else:
            # A pending request for the same organisation is superseded.
            Membership.objects.filter(
                user=user, organisation=organisation, status=Membership.Status.PENDING
            ).update(status=Membership.Status.REJECTED, decided_at=now)
            membership = Membership.objects.create(
                user=user,
                organisation=organisation,
                role=invitation.role,
                status=Membership.Status.ACTIVE,
                decided_at=now,
                decided_by=invitation.invited_by,
            )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        notify(
            verb="invitation.accepted",
            actor=user,
            organisation=organisation,
            target=membership,
            summary=f"{user.email} joined as {membership.get_role_display()}",
        )
    forget_membership_cache(user)
    return membership
