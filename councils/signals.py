"""What happens when someone proves they own an e-mail address, and the
signal councils sends when organisations are renamed.

Verification is the moment we trust the address, so it is when an invitation
opened in this browser is accepted (at sign-up itself when the invitation
link already proved the address), or a request to join the council that owns
the address's domain is made. Nothing here may break verification itself: a
rule that refuses (say, the person already belongs elsewhere) is logged and
the dashboard explains the person's situation.

Connected in ``CouncilsConfig.ready``: accounts (identity) knows nothing of
organisations; councils listens to allauth.
"""

from __future__ import annotations

import logging

from allauth.account.signals import email_confirmed, user_signed_up
from django.core.exceptions import ValidationError
from django.dispatch import Signal

from .selectors.people import active_membership_for, organisation_for_email, usable_invitation
from .services.people import accept_invitation, request_membership

logger = logging.getLogger(__name__)

# Sent (``organisation_ids=[...]``) inside the transaction that renamed
# organisations in bulk, where no ``post_save`` fires (the register import):
# other apps that copy an organisation's names (the initiatives' search
# vectors) refresh them. ``councils`` imports no app that builds on it, so it
# tells them this way; a single ``Organisation.save()`` is seen through
# ``post_save``.
organisation_names_changed = Signal()

# The raw invitation token, kept in the session when an invitation link is opened.
INVITATION_SESSION_KEY = "councils.invitation_token"


def _accept_invitation_opened_here(request, user, email: str) -> bool:
    """Accept the invitation opened in this browser if it was for ``email``
    (a proved address of ``user``). Whether it was accepted."""
    session = getattr(request, "session", None)
    token = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if not token:
        return False
    invitation = usable_invitation(token)
    if invitation is None or invitation.email.lower() != email.lower():
        return False
    try:
        accept_invitation(raw_token=token, user=user)
    except ValidationError as exc:
        logger.info("Invitation not accepted for %s: %s", email, exc.messages)
        return False
    session.pop(INVITATION_SESSION_KEY, None)
    return True


def join_organisation_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """Accept the invitation opened in this session, or else ask to join the
    organisation that owns the address's domain."""
    user = email_address.user
    email = email_address.email.lower()
    if _accept_invitation_opened_here(request, user, email):
        return
    organisation = organisation_for_email(email)
    if organisation is None or active_membership_for(user) is not None:
        return
    try:
        request_membership(user=user, organisation=organisation)
    except ValidationError as exc:
        logger.info("Membership not requested for %s: %s", email, exc.messages)


def join_on_sign_up_with_a_proved_address(sender, request, user, **kwargs) -> None:
    """A person who signed up from an invitation link has a verified address
    from the start (``accounts.signup``): allauth sends no confirmation, so
    the invitation is accepted here, at sign-up."""
    from allauth.account.models import EmailAddress

    for address in EmailAddress.objects.filter(user=user, verified=True):
        if _accept_invitation_opened_here(request, user, address.email):
            return


def connect() -> None:
    """Listen for allauth's e-mail confirmation (called once, from ``ready``)."""
    email_confirmed.connect(
        join_organisation_on_email_confirmed,
        dispatch_uid="councils.join_organisation_on_email_confirmed",
    )
    user_signed_up.connect(
        join_on_sign_up_with_a_proved_address,
        dispatch_uid="councils.join_on_sign_up_with_a_proved_address",
    )
