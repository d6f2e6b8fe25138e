"""Partnerships: how organisations join, commit to, leave and lead an initiative.

State machine (``Partnership.Status``; role in brackets)::

    (no row) | WITHDRAWN | DECLINED | INVITED
        --express_interest (any active member of the organisation)--> INTERESTED
          councils and public bodies take the PARTNER role, suppliers SUPPLIER
    (no row) | WITHDRAWN | DECLINED
        --invite_partner (the lead's admins)--> INVITED
    INTERESTED | INVITED  [PARTNER]
        --sign_off_commitment (the partner's admin, naming sponsors)--> COMMITTED
    COMMITTED [PARTNER] | INTERESTED [SUPPLIER]
        --accept_partner (the lead's admins)--> ACTIVE
    INTERESTED | COMMITTED
        --decline_partner (the lead's admins)--> DECLINED
    INVITED | INTERESTED  (any member)  /  COMMITTED | ACTIVE  (admins only)
        --withdraw_partnership--> WITHDRAWN
    lead [LEAD, ACTIVE] + COMMITTED|ACTIVE partner council [PARTNER]
        --hand_over_lead (the lead's admins)--> old lead [PARTNER, ACTIVE],
                                                new lead [LEAD, ACTIVE]

Anything else is refused with a ``ValidationError`` and changes nothing.
Suppliers never sign off: their part is a request (or an invitation answered
by expressing interest) that the lead accepts. The lead cannot withdraw; it
hands the lead over first.

Concurrency: every transition runs in ``transaction.atomic`` and locks the
initiative row and then the partnership row (always in that order, so two
transitions cannot deadlock), then re-reads the status and re-asks the policy,
so concurrent requests cannot skip a state or create two rows. Who may and
in which state are the policies' ``*_refusal`` functions, raised through
``core.doors.enforce``: the same words the pages and the API show. The database's
unique constraint on (initiative, organisation) is the last line: an
``IntegrityError`` becomes a clear ``ValidationError``.

Every transition writes a ``PartnershipEvent`` (from/to status and role,
actor, note), refreshes ``Initiative.partner_count``, records activity and,
after commit, e-mails the people who must act or want to know.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.doors import enforce
from councils.models import Organisation, Skill
from councils.policies import is_active_member_of
from councils.selectors.people import admin_addresses
from notifications import emails
from notifications.outbox import notify

from .. import policies
from ..models import Initiative, Partnership, PartnershipEvent
from .catalogue import refresh_search_vector
from .follows import follow_initiative

Status = Partnership.Status
Role = Partnership.Role

NOTE_MAX_LENGTH = 500
SPONSOR_MAX_LENGTH = 200
# Upper bounds that catch typing slips (a pledge of £10bn is not a pledge).
MAX_PLEDGED_PENCE = 100_000_000_000  # £1 billion
MAX_PLEDGED_STAFF_DAYS = 100_000


# --- helpers -------------------------------------------------------------------------


def _lock_initiative(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _lock_partnership(partnership: Partnership, initiative: Initiative) -> Partnership:
    """Lock the partnership row (after its initiative) and return it fresh."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    locked.initiative = initiative
    # The organisation is not locked (it does not change here), only read.
    locked.organisation = Organisation.objects.get(pk=locked.organisation_id)
    return locked


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer."})
    return note


def _role_for(organisation: Organisation) -> str:
    return Role.SUPPLIER if organisation.is_supplier else Role.PARTNER


def _write_event(
    *,
    partnership: Partnership,
    from_status: str,
    from_role: str,
    actor,
    note: str = "",
) -> PartnershipEvent:
    return PartnershipEvent.objects.create(
        partnership=partnership,
        from_status=from_status,
        to_status=partnership.status,
        from_role=from_role,
        to_role=partnership.role,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )


def _save(partnership: Partnership, *fields: str) -> None:
    partnership.updated_at = timezone.now()
    partnership.full_clean(validate_unique=False, validate_constraints=False)
    partnership.save(update_fields=[*fields, "updated_at"])


def _record(
    verb: str, *, partnership: Partnership, by, summary: str, tell: Iterable[emails.Email] = ()
) -> None:
    notify(
        verb=verb,
        actor=by,
        organisation=partnership.organisation,
        target=partnership.initiative,
        summary=summary,
        data={
            "partnership_id": partnership.pk,
            "organisation_id": partnership.organisation_id,
            "status": partnership.status,
            "role": partnership.role,
        },
        emails=tell,
    )


