"""Council profiles: the systems a council runs, what it needs and the skills
it can lend. Partner matching and digests read these rows as data, so every
write is validated here (whichever door it came through) and recorded in the
activity log.

Doors check ``policies.can_edit_profile`` first; these functions enforce the
rules of the data itself (scores 1–5, one offer per skill, an active council).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from notifications.outbox import notify

from ..models import Need, Organisation, ServiceArea, Skill, SkillOffer, SystemInUse
from ..normalise import canonical_spelling

DUPLICATE_SKILL_MESSAGE = (
    "Your council already offers this skill. Change the existing entry instead."
)


def _lock_active_organisation(organisation: Organisation) -> Organisation:
    """Lock the organisation row for the rest of the transaction.

    Two people editing one profile at once are serialised here, so checks such
    as "this skill is not offered yet" stay true until the write commits.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not locked.is_active:
        raise ValidationError("Only an active organisation's profile can be changed.")
    return locked


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


# Systems in use ---------------------------------------------------------------------------


def add_system(
    *,
    organisation: Organisation,
    by,
    service_area: ServiceArea,
    supplier: str,
    product: str,
    contract_end_date: date | None = None,
    satisfaction: int | None = None,
) -> SystemInUse:
    """Record a system the council runs, so others can find councils on the same
    supplier and plan around its contract end date."""
    with transaction.atomic():
        organisation = _lock_active_organisation(organisation)
        # Typed "bartec " reuses the "Bartec" on record; an unknown name is added as typed.
        supplier, product = canonical_spelling(supplier, product)
        system = SystemInUse(
            organisation=organisation,
            service_area=service_area,
            supplier=supplier,
            product=product,
            contract_end_date=contract_end_date,
            satisfaction=satisfaction,
        )
        system.full_clean()
        system.save()
        notify(
            verb="profile.system_added",
            actor=by,
            organisation=organisation,
            target=system,
            summary=f"Added {system.supplier} {system.product} ({service_area.name})",
        )
    return system


def update_system(
    *,
    system: SystemInUse,
    by,
    service_area: ServiceArea,
    supplier: str,
    product: str,
    contract_end_date: date | None = None,
    satisfaction: int | None = None,
) -> SystemInUse:
    """Correct or refresh a system entry (a renewed contract, a new score)."""
    with transaction.atomic():
        _lock_active_organisation(system.organisation)
        system = SystemInUse.objects.select_for_update().get(pk=system.pk)
        system.service_area = service_area
        system.supplier, system.product = canonical_spelling(
            supplier, product, editing_pk=system.pk
        )
        system.contract_end_date = contract_end_date
        system.satisfaction = satisfaction
        system.full_clean()
        system.save(
            update_fields=[
                "service_area",
                "supplier",
                "product",
                "contract_end_date",
                "satisfaction",
                "updated_at",
            ]
        )
        notify(
            verb="profile.system_updated",
            actor=by,
            organisation=system.organisation,
            target=system,
            summary=f"Updated {system.supplier} {system.product}",
        )
    return system


def remove_system(*, system: SystemInUse, by) -> None:
    """Remove a system the council no longer runs."""
    with transaction.atomic():
        organisation = _lock_active_organisation(system.organisation)
        label = f"{system.supplier} {system.product}"
        system_id = system.pk
        system.delete()
        notify(
            verb="profile.system_removed",
            actor=by,
            organisation=organisation,
            target=organisation,
            summary=f"Removed {label}",
            data={"system_id": system_id},
        )


# Needs ------------------------------------------------------------------------------------


def add_need(
    *,
    organisation: Organisation,
    by,
    service_area: ServiceArea,
    description: str,
    priority: str = Need.Priority.MEDIUM,
) -> Need:
    """Say what the council needs help with, so partners with the same need or
    the matching skill can find it."""
    with transaction.atomic():
        organisation = _lock_active_organisation(organisation)
        need = Need(
            organisation=organisation,
            service_area=service_area,
            description=_clean_text(description),
            priority=priority,
        )
        need.full_clean()
        need.save()
        notify(
            verb="profile.need_added",
            actor=by,
            organisation=organisation,
            target=need,
            summary=f"Added a {need.get_priority_display().lower()} priority need "
            f"in {service_area.name}",
        )
    return need


