"""Onboarding by platform admins: switching registered authorities on, keeping
their e-mail domains, adding suppliers and other public bodies by hand, and
access requests: a supplier or public body asking for an organisation, and
platform admins deciding.

E-mail domains decide which organisation a person may ask to join at sign-up,
so each domain belongs to at most one organisation, is stored lower-cased, and
is never a public suffix (gov.uk) or a webmail service (gmail.com): those are
shared by many people (``core.email_domains``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.selectors import staff_addresses
from core.email_domains import organisation_domain_problem
from notifications import emails
from notifications.outbox import notify

from .. import policies
from ..models import AccessRequest, EmailDomain, Membership, Organisation
from ..selectors.onboarding import pending_access_request_for
from ..selectors.people import active_membership_for, forget_membership_cache

# Councils and combined authorities come from the register; staff add the rest.
HAND_MADE_KINDS = (Organisation.Kind.SUPPLIER, Organisation.Kind.PUBLIC_BODY)


def normalise_domain(domain: str) -> str:
    """``@Leeds.GOV.uk `` -> ``leeds.gov.uk``: people paste addresses and capitals."""
    return domain.strip().lstrip("@").strip().rstrip(".").lower()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _domain_words(organisation: Organisation) -> dict[str, str]:
    if organisation.kind == Organisation.Kind.COUNCIL:
        return {"noun": "council", "example": "leeds.gov.uk"}
    if organisation.kind == Organisation.Kind.SUPPLIER:
        return {"noun": "organisation", "example": "acme.co.uk"}
    return {"noun": "organisation", "example": "westyorks-ca.gov.uk"}


def _validated_domain(organisation: Organisation, domain: str) -> EmailDomain:
    """An unsaved, validated EmailDomain, with one clear message per problem."""
    domain = normalise_domain(domain)
    if not domain:
        raise ValidationError({"domain": "Enter an e-mail domain, such as leeds.gov.uk."})
    # Public suffixes (gov.uk) and webmail (gmail.com) would let anyone with
    # such an address ask to join. The model field refuses them too (admin,
    # imports); here the words fit the organisation.
    problem = organisation_domain_problem(domain, **_domain_words(organisation))
    if problem:
        raise ValidationError({"domain": problem})
    owner = EmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    if owner is not None:
        where = (
            "this organisation"
            if owner.organisation_id == organisation.pk
            else owner.organisation.name
        )
        raise ValidationError({"domain": f"{domain} already belongs to {where}."})
    email_domain = EmailDomain(organisation=organisation, domain=domain)
    # Checks the domain pattern; uniqueness was answered above with a better message.
    email_domain.full_clean(exclude=["organisation"], validate_unique=False)
    return email_domain


def _save_domain(email_domain: EmailDomain) -> EmailDomain:
    try:
        # A savepoint, so a lost race leaves the caller's transaction usable.
        with transaction.atomic():
            email_domain.save()
    except IntegrityError:
        raise ValidationError(
            {"domain": f"{email_domain.domain} already belongs to another organisation."}
        ) from None
    return email_domain


def activate_organisation(*, organisation: Organisation, by) -> Organisation:
    """Switch a registered authority on: it appears in the directory and its
    people can sign up. Ended authorities cannot be activated."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.status == Organisation.Status.ACTIVE:
            raise ValidationError(f"{organisation.name} is already active.")
        if organisation.status == Organisation.Status.ENDED:
            raise ValidationError(
                f"{organisation.name} no longer exists (it ended), so it cannot be activated."
            )
        organisation.status = Organisation.Status.ACTIVE
        organisation.save(update_fields=["status", "updated_at"])
        notify(
            verb="organisation.activated",
            actor=by,
            organisation=organisation,
            target=organisation,
            summary=f"{organisation.name} was activated on the platform",
        )
    return organisation


def add_email_domain(*, organisation: Organisation, domain: str, by) -> EmailDomain:
    """Give an organisation an e-mail domain (lower-cased, valid, and not
    already another organisation's), so its staff are recognised at sign-up."""
    with transaction.atomic():
        email_domain = _save_domain(_validated_domain(organisation, domain))
        notify(
            verb="organisation.domain_added",
            actor=by,
            organisation=organisation,
            target=email_domain,
            summary=f"Added the e-mail domain {email_domain.domain} to {organisation.name}",
        )
    return email_domain


def remove_email_domain(*, email_domain: EmailDomain, by) -> None:
    """Stop recognising a domain at sign-up. Existing members keep their place."""
    with transaction.atomic():
        organisation = email_domain.organisation
        domain = email_domain.domain
        notify(
            verb="organisation.domain_removed",
            actor=by,
            organisation=organisation,
            summary=f"Removed the e-mail domain {domain} from {organisation.name}",
            data={"domain": domain},
        )
        email_domain.delete()