def _after_transition(
    *,
    partnership: Partnership,
    initiative: Initiative,
    from_status: str,
    from_role: str,
    by,
    verb: str,
    summary: str,
    note: str = "",
    tell: Iterable[emails.Email] = (),
) -> None:
    """What every transition leaves behind, in its transaction: the audit event
    (who, when, from and to), the initiative's partner count, and the activity
    that followers' digests read."""
    _write_event(
        partnership=partnership, from_status=from_status, from_role=from_role, actor=by, note=note
    )
    refresh_partner_count(initiative=initiative)
    _record(verb, partnership=partnership, by=by, summary=summary, tell=tell)


def _tell_admins(
    *,
    organisation_id: int,
    template: str,
    subject: str,
    partnership: Partnership,
    by,
    note: str = "",
) -> list[emails.Email]:
    """The e-mails that tell an organisation's admins about this step."""
    return emails.partnership_news(
        template,
        partnership,
        subject=subject,
        by=by,
        note=note,
        recipients=admin_addresses(Organisation(pk=organisation_id)),
    )


def _signoff_needed(*, partnership: Partnership, initiative: Initiative, by) -> list[emails.Email]:
    """Tell the interested council's own admins that a commitment waits for
    their sign-off (a council, not a supplier: suppliers are accepted by the
    lead). The admin who expressed the interest is not told about it."""
    if partnership.role != Partnership.Role.PARTNER:
        return []
    own = [
        address
        for address in admin_addresses(Organisation(pk=partnership.organisation_id))
        if address.lower() != (getattr(by, "email", "") or "").lower()
    ]
    return emails.partnership_news(
        "signoff_needed",
        partnership,
        subject=f"{initiative.title}: your sign-off is needed to commit "
        f"{partnership.organisation.name}",
        by=by,
        recipients=own,
    )


def refresh_partner_count(*, initiative: Initiative) -> int:
    """Recount partnerships that count as partners (COMMITTED or ACTIVE, lead
    included) into ``Initiative.partner_count``, kept denormalised so the
    catalogue can sort by "most partners" without a join per row. Also marks the
    initiative as recently updated."""
    count = Partnership.objects.filter(
        initiative_id=initiative.pk, status__in=Partnership.COMMITTED_STATUSES
    ).count()
    now = timezone.now()
    Initiative.objects.filter(pk=initiative.pk).update(partner_count=count, updated_at=now)
    initiative.partner_count = count
    initiative.updated_at = now
    return count


# --- transitions ---------------------------------------------------------------------


INTEREST_NOTE_MAX = 500


def express_interest(
    *, initiative: Initiative, organisation: Organisation, by, note: str = ""
) -> Partnership:
    """An officer says their organisation is interested in joining, with an
    optional short note to the lead (why, what they bring); the note is kept
    on the partnership's history and sent to the lead's admins.

    Creates the partnership, or re-opens a WITHDRAWN/DECLINED one, or answers an
    invitation (INVITED). Councils and public bodies become PARTNER, suppliers
    SUPPLIER (a supplier's request still needs the lead to accept it). The
    officer follows the initiative, and the lead's admins are told.
    """
    note = (note or "").strip()
    if len(note) > INTEREST_NOTE_MAX:
        raise ValidationError(
            {"note": f"Note to the lead must be {INTEREST_NOTE_MAX} characters or fewer."}
        )
    with transaction.atomic():
        initiative = _lock_initiative(initiative)
        existing = (
            Partnership.objects.select_for_update()
            .filter(initiative=initiative, organisation=organisation)
            .first()
        )
        enforce(policies.express_interest_refusal(by, initiative))
        if not is_active_member_of(by, organisation):
            raise PermissionDenied("You cannot express interest for this organisation.")

        if existing is None:
            partnership = Partnership(
                initiative=initiative,
                organisation=organisation,
                role=_role_for(organisation),
                status=Status.INTERESTED,
            )
            try:
                # A savepoint, so a lost creation race leaves the outer
                # transaction usable and answers a clear message.
                with transaction.atomic():
                    partnership.save()
            except IntegrityError:
                raise ValidationError(
                    f"{organisation.name} has already expressed interest in this initiative."
                ) from None
            from_status, from_role = "", ""
        else:
            partnership = existing
            from_status, from_role = partnership.status, partnership.role
            partnership.status = Status.INTERESTED
            partnership.role = _role_for(organisation)
            if from_status != Status.INVITED:
                # Coming back after withdrawing or being declined starts afresh:
                # an old sign-off does not carry over.
                partnership.political_sponsor = ""
                partnership.officer_sponsor = ""
                partnership.pledged_pence = 0
                partnership.pledged_staff_days = 0
                partnership.signed_off_by = None
                partnership.signed_off_at = None
                partnership.pledged_skills.clear()
            _save(
                partnership,
                "status",
                "role",
                "political_sponsor",
                "officer_sponsor",
                "pledged_pence",
                "pledged_staff_days",
                "signed_off_by",
                "signed_off_at",
            )
        partnership.initiative = initiative
        partnership.organisation = organisation
        _after_transition(
            partnership=partnership,
            initiative=initiative,
            from_status=from_status,
            from_role=from_role,
            by=by,
            verb="partnership.interested",
            summary=f"{organisation.name} is interested in {initiative.title}",
            note=note,
            tell=[
                *_tell_admins(
                    organisation_id=initiative.lead_organisation_id,
                    template="interested",
                    subject=f"{organisation.name} is interested in {initiative.title}",
                    partnership=partnership,
                    by=by,
                    note=note,
                ),
                *_signoff_needed(partnership=partnership, initiative=initiative, by=by),
            ],
        )
        follow_initiative(initiative=initiative, user=by)
    return partnership