def update_need(
    *, need: Need, by, service_area: ServiceArea, description: str, priority: str
) -> Need:
    """Reword or reprioritise a need."""
    with transaction.atomic():
        _lock_active_organisation(need.organisation)
        need = Need.objects.select_for_update().get(pk=need.pk)
        need.service_area = service_area
        need.description = _clean_text(description)
        need.priority = priority
        need.full_clean()
        need.save(update_fields=["service_area", "description", "priority", "updated_at"])
        notify(
            verb="profile.need_updated",
            actor=by,
            organisation=need.organisation,
            target=need,
            summary=f"Updated a need in {service_area.name}",
        )
    return need


def remove_need(*, need: Need, by) -> None:
    """Remove a need that has been met or dropped."""
    with transaction.atomic():
        organisation = _lock_active_organisation(need.organisation)
        need_id = need.pk
        summary = f"Removed a need: {need.description[:100]}"
        need.delete()
        notify(
            verb="profile.need_removed",
            actor=by,
            organisation=organisation,
            target=organisation,
            summary=summary,
            data={"need_id": need_id},
        )


# Skills offered ---------------------------------------------------------------------------


def _ensure_skill_not_offered(
    *, organisation: Organisation, skill: Skill, exclude_pk: int | None = None
) -> None:
    duplicates = SkillOffer.objects.filter(organisation=organisation, skill=skill)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ValidationError({"skill": DUPLICATE_SKILL_MESSAGE})


def _save_skill_offer(offer: SkillOffer, **save_kwargs) -> None:
    """Save, turning a lost race on the unique constraint into the same field error."""
    try:
        with transaction.atomic():
            offer.save(**save_kwargs)
    except IntegrityError:
        raise ValidationError({"skill": DUPLICATE_SKILL_MESSAGE})


def add_skill_offer(
    *, organisation: Organisation, by, skill: Skill, detail: str = ""
) -> SkillOffer:
    """Offer one of the council's skills to others (one entry per skill)."""
    with transaction.atomic():
        organisation = _lock_active_organisation(organisation)
        _ensure_skill_not_offered(organisation=organisation, skill=skill)
        offer = SkillOffer(organisation=organisation, skill=skill, detail=_clean_text(detail))
        offer.full_clean(validate_constraints=False)  # checked above, with a clearer message
        _save_skill_offer(offer)
        notify(
            verb="profile.skill_offered",
            actor=by,
            organisation=organisation,
            target=offer,
            summary=f"Offered {skill.name}",
        )
    return offer


def update_skill_offer(
    *, skill_offer: SkillOffer, by, skill: Skill, detail: str = ""
) -> SkillOffer:
    """Change which skill is offered or how it is described."""
    with transaction.atomic():
        organisation = _lock_active_organisation(skill_offer.organisation)
        offer = SkillOffer.objects.select_for_update().get(pk=skill_offer.pk)
        _ensure_skill_not_offered(organisation=organisation, skill=skill, exclude_pk=offer.pk)
        offer.skill = skill
        offer.detail = _clean_text(detail)
        offer.full_clean(validate_constraints=False)
        _save_skill_offer(offer, update_fields=["skill", "detail", "updated_at"])
        notify(
            verb="profile.skill_offer_updated",
            actor=by,
            organisation=organisation,
            target=offer,
            summary=f"Updated the offer of {skill.name}",
        )
    return offer


def remove_skill_offer(*, skill_offer: SkillOffer, by) -> None:
    """Withdraw a skill the council can no longer lend."""
    with transaction.atomic():
        organisation = _lock_active_organisation(skill_offer.organisation)
        offer_id = skill_offer.pk
        name = skill_offer.skill.name
        skill_offer.delete()
        notify(
            verb="profile.skill_offer_removed",
            actor=by,
            organisation=organisation,
            target=organisation,
            summary=f"Withdrew the offer of {name}",
            data={"skill_offer_id": offer_id},
        )
