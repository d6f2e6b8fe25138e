"""Reaching an initiative's key contact without exposing their address.

The platform e-mails the message to the key contact with the sender's name,
organisation and address in it (the form says so), so the key contact can
reply directly and nobody learns the key contact's address by asking. The
door rate-limits senders; this service checks the rule and the text.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from councils.selectors.people import active_membership_for
from notifications import emails
from notifications.outbox import notify

from .. import policies
from ..models import Initiative

MESSAGE_MAX = 2000


@transaction.atomic
def message_key_contact(*, initiative: Initiative, by, message: str) -> None:
    """Send ``message`` from ``by`` to the initiative's key contact."""
    refusal = policies.contact_key_contact_refusal(by, initiative)
    if refusal:
        raise PermissionDenied(str(refusal))
    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": "Enter your message"})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({"message": f"Message must be {MESSAGE_MAX:,} characters or fewer"})
    membership = active_membership_for(by)
    notify(
        verb="initiative.key_contact_messaged",
        actor=by,
        organisation=membership.organisation,
        target=initiative,
        summary=f"A message to the key contact of “{initiative.title}”.",
        emails=emails.key_contact_message(
            initiative,
            sender=by,
            sender_organisation=membership.organisation,
            message=text,
            recipient=initiative.key_contact.email,
        ),
    )
