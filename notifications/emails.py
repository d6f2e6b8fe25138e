"""Every e-mail the platform sends, one function per message (healthchecks'
``hc/lib/emails.py``, in spirit).

A function takes what the message is about and who should get it, and
returns the ``Email``s to send: one per recipient, so recipients never see
each other's addresses, and each rendered for its recipient, so people's
names reach only those who may see them (``{% person %}`` in the templates,
``councils.names``). Services pass them to ``notifications.outbox.notify``,
which sends them through Celery after the transaction commits. Templates
live in ``templates/notifications/email/``; every one gets ``site_name`` and
``site_url`` (``core.site``, as allauth's e-mails do), so links and names are
the same in every message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerOperationalError

from core import site
from councils.names import acting_capacity, show_person
from councils.selectors.people import people_by_address

from .models import NotificationSettings
from .unsubscribe import LIST_LABELS, LISTS, headers_for

logger = logging.getLogger(__name__)

BROKER_UNREACHABLE = (BrokerOperationalError, ConnectionError, OSError)


@dataclass(frozen=True)
class Email:
    """One message to one recipient, ready to send: plain text, and an HTML
    alternative when ``html`` is given. ``headers`` are extra mail headers
    (the one-click unsubscribe pair, ``unsubscribe.headers_for``)."""

    to: str
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict, hash=False)
    html: str = ""


Subject = str | Callable[[Any], str]


UNSUBSCRIBE_FOOTER = "notifications/email/unsubscribe_footer.txt"


def _opted_out(people: dict, list_name: str) -> set[int]:
    """Ids of the accounts among ``people`` that have turned ``list_name``
    off: one query however many recipients (``wants_immediate`` per person
    would be one each)."""
    switch, off = LISTS[list_name]
    if not people:
        return set()
    return set(
        NotificationSettings.objects.filter(
            user__in=[user.pk for user in people.values()], **{switch: off}
        ).values_list("user_id", flat=True)
    )


def _emails(
    template: str,
    subject: Subject,
    recipients: Iterable[str],
    *,
    list_name: str | None = None,
    **context: Any,
) -> list[Email]:
    """One message per distinct address, each rendered for its recipient:
    the recipient is the viewer of the ``{% person %}`` tag, so a message
    names people only to someone who may see names
    (``councils.policies.may_see_personal_names``; an address without an
    account may not). ``subject`` is text, or a function of the recipient
    when it mentions a person.

    ``list_name`` (one of ``unsubscribe.LISTS``) makes the message one a
    person can opt out of: recipients with an account who turned that list
    off are dropped, and the others get RFC 8058 headers and an unsubscribe
    line in the footer, from the same one-use link. An address without an
    account is always sent the message (it is how they join) and gets no
    link: there are no settings of theirs to change."""
    if list_name is not None and list_name not in LISTS:
        raise ValueError(f"No mailing list called {list_name!r}.")
    context = {**site.email_context(), **context}
    addresses: list[str] = []
    seen: set[str] = set()
    for address in recipients:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    people = people_by_address(addresses)
    opted_out = _opted_out(people, list_name) if list_name else set()
    messages = []
    for address in addresses:
        viewer = people.get(address.strip().lower())
        if viewer is not None and viewer.pk in opted_out:
            continue
        headers: dict[str, str] = {}
        unsubscribe_link = ""
        if list_name and viewer is not None:
            headers = headers_for(viewer, list_name)
            unsubscribe_link = headers["List-Unsubscribe"].strip("<>")
        rendering = {
            **context,
            "names_viewer": viewer,
            "unsubscribe_url": unsubscribe_link,
            "unsubscribe_list": LIST_LABELS.get(list_name or "", ""),
        }
        body = render_to_string(f"notifications/email/{template}.txt", rendering)
        if unsubscribe_link and unsubscribe_link not in body:
            # Every template gets the footer without having to remember it; a
            # template that places the link itself (a digest) is left alone.
            body = body.rstrip("\n") + "\n\n" + render_to_string(UNSUBSCRIBE_FOOTER, rendering)
        text = subject(viewer) if callable(subject) else subject
        messages.append(Email(to=address, subject=text, body=body, headers=headers))
    return messages


def absolute_url(path: str) -> str:
    """A link for an e-mail: always on ``SITE_URL``, never the request's host."""
    return site.absolute_url(path)


def deliver(messages: Iterable[Email]) -> None:
    """Hand each message to Celery (in-process locally and in tests).

    If the broker cannot be reached the message is sent from this process
    instead: the action has already committed, so failing here would only
    turn a saved change into an error page and lose the e-mail.
    """
    from .tasks import send_email

    for message in messages:
        fields: dict[str, Any] = {
            "to": message.to,
            "subject": message.subject,
            "body": message.body,
        }
        # Only what a message has: a task queued by an older worker's code
        # (or read by one) keeps the three fields it always had.
        if message.headers:
            fields["headers"] = dict(message.headers)
        if message.html:
            fields["html_body"] = message.html
        try:
            send_email.delay(**fields)
        except BROKER_UNREACHABLE as exc:
            logger.error("Celery broker unreachable (%s); sending e-mail in-process.", exc)
            send_email.run(**fields)


# Memberships and invitations ----------------------------------------------------------------


def membership_requested(membership, *, recipients: Iterable[str]) -> list[Email]:
    """To a council's admins: someone with a matching address asked to join."""
    organisation = membership.organisation
    people_url = absolute_url(reverse("councils:people", kwargs={"slug": organisation.slug}))

    def subject(viewer) -> str:
        requester = show_person(viewer, membership.user)
        return f"{requester if requester.is_name else 'Someone'} asked to join {organisation.name}"

    return _emails(
        "membership_requested",
        subject,
        recipients,
        membership=membership,
        people_url=people_url,
    )


