"""Invitations: how council admins add people, and how platform admins give a
newly onboarded authority its first admin."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.tokens import generate_token, hash_token
from notifications import emails
from notifications.outbox import notify
from notifications.services import record_activity

from ..models import Invitation, Membership, Organisation
from ..selectors import active_membership_for, forget_membership_cache


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("councils:accept_invitation", kwargs={"token": raw_token})


def create_invitation(
    *, organisation: Organisation, email: str, role: str, by
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation`` with ``role`` and e-mail the link.

    Returns the invitation and the raw token (only the hash is stored; the raw
    token exists only in the e-mail and this return value).
    """
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a valid role."})
    if not organisation.is_active and organisation.status != Organisation.Status.REGISTERED:
        raise ValidationError("This organisation has ended and cannot take new members.")
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, status=Membership.Status.ACTIVE
    ).exists():
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
            emails=emails.invitation(invitation, url=invitation_url(raw)),
        )
    return invitation, raw


def find_usable_invitation(raw_token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_usable else None


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
        if invitation.email.lower() != user.email.lower():
            raise ValidationError(
                f"This invitation was sent to {invitation.email}. Sign in with that address."
            )
        current = active_membership_for(user)
        if current is not None and current.organisation_id != invitation.organisation_id:
            raise ValidationError(
                f"You are already a member of {current.organisation.name}. Leave it first."
            )
        organisation = invitation.organisation
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
        record_activity(
            verb="invitation.accepted",
            actor=user,
            organisation=organisation,
            target=membership,
            summary=f"{user.email} joined as {membership.get_role_display()}",
        )
    forget_membership_cache(user)
    return membership