def create_organisation(
    *,
    kind: str,
    official_name: str,
    name: str = "",
    website: str = "",
    domains: Iterable[str] = (),
    by,
) -> Organisation:
    """Add a supplier or another public body by hand (they are not on the
    register), active at once, with its e-mail domains."""
    if kind not in HAND_MADE_KINDS:
        raise ValidationError(
            {"kind": "Councils and combined authorities come from the register; choose another."}
        )
    official_name = official_name.strip()
    name = name.strip() or official_name
    with transaction.atomic():
        organisation = Organisation(
            kind=kind,
            official_name=official_name,
            name=name,
            website=website.strip(),
            slug=_unique_slug(name),
            status=Organisation.Status.ACTIVE,
        )
        organisation.full_clean()
        organisation.save()
        errors: list[str] = []
        seen: set[str] = set()
        for raw in domains:
            domain = normalise_domain(raw)
            if not domain or domain in seen:
                continue
            seen.add(domain)
            try:
                _save_domain(_validated_domain(organisation, domain))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            # Nothing is saved unless every domain is acceptable.
            raise ValidationError({"domains": errors})
        notify(
            verb="organisation.created",
            actor=by,
            organisation=organisation,
            target=organisation,
            summary=f"{organisation.name} ({organisation.get_kind_display()}) was added",
        )
    return organisation


def request_access(
    *, user, organisation_name: str, kind: str, website: str, reason: str
) -> AccessRequest:
    """A supplier or public body not on the register asks for an organisation.

    Platform admins decide (``approve_access_request``); one pending request
    per person keeps the queue honest. Staff are e-mailed so requests do not
    wait unseen.
    """
    refusal = policies.access_request_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    if kind not in HAND_MADE_KINDS:
        raise ValidationError({"kind": "Choose what kind of organisation it is"})
    with transaction.atomic():
        # Lock the person's row so two quick submissions cannot both pass the check.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if pending_access_request_for(user) is not None:
            raise ValidationError("You already have a request waiting for a decision.")
        access_request = AccessRequest(
            user=user,
            organisation_name=organisation_name.strip(),
            kind=kind,
            website=website.strip(),
            reason=reason.strip(),
        )
        access_request.full_clean()
        access_request.save()
        notify(
            verb="access_request.created",
            actor=user,
            target=access_request,
            summary=f"{user.email} asked for {access_request.organisation_name}",
            emails=emails.access_requested(access_request, recipients=staff_addresses()),
        )
    return access_request


def _lock_pending_request(access_request: AccessRequest) -> AccessRequest:
    access_request = (
        AccessRequest.objects.select_for_update().select_related("user").get(pk=access_request.pk)
    )
    if access_request.status != AccessRequest.Status.PENDING:
        raise ValidationError(
            f"This request was already {access_request.get_status_display().lower()}."
        )
    return access_request


def approve_access_request(*, access_request: AccessRequest, by) -> Membership:
    """Create the organisation the requester asked for (active, of the kind
    they asked for) and make them its first admin, then tell them by e-mail."""
    with transaction.atomic():
        access_request = _lock_pending_request(access_request)
        requester = access_request.user
        current = active_membership_for(requester)
        if current is not None:
            raise ValidationError(
                f"{requester.email} already belongs to {current.organisation.name}; "
                "they must leave it before they can run another organisation."
            )
        organisation = Organisation(
            kind=access_request.kind,
            official_name=access_request.organisation_name,
            name=access_request.organisation_name[:150],
            website=access_request.website,
            slug=_unique_slug(access_request.organisation_name),
            status=Organisation.Status.ACTIVE,
        )
        organisation.full_clean()
        organisation.save()
        now = timezone.now()
        membership = Membership.objects.create(
            user=requester,
            organisation=organisation,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
            decided_at=now,
            decided_by=by,
        )
        access_request.organisation = organisation
        access_request.record_decision(AccessRequest.Status.APPROVED, by=by, also=("organisation",))
        notify(
            verb="access_request.approved",
            actor=by,
            organisation=organisation,
            target=access_request,
            summary=f"Approved {requester.email}'s request for {organisation.name}",
            emails=emails.access_request_decided(access_request, approved=True),
        )
    forget_membership_cache(requester)
    return membership


def reject_access_request(*, access_request: AccessRequest, by, reason: str = "") -> AccessRequest:
    """Turn a request down and tell the requester why (if a reason is given)."""
    reason = reason.strip()
    with transaction.atomic():
        access_request = _lock_pending_request(access_request)
        access_request.record_decision(AccessRequest.Status.REJECTED, by=by)
        notify(
            verb="access_request.rejected",
            actor=by,
            target=access_request,
            summary=(
                f"Rejected {access_request.user.email}'s request for "
                f"{access_request.organisation_name}"
            ),
            data={"reason": reason} if reason else {},
            emails=emails.access_request_decided(access_request, approved=False, reason=reason),
        )
    return access_request