def membership_approved(membership) -> list[Email]:
    """To the requester: an admin let them in."""
    return _emails(
        "membership_approved",
        f"You can now use {settings.SITE_NAME} as part of {membership.organisation.name}",
        [membership.user.email],
        list_name="membership_decisions",
        membership=membership,
    )


def membership_rejected(membership) -> list[Email]:
    """To the requester: an admin turned the request down."""
    return _emails(
        "membership_rejected",
        f"Your request to join {membership.organisation.name}",
        [membership.user.email],
        list_name="membership_decisions",
        membership=membership,
    )


def invitation(invitation, *, url: str) -> list[Email]:
    """To the invited address: the link that lets them join."""
    return _emails(
        "invitation",
        f"You are invited to join {invitation.organisation.name} on {settings.SITE_NAME}",
        [invitation.email],
        invitation=invitation,
        url=url,
    )


# Access requests (suppliers and public bodies not on the register) ---------------------------


def access_requested(access_request, *, recipients: Iterable[str]) -> list[Email]:
    """To platform admins: someone asked for an organisation."""
    return _emails(
        "access_requested",
        f"Access request: {access_request.organisation_name}",
        recipients,
        access_request=access_request,
        review_url=absolute_url(reverse("onboarding:index")),
    )


def access_request_decided(access_request, *, approved: bool, reason: str = "") -> list[Email]:
    """To the requester: the platform team's decision (and reason, if given)."""
    subject = (
        f"{access_request.organisation_name} is now on {settings.SITE_NAME}"
        if approved
        else f"Your request for {access_request.organisation_name} on {settings.SITE_NAME}"
    )
    return _emails(
        "access_request_approved" if approved else "access_request_rejected",
        subject,
        [access_request.user.email],
        access_request=access_request,
        reason=reason,
        url=absolute_url(reverse("home")),
    )


# Initiatives --------------------------------------------------------------------------------

PARTNERSHIP_MESSAGES = (
    "interested",
    "committed",
    "accepted",
    "declined",
    "withdrawn",
    "invited",
    "lead_handed_over",
    "signoff_needed",
)
# The partnership messages a person can opt out of, and under which list.
# "interested" goes to the lead's admins, who decide on the request (accept
# or decline a supplier; see a council through to its sign-off); the others
# are the lead's decision told to the partner's admins. The rest (committed,
# withdrawn, invited, handed over) have no switch of their own and are sent.
PARTNERSHIP_LISTS = {
    "interested": "signoff_requests",
    # To the interested council's own admins: the commitment is theirs to sign.
    "signoff_needed": "signoff_requests",
    "accepted": "partnership_decisions",
    "declined": "partnership_decisions",
}


def partnership_news(
    kind: str, partnership, *, subject: str, by, recipients: Iterable[str], note: str = ""
) -> list[Email]:
    """To an organisation's admins: a step in a partnership (``kind`` is one of
    ``PARTNERSHIP_MESSAGES``, each with its own template)."""
    if kind not in PARTNERSHIP_MESSAGES:
        raise ValueError(f"No partnership message called {kind!r}.")
    initiative = partnership.initiative
    # Who acted, and for which organisation, as they act now: the label a
    # recipient who may not see names gets ("A council admin at Leedsham").
    actor_organisation, actor_role = acting_capacity(by)
    return _emails(
        f"partnership_{kind}",
        subject,
        recipients,
        list_name=PARTNERSHIP_LISTS.get(kind),
        initiative=initiative,
        partnership=partnership,
        organisation=partnership.organisation,
        actor=by,
        actor_organisation=actor_organisation,
        actor_role=actor_role,
        note=note,
        url=absolute_url(initiative.get_absolute_url()),
    )


def comment_flagged(flag, *, recipients: Iterable[str]) -> list[Email]:
    """To platform admins: a comment needs moderating."""
    comment = flag.comment
    return _emails(
        "comment_flagged",
        f"A comment on “{comment.initiative.title}” was flagged",
        recipients,
        flag=flag,
        comment=comment,
        initiative=comment.initiative,
        moderation_url=absolute_url(reverse("initiatives:moderation_flags")),
    )


# Workshops ---------------------------------------------------------------------------------


def workshop_invitation(workshop, *, recipients: Iterable[str], url: str) -> list[Email]:
    """To people invited to a workshop: the link that opens it (or, for an
    address without an account, the link that signs them up into it)."""
    return _emails(
        "workshop_invitation",
        f"You are invited to the workshop “{workshop.title}”",
        recipients,
        list_name="workshop_invitations",
        workshop=workshop,
        url=url,
    )


def workshop_closed(workshop, *, recipients: Iterable[str], summary, url: str) -> list[Email]:
    """To everyone who took part (and the addresses invited), when the
    facilitator closes a workshop: its summary (top items, groups, actions
    and strategies; never an item's author) and the link to the full page.
    ``summary`` is ``swot.selectors.results.Summary``."""
    return _emails(
        "workshop_closed",
        f"Summary of the workshop “{workshop.title}”",
        recipients,
        workshop=workshop,
        summary=summary,
        url=url,
    )


# Reaching people ---------------------------------------------------------------------------


def key_contact_message(
    initiative, *, sender, sender_organisation, message: str, recipient: str
) -> list[Email]:
    """To an initiative's key contact: a message from a signed-in officer,
    with their name and address so the key contact can reply directly."""
    return _emails(
        "key_contact_message",
        f"A message about {initiative.title}",
        [recipient],
        initiative=initiative,
        sender=sender,
        sender_organisation=sender_organisation,
        message=message,
        url=absolute_url(initiative.get_absolute_url()),
    )