def _clean_pledge(value, *, field: str, maximum: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: f"Enter {label} as a whole number."})
    if value < 0:
        raise ValidationError({field: f"{label.capitalize()} cannot be negative."})
    if value > maximum:
        raise ValidationError({field: f"{label.capitalize()} is too large."})
    return value


def sign_off_commitment(
    *,
    partnership: Partnership,
    by,
    political_sponsor: str,
    officer_sponsor: str,
    pledged_pence: int = 0,
    pledged_staff_days: int = 0,
    pledged_skills: Iterable[Skill] = (),
) -> Partnership:
    """An admin commits their organisation: names a political sponsor (e.g. a
    cabinet member) and an officer sponsor, and pledges money (whole pence),
    staff days and skills. Commitment is a council decision, so it needs the
    partner organisation's admin; suppliers do not commit (the lead accepts
    them). The admin follows the initiative and the lead's admins are told."""
    errors: dict[str, list[str]] = {}
    political_sponsor = (political_sponsor or "").strip()
    officer_sponsor = (officer_sponsor or "").strip()
    for field, value, label in (
        ("political_sponsor", political_sponsor, "political sponsor"),
        ("officer_sponsor", officer_sponsor, "officer sponsor"),
    ):
        if not value:
            errors.setdefault(field, []).append(f"Enter the name of the {label}.")
        elif len(value) > SPONSOR_MAX_LENGTH:
            errors.setdefault(field, []).append(
                f"The {label}'s name must be {SPONSOR_MAX_LENGTH} characters or fewer."
            )
    for field, value, maximum, label in (
        ("pledged_pence", pledged_pence, MAX_PLEDGED_PENCE, "the pledged money"),
        ("pledged_staff_days", pledged_staff_days, MAX_PLEDGED_STAFF_DAYS, "staff days"),
    ):
        try:
            _clean_pledge(value, field=field, maximum=maximum, label=label)
        except ValidationError as exc:
            for message in exc.message_dict[field]:
                errors.setdefault(field, []).append(message)
    skills = list(pledged_skills or [])
    if any(not isinstance(skill, Skill) or skill.pk is None for skill in skills):
        errors.setdefault("pledged_skills", []).append("Choose skills from the list.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        initiative = _lock_initiative(partnership.initiative)
        partnership = _lock_partnership(partnership, initiative)
        enforce(policies.sign_off_refusal(by, partnership))
        from_status, from_role = partnership.status, partnership.role
        partnership.status = Status.COMMITTED
        partnership.political_sponsor = political_sponsor
        partnership.officer_sponsor = officer_sponsor
        partnership.pledged_pence = pledged_pence
        partnership.pledged_staff_days = pledged_staff_days
        partnership.signed_off_by = by
        partnership.signed_off_at = timezone.now()
        _save(
            partnership,
            "status",
            "political_sponsor",
            "officer_sponsor",
            "pledged_pence",
            "pledged_staff_days",
            "signed_off_by",
            "signed_off_at",
        )
        partnership.pledged_skills.set(skills)
        _after_transition(
            partnership=partnership,
            initiative=initiative,
            from_status=from_status,
            from_role=from_role,
            by=by,
            verb="partnership.committed",
            summary=f"{partnership.organisation.name} committed to {initiative.title}",
            note=f"Signed off. Political sponsor: {political_sponsor}. "
            f"Officer sponsor: {officer_sponsor}."[:NOTE_MAX_LENGTH],
            tell=_tell_admins(
                organisation_id=initiative.lead_organisation_id,
                template="committed",
                subject=f"{partnership.organisation.name} has committed to {initiative.title}",
                partnership=partnership,
                by=by,
            ),
        )
        follow_initiative(initiative=initiative, user=by)
    return partnership


def accept_partner(*, partnership: Partnership, by, note: str = "") -> Partnership:
    """The lead's admin accepts a committed partner council, or an interested
    supplier, making it an ACTIVE partner; the partner's admins are told."""
    note = _clean_note(note)
    with transaction.atomic():
        initiative = _lock_initiative(partnership.initiative)
        partnership = _lock_partnership(partnership, initiative)
        enforce(policies.accept_refusal(by, partnership))
        from_status, from_role = partnership.status, partnership.role
        partnership.status = Status.ACTIVE
        _save(partnership, "status")
        _after_transition(
            partnership=partnership,
            initiative=initiative,
            from_status=from_status,
            from_role=from_role,
            by=by,
            verb="partnership.accepted",
            summary=f"{partnership.organisation.name} joined {initiative.title}",
            note=note,
            tell=_tell_admins(
                organisation_id=partnership.organisation_id,
                template="accepted",
                subject=f"{partnership.organisation.name} is now a partner in {initiative.title}",
                partnership=partnership,
                by=by,
            ),
        )
    return partnership


def decline_partner(*, partnership: Partnership, by, note: str = "") -> Partnership:
    """The lead's admin declines an interested or committed organisation (with an
    optional note saying why); the organisation's admins are told. It may
    express interest again later."""
    note = _clean_note(note)
    with transaction.atomic():
        initiative = _lock_initiative(partnership.initiative)
        partnership = _lock_partnership(partnership, initiative)
        enforce(policies.decline_refusal(by, partnership))
        from_status, from_role = partnership.status, partnership.role
        partnership.status = Status.DECLINED
        _save(partnership, "status")
        _after_transition(
            partnership=partnership,
            initiative=initiative,
            from_status=from_status,
            from_role=from_role,
            by=by,
            verb="partnership.declined",
            summary=f"{initiative.lead_organisation.name} declined {partnership.organisation.name}",
            note=note,
            tell=_tell_admins(
                organisation_id=partnership.organisation_id,
                template="declined",
                subject=f"Your organisation's request to join {initiative.title} was declined",
                partnership=partnership,
                by=by,
                note=note,
            ),
        )
    return partnership


def withdraw_partnership(*, partnership: Partnership, by, note: str = "") -> Partnership:
    """An organisation leaves: any member while only invited or interested, an
    admin once committed or active (it undoes a signed-off promise). The lead
    cannot withdraw; it must hand over the lead first."""
    note = _clean_note(note)
    with transaction.atomic():
        initiative = _lock_initiative(partnership.initiative)
        partnership = _lock_partnership(partnership, initiative)
        enforce(policies.withdraw_refusal(by, partnership))
        from_status, from_role = partnership.status, partnership.role
        partnership.status = Status.WITHDRAWN
        _save(partnership, "status")
        _after_transition(
            partnership=partnership,
            initiative=initiative,
            from_status=from_status,
            from_role=from_role,
            by=by,
            verb="partnership.withdrawn",
            summary=f"{partnership.organisation.name} withdrew from {initiative.title}",
            note=note,
            # Losing a committed partner matters to the lead (cost shares change).
            tell=_tell_admins(
                organisation_id=initiative.lead_organisation_id,
                template="withdrawn",
                subject=f"{partnership.organisation.name} has withdrawn from {initiative.title}",
                partnership=partnership,
                by=by,
            )
            if from_status in Partnership.COMMITTED_STATUSES
            else (),
        )
    return partnership


def invite_partner(*, initiative: Initiative, organisation: Organisation, by) -> Partnership:
    """The lead's admin invites a council or public body (role PARTNER; its admin
    can then sign off) or a supplier (role SUPPLIER; it answers by expressing
    interest, then the lead accepts). The invited organisation's admins are told.
    """
    with transaction.atomic():
        initiative = _lock_initiative(initiative)
        if organisation.pk == initiative.lead_organisation_id:
            raise ValidationError({"organisation": "Your organisation leads this initiative."})
        if not organisation.is_active:
            raise ValidationError({"organisation": "That organisation is not active."})
        enforce(policies.invite_refusal(by, initiative))
        existing = (
            Partnership.objects.select_for_update()
            .filter(initiative=initiative, organisation=organisation)
            .first()
        )
        if existing is not None and existing.status in Partnership.OPEN_STATUSES:
            raise ValidationError(
                {
                    "organisation": f"{organisation.name} is already "
                    f"{existing.get_status_display().lower()} in this initiative."
                }
            )
        if existing is None:
            partnership = Partnership(
                initiative=initiative,
                organisation=organisation,
                role=_role_for(organisation),
                status=Status.INVITED,
            )
            try:
                with transaction.atomic():
                    partnership.save()
            except IntegrityError:
                raise ValidationError(
                    {"organisation": f"{organisation.name} is already in this initiative."}
                ) from None
            from_status, from_role = "", ""
        else:
            partnership = existing
            from_status, from_role = partnership.status, partnership.role
            partnership.status = Status.INVITED
            partnership.role = _role_for(organisation)
            _save(partnership, "status", "role")
        partnership.initiative = initiative
        partnership.organisation = organisation
        _after_transition(
            partnership=partnership,
            initiative=initiative,
            from_status=from_status,
            from_role=from_role,
            by=by,
            verb="partnership.invited",
            summary=f"{organisation.name} was invited to join {initiative.title}",
            tell=_tell_admins(
                organisation_id=organisation.pk,
                template="invited",
                subject=f"You are invited to join {initiative.title}",
                partnership=partnership,
                by=by,
            ),
        )
    return partnership


def hand_over_lead(*, initiative: Initiative, to_organisation: Organisation, by) -> Initiative:
    """The lead's admin hands the lead to a committed or active partner council
    (never a supplier). Roles swap: the new lead becomes LEAD and ACTIVE, the old
    lead stays on as an ACTIVE partner, and ``initiative.lead_organisation``
    follows. The new lead's admins are told."""
    with transaction.atomic():
        initiative = _lock_initiative(initiative)
        if to_organisation.pk == initiative.lead_organisation_id:
            raise ValidationError({"organisation": "That organisation already leads it."})
        partnerships = {
            p.organisation_id: p
            for p in Partnership.objects.select_for_update()
            .filter(
                initiative=initiative,
                organisation_id__in=[initiative.lead_organisation_id, to_organisation.pk],
            )
            .order_by("pk")
        }
        new_lead = partnerships.get(to_organisation.pk)
        if (
            new_lead is None
            or new_lead.role != Role.PARTNER
            or new_lead.status not in Partnership.COMMITTED_STATUSES
            or to_organisation.is_supplier
            or not to_organisation.is_active
        ):
            raise ValidationError(
                {
                    "organisation": "The lead can only go to a committed or active partner "
                    "council, not a supplier."
                }
            )
        enforce(policies.hand_over_lead_refusal(by, initiative))
        old_lead_org = initiative.lead_organisation
        old_lead = partnerships.get(old_lead_org.pk)
        if old_lead is None:
            # Initiatives created outside the services may lack the lead's row.
            old_lead = Partnership.objects.create(
                initiative=initiative,
                organisation=old_lead_org,
                role=Role.LEAD,
                status=Status.ACTIVE,
            )
        # The partial unique constraint allows one LEAD per initiative, so the
        # old lead steps down before the new one steps up.
        old_from_status, old_from_role = old_lead.status, old_lead.role
        old_lead.role = Role.PARTNER
        old_lead.status = Status.ACTIVE
        _save(old_lead, "role", "status")
        new_from_status, new_from_role = new_lead.status, new_lead.role
        new_lead.role = Role.LEAD
        new_lead.status = Status.ACTIVE
        _save(new_lead, "role", "status")
        initiative.lead_organisation = to_organisation
        initiative.updated_at = timezone.now()
        initiative.save(update_fields=["lead_organisation", "updated_at"])
        # The lead's names are in the search vector: "Leeds" now finds it
        # under its new lead, and no longer under the old one.
        refresh_search_vector(initiative=initiative)
        for partnership in (old_lead, new_lead):
            partnership.initiative = initiative
        old_lead.organisation = old_lead_org
        new_lead.organisation = to_organisation
        note = f"Lead handed over from {old_lead_org.name} to {to_organisation.name}."
        _write_event(
            partnership=old_lead,
            from_status=old_from_status,
            from_role=old_from_role,
            actor=by,
            note=note,
        )
        _write_event(
            partnership=new_lead,
            from_status=new_from_status,
            from_role=new_from_role,
            actor=by,
            note=note,
        )
        refresh_partner_count(initiative=initiative)
        notify(
            verb="initiative.lead_handed_over",
            actor=by,
            organisation=old_lead_org,
            target=initiative,
            summary=note,
            data={
                "from_organisation_id": old_lead_org.pk,
                "to_organisation_id": to_organisation.pk,
            },
            emails=_tell_admins(
                organisation_id=to_organisation.pk,
                template="lead_handed_over",
                subject=f"Your organisation now leads {initiative.title}",
                partnership=new_lead,
                by=by,
            ),
        )
    return initiative
