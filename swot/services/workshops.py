"""Setting up and running workshops outside the board itself: creating one,
changing its details and options, inviting people (platform users at once,
other addresses by e-mail), the guest link, removing someone, sharing the
results. Board changes are in ``services.board``.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from core.doors import enforce
from councils.selectors.people import active_membership_for
from notifications import emails, outbox

from .. import policies
from ..models import Participant, Workshop, hash_secret
from ..workshop_templates import prompts_for
from .board import participant_changed


def _clean_text(value: str, *, field: str, label: str, max_length: int, required: bool) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: [f"The {label} must not contain a null character."]})
    if required and not text:
        raise ValidationError({field: [f"Enter the {label}."]})
    if len(text) > max_length:
        raise ValidationError({field: [f"The {label} must be {max_length} characters or fewer."]})
    return text


def _locked(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def create_workshop(
    *,
    by,
    title: str,
    purpose: str = "",
    scheduled_for: datetime.date | None = None,
    template: str = Workshop.Template.BLANK,
    initiative=None,
    anonymous_items: bool = False,
    private_brainstorm: bool = False,
    votes_per_participant: int = Workshop.DEFAULT_VOTES,
) -> Workshop:
    """A facilitator (or council admin) sets up a workshop owned by their
    council; they take part as its first facilitator. The template's quadrant
    prompts are copied in, so later changes to a template leave it alone."""
    if not policies.can_create_workshop(by):
        raise PermissionDenied("Only facilitators and council admins can run workshops.")
    membership = active_membership_for(by)
    errors: dict[str, list[str]] = {}
    try:
        title = _clean_text(
            title, field="title", label="title", max_length=Workshop.TITLE_MAX, required=True
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        purpose = _clean_text(
            purpose, field="purpose", label="purpose", max_length=2000, required=False
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if template not in Workshop.Template.values:
        errors["template"] = ["Choose a template."]
    if not isinstance(votes_per_participant, int) or not 1 <= votes_per_participant <= 50:
        errors["votes_per_participant"] = ["Votes per participant must be between 1 and 50."]
    if initiative is not None:
        from initiatives.policies import can_view_initiative

        if not can_view_initiative(by, initiative):
            errors["initiative"] = ["Choose an initiative you can see."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        workshop = Workshop.objects.create(
            title=title,
            purpose=purpose,
            owner=membership.organisation,
            initiative=initiative,
            scheduled_for=scheduled_for,
            template=template,
            prompts=prompts_for(template),
            anonymous_items=anonymous_items,
            private_brainstorm=private_brainstorm,
            votes_per_participant=votes_per_participant,
            created_by=by,
        )
        Participant.objects.create(
            workshop=workshop,
            user=by,
            organisation=membership.organisation,
            role=Participant.Role.FACILITATOR,
            status=Participant.Status.JOINED,
            invited_by=by,
        )
        outbox.notify(
            verb="workshop.scheduled",
            actor=by,
            organisation=membership.organisation,
            target=workshop,
            summary=f"{membership.organisation.name} scheduled the workshop “{workshop.title}”",
            data={"initiative": initiative.pk if initiative else None},
        )
    return workshop


OPTION_FIELDS = ("anonymous_items", "private_brainstorm", "votes_per_participant")


def update_workshop(*, workshop: Workshop, by: Participant, **changes) -> Workshop:
    """Change a workshop's details (any time before it closes) and options
    (anonymity and private brainstorm only before the brainstorm starts:
    switching them mid-way would expose, or hide, what people already wrote)."""
    enforce(policies.manage_refusal(by))
    allowed = {"title", "purpose", "scheduled_for", *OPTION_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Unknown workshop fields: {sorted(unknown)}")
    with transaction.atomic():
        workshop = _locked(workshop)
        enforce(None if not workshop.is_closed else policies.CLOSED)
        errors: dict[str, list[str]] = {}
        if "title" in changes:
            try:
                changes["title"] = _clean_text(
                    changes["title"],
                    field="title",
                    label="title",
                    max_length=Workshop.TITLE_MAX,
                    required=True,
                )
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if "purpose" in changes:
            changes["purpose"] = _clean_text(
                changes["purpose"],
                field="purpose",
                label="purpose",
                max_length=2000,
                required=False,
            )
        started = workshop.phase != Workshop.Phase.SETUP
        for name in ("anonymous_items", "private_brainstorm"):
            if name in changes and changes[name] != getattr(workshop, name) and started:
                errors[name] = ["You can only change this before the brainstorm starts."]
        if "votes_per_participant" in changes:
            votes = changes["votes_per_participant"]
            if not isinstance(votes, int) or not 1 <= votes <= 50:
                errors["votes_per_participant"] = [
                    "Votes per participant must be between 1 and 50."
                ]
            elif workshop.phase in (Workshop.Phase.VOTE, Workshop.Phase.ACTIONS) and (
                votes != workshop.votes_per_participant
            ):
                errors["votes_per_participant"] = [
                    "You can only change the number of votes before voting starts."
                ]
        if errors:
            raise ValidationError(errors)
        for name, value in changes.items():
            setattr(workshop, name, value)
        workshop.save(update_fields=list(changes) or None)
    return workshop


def _organisation_of(user):
    membership = active_membership_for(user)
    return membership.organisation if membership else None


def invite_users(*, workshop: Workshop, by: Participant, users: Iterable) -> list[Participant]:
    """Add platform users from any council. They can open the workshop at once
    and are told by e-mail; someone already taking part is left as they are
    (someone removed comes back)."""
    enforce(policies.manage_refusal(by))
    added: list[Participant] = []
    with transaction.atomic():
        workshop = _locked(workshop)
        enforce(None if not workshop.is_closed else policies.CLOSED)
        for user in users:
            if not user.is_active:
                continue
            participant, created = Participant.objects.get_or_create(
                workshop=workshop,
                user=user,
                defaults={
                    "organisation": _organisation_of(user),
                    "status": Participant.Status.JOINED,
                    "invited_by": by.user,
                },
            )
            if not created and participant.status != Participant.Status.REMOVED:
                continue
            if not created:
                participant.status = Participant.Status.JOINED
                participant.save(update_fields=["status"])
            added.append(participant)
            participant_changed(workshop, participant, "participant.joined")
        if added:
            url = emails.absolute_url(workshop.get_absolute_url())
            outbox.notify(
                verb="workshop.invited",
                actor=by.user,
                organisation=workshop.owner,
                target=workshop,
                summary=(
                    f"{len(added)} {'person was' if len(added) == 1 else 'people were'} "
                    f"invited to “{workshop.title}”"
                ),
                data={"participants": [p.pk for p in added]},
                emails=emails.workshop_invitation(
                    workshop, recipients=[p.user.email for p in added], url=url
                ),
            )
    return added


def invite_by_email(*, workshop: Workshop, by: Participant, email: str) -> tuple[Participant, str]:
    """Invite an address with no account yet: they get a link to sign up, which
    binds the invitation to their new account. Returns the participant and the
    one-time token (only its hash is kept)."""
    enforce(policies.manage_refusal(by))
    address = (email or "").strip().lower()
    from django.core.validators import validate_email

    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"email": ["Enter an email address in the correct format, like name@example.com"]}
        ) from None
    from accounts.models import User

    existing = User.objects.filter(email__iexact=address, is_active=True).first()
    if existing is not None:
        invite_users(workshop=workshop, by=by, users=[existing])
        return Participant.objects.get(workshop=workshop, user=existing), ""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        workshop = _locked(workshop)
        enforce(None if not workshop.is_closed else policies.CLOSED)
        participant, _ = Participant.objects.update_or_create(
            workshop=workshop,
            user=None,
            email=address,
            defaults={
                "invite_token_hash": hash_secret(token),
                "status": Participant.Status.INVITED,
                "invited_by": by.user,
            },
        )
        url = emails.absolute_url(reverse("swot:accept_invitation", kwargs={"token": token}))
        outbox.notify(
            verb="workshop.invited",
            actor=by.user,
            organisation=workshop.owner,
            target=workshop,
            summary=f"Someone was invited by e-mail to “{workshop.title}”",
            emails=emails.workshop_invitation(workshop, recipients=[address], url=url),
        )
    return participant, token


def accept_invitation(*, token: str, user) -> Participant:
    """Bind an e-mailed invitation to the signed-in ``user`` (who signed up
    with the invited address: the link is sent only to it)."""
    participant = (
        Participant.objects.select_related("workshop")
        .filter(invite_token_hash=hash_secret(token or ""), user__isnull=True)
        .exclude(invite_token_hash="")
        .first()
    )
    if participant is None:
        raise ValidationError("This invitation link is not valid or has already been used.")
    if participant.email.lower() != user.email.lower():
        raise PermissionDenied(
            f"This invitation was sent to {participant.email}. "
            "Sign in with that address to accept it."
        )
    with transaction.atomic():
        workshop = _locked(participant.workshop)
        enforce(None if not workshop.is_closed else policies.CLOSED)
        already = Participant.objects.filter(workshop=workshop, user=user).first()
        withdrawn = participant.status == Participant.Status.REMOVED or (
            already is not None and already.status == Participant.Status.REMOVED
        )
        if withdrawn:
            # Someone the facilitator removed cannot come back with an old link.
            raise ValidationError(
                "This invitation has been withdrawn. Ask the workshop's facilitator "
                "to invite you again."
            )
        if already is not None:
            participant.delete()
            participant = already
            participant.status = Participant.Status.JOINED
            participant.save(update_fields=["status"])
        else:
            participant.user = user
            participant.organisation = _organisation_of(user)
            participant.status = Participant.Status.JOINED
            participant.invite_token_hash = ""
            participant.save(update_fields=["user", "organisation", "status", "invite_token_hash"])
        participant_changed(workshop, participant, "participant.joined")
    return participant


def set_guest_link(*, workshop: Workshop, by: Participant, enabled: bool) -> str:
    """Switch the guest link on (with a new join code, returned once: only its
    hash is kept) or off. Switching it off ends nothing for guests already in;
    remove them to do that."""
    enforce(policies.manage_refusal(by))
    with transaction.atomic():
        workshop = _locked(workshop)
        enforce(None if not workshop.is_closed else policies.CLOSED)
        code = Workshop.new_join_code() if enabled else ""
        workshop.guest_link_enabled = enabled
        workshop.join_code_hash = hash_secret(code) if enabled else ""
        workshop.save(update_fields=["guest_link_enabled", "join_code_hash"])
    return code


def join_as_guest(*, workshop_id: int, code: str, name: str) -> tuple[Participant, str]:
    """A guest joins with the code and a display name. Returns the participant
    and the secret token their session keeps (only its hash is stored)."""
    name = _clean_text(
        name, field="name", label="name", max_length=Participant.NAME_MAX, required=True
    )
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().filter(pk=workshop_id).first()
        wrong = ValidationError({"code": ["The join code is not right. Check it and try again."]})
        if workshop is None or not workshop.join_code_hash:
            raise wrong
        if hash_secret(Workshop.normalise_code(code)) != workshop.join_code_hash:
            raise wrong
        enforce(policies.join_as_guest_refusal(workshop))
        token = secrets.token_urlsafe(32)
        participant = Participant.objects.create(
            workshop=workshop,
            guest_name=name,
            guest_token_hash=hash_secret(token),
            status=Participant.Status.JOINED,
        )
        participant_changed(workshop, participant, "participant.joined")
    return participant, token


def remove_participant(*, workshop: Workshop, by: Participant, participant: Participant) -> None:
    """Remove someone: they stop receiving the board at once (their open
    connections are closed when the removal reaches them) and can no longer
    open the workshop. A facilitator cannot remove themselves, so a workshop
    always keeps one."""
    enforce(policies.manage_refusal(by))
    if participant.workshop_id != workshop.pk:
        raise ValidationError("That person is not taking part in this workshop.")
    if participant.pk == by.pk:
        raise ValidationError("You cannot remove yourself. Ask another facilitator.")
    with transaction.atomic():
        workshop = _locked(workshop)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status == Participant.Status.REMOVED:
            return
        participant.status = Participant.Status.REMOVED
        participant.save(update_fields=["status"])
        participant_changed(workshop, participant, "participant.removed")


def set_role(*, workshop: Workshop, by: Participant, participant: Participant, role: str) -> None:
    """Make a participant a co-facilitator, or a participant again."""
    enforce(policies.manage_refusal(by))
    if role not in Participant.Role.values:
        raise ValidationError({"role": ["Choose facilitator or participant."]})
    if participant.workshop_id != workshop.pk or participant.is_guest:
        raise ValidationError("Only people with an account can facilitate.")
    if participant.pk == by.pk:
        raise ValidationError("You cannot change your own role.")
    with transaction.atomic():
        workshop = _locked(workshop)
        participant.role = role
        participant.save(update_fields=["role"])
        participant_changed(workshop, participant, "participant.role")


def share_results(*, workshop: Workshop, by: Participant, shared: bool) -> Workshop:
    """Share (or stop sharing) a workshop's results with every signed-in member,
    for cross-council insights. Only the summary is shared, never the board.

    Sharing is recorded as activity (``workshop.results_shared``: feeds show
    it to whoever may now read the summary, as ``visible_workshops`` decides
    when they read); so is withdrawing it, for the audit trail only (not feed
    material). Saying the same again changes nothing and records nothing."""
    enforce(policies.manage_refusal(by))
    with transaction.atomic():
        workshop = _locked(workshop)
        if workshop.results_shared == shared:
            return workshop
        workshop.results_shared = shared
        workshop.save(update_fields=["results_shared"])
        outbox.notify(
            verb="workshop.results_shared" if shared else "workshop.results_unshared",
            actor=by.user,
            organisation=workshop.owner,
            target=workshop,
            summary=(
                f"The results of the workshop “{workshop.title}” were shared"
                if shared
                else f"The results of the workshop “{workshop.title}” are no longer shared"
            ),
        )
    return workshop
