"""Writes to initiatives themselves: create, edit, change stage. The search
vector is kept fresh by ``services.catalogue``; partnerships, discussion,
cost sharing and follows have their own area modules.

Every function is keyword-only, runs in one transaction, checks the rules the
pages and the API share (so the same mistake gets the same message whichever
door it came through) and records an Activity for followers and digests.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from councils.models import Organisation, ServiceArea, Skill
from councils.selectors.people import active_membership_for
from notifications.outbox import notify

from .. import policies
from ..models import Follow, Initiative, Partnership, PartnershipEvent, StageChange, Tag
from ..selectors.initiative import key_contact_candidates
from .catalogue import SEARCH_FIELDS, refresh_search_vector

# Fields update_initiative may change. Stage goes through change_stage (so the
# timeline is complete) and the lead through the partnership hand-over.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "collaboration_level",
    "looking_for_partners",
    "visibility",
    "estimated_cost_pence",
    "funding_band",
    "funding_sources",
    "cost_split_method",
    "start_date",
    "start_date_estimated",
    "end_date",
    "end_date_estimated",
    "key_contact",
)


def _tag_named(name: str) -> Tag:
    """The tag called ``name`` (already normalised), made if it is new.

    Looked up by name and, when new, given the slug its name gives; two
    requests making it at once both end up with the one row. Should that slug
    already be another name's (a short-hash clash), a longer hash is used
    rather than an error, which would say that some tag has that slug."""
    for digest_length in (6, 16, 32):
        tag = Tag.objects.filter(name=name).first()
        if tag is not None:
            return tag
        try:
            with transaction.atomic():
                return Tag.objects.create(
                    name=name, slug=Tag.slug_for(name, digest_length=digest_length)
                )
        except IntegrityError:
            continue  # made meanwhile (read again), or the slug is another name's
    return Tag.objects.get(name=name)


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    """Tags by their normalised names ("Waste", "waste" and "WASTE" are one
    tag), so what comes back depends only on what was typed."""
    tags: dict[str, Tag] = {}
    errors = []
    for raw in names:
        typed = " ".join(str(raw).split())
        if len(typed) > Tag.MAX_LENGTH:
            errors.append(f"Tag “{typed[:20]}…” must be {Tag.MAX_LENGTH} characters or fewer.")
            continue
        # The limit is on what was typed; normalising can lengthen it ("ﷺ").
        name = Tag.normalise(typed)[: Tag.MAX_LENGTH].strip()
        if not name:
            continue
        if not Tag.slug_for(name):
            errors.append(f"Tag “{name}” needs at least one letter or number.")
            continue
        if name not in tags:
            tags[name] = None
    if errors:
        raise ValidationError({"tags": errors})
    if len(tags) > 20:
        raise ValidationError({"tags": "Use 20 tags or fewer."})
    return [_tag_named(name) for name in tags]


# Every initiative is in at least one service area: it is how councils
# find it (catalogue facets, "initiatives that fit your council").
SERVICE_AREA_REQUIRED = "Select at least one service area"


def _check_rules(
    *,
    organisation: Organisation,
    fields: dict,
) -> dict[str, list[str]]:
    """Rules the model cannot express on its own; returns field errors."""
    errors: dict[str, list[str]] = {}
    summary = fields.get("summary")
    if summary is not None and len(summary) > 280:
        errors.setdefault("summary", []).append("Summary must be 280 characters or fewer.")
    if "funding_sources" in fields:
        sources = fields["funding_sources"]
        if not isinstance(sources, list | tuple):
            errors.setdefault("funding_sources", []).append("Choose funding sources from the list.")
        else:
            unknown = [s for s in sources if s not in Initiative.FundingSource.values]
            if unknown:
                errors.setdefault("funding_sources", []).append(
                    "Choose funding sources from the list: "
                    + ", ".join(Initiative.FundingSource.labels)
                    + "."
                )
    if "estimated_cost_pence" in fields:
        cost = fields["estimated_cost_pence"]
        if cost is not None and (isinstance(cost, bool) or not isinstance(cost, int) or cost < 0):
            errors.setdefault("estimated_cost_pence", []).append(
                "Estimated cost must be a whole number of pence, zero or more."
            )
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            "End date must be the same as or after the start date."
        )
    contact = fields.get("key_contact")
    if contact is _UNKNOWN_CONTACT or (
        contact is not None
        and not key_contact_candidates(organisation).filter(pk=contact.pk).exists()
    ):
        errors.setdefault("key_contact", []).append(
            f"The key contact must be a member of {organisation.name}."
        )
    return errors


# An e-mail address that names nobody who could be the key contact. Kept apart
# from None ("no key contact") so it is refused with the same words as a
# member of another organisation: the API cannot be used to probe accounts.
_UNKNOWN_CONTACT = object()


def _contact_from_email(organisation: Organisation, email: str | None):
    """The lead's member with this address, ``None`` for no address, or the
    unknown-contact marker (refused by ``_check_rules``)."""
    if email is None:
        return None
    found = key_contact_candidates(organisation).filter(email__iexact=email.strip()).first()
    return found if found is not None else _UNKNOWN_CONTACT


# Slugs that would shadow the catalogue's own pages (/initiatives/new/ ...).
RESERVED_SLUGS = frozenset({"new", "similar"})
SLUG_SUFFIX_LENGTH = 5
SLUG_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _slug_base(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "initiative"
    if base in RESERVED_SLUGS:
        base = f"{base}-initiative"
    return base


def _new_slug(title: str) -> str:
    """``slugify(title)`` plus a random suffix, whatever already exists
    (``shared-waste-service-k3j9x``).

    Any slug that depends on which rows exist tells the creator about rows
    they cannot see: a sequential ``-2``, or a suffix added only when the plain
    slug is taken, would confirm that another council has a draft or
    partners-only initiative with that title. So every new initiative gets a
    suffix, and a (rare) clash is retried with a new one by the caller. Slugs
    made before this rule are left alone, so their links keep working."""
    suffix = get_random_string(SLUG_SUFFIX_LENGTH, SLUG_SUFFIX_CHARS)
    return f"{_slug_base(title)}-{suffix}"


def _full_clean(initiative: Initiative, extra_errors: dict[str, list[str]]) -> None:
    """Model validation plus our own rules, reported together as field errors."""
    errors = dict(extra_errors)
    try:
        initiative.full_clean(
            exclude=["slug", "search_vector", "created_by"], validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors[field])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_initiative(
    *,
    by,
    organisation: Organisation,
    title: str,
    summary: str,
    description: str = "",
    service_areas: Sequence[ServiceArea] = (),
    tags: Sequence[str] = (),
    stage: str = Initiative.Stage.IDEA,
    collaboration_level: str = Initiative.CollaborationLevel.SHARING_KNOWLEDGE,
    looking_for_partners: bool = True,
    visibility: str = Initiative.Visibility.DRAFT,
    estimated_cost_pence: int | None = None,
    funding_band: str = Initiative.FundingBand.UNKNOWN,
    funding_sources: Sequence[str] = (),
    cost_split_method: str = Initiative.CostSplit.EQUAL,
    start_date: datetime.date | None = None,
    start_date_estimated: bool = False,
    end_date: datetime.date | None = None,
    end_date_estimated: bool = False,
    key_contact=None,
    key_contact_email: str | None = None,
    skills_needed: Sequence[Skill] = (),
) -> Initiative:
    """Propose a new initiative led by ``organisation``.

    The lead takes its place as an ACTIVE LEAD partnership (so the partners
    table, cost sharing and partner counts treat it like any partner), the
    creator follows it (they will want its activity), and the initial stage
    opens the timeline. Drafts are the default so nothing is public by accident.
    The key contact is a user (pages) or, from the API, ``key_contact_email``
    looked up among the lead's members only.
    """
    membership = active_membership_for(by)
    if not policies.can_create_initiative(by) or membership.organisation_id != organisation.pk:
        raise PermissionDenied("You cannot propose initiatives for this organisation.")
    fields = {
        "title": " ".join((title or "").split()),
        "summary": (summary or "").strip(),
        "description": description or "",
        "stage": stage,
        "collaboration_level": collaboration_level,
        "looking_for_partners": looking_for_partners,
        "visibility": visibility,
        "estimated_cost_pence": estimated_cost_pence,
        "funding_band": funding_band,
        "funding_sources": list(dict.fromkeys(funding_sources or [])),
        "cost_split_method": cost_split_method,
        "start_date": start_date,
        "start_date_estimated": start_date_estimated,
        "end_date": end_date,
        "end_date_estimated": end_date_estimated,
        "key_contact": (
            _contact_from_email(organisation, key_contact_email)
            if key_contact_email is not None
            else key_contact
        ),
    }
    errors = _check_rules(organisation=organisation, fields=fields)
    if not service_areas:
        errors["service_areas"] = [SERVICE_AREA_REQUIRED]
    if fields["key_contact"] is _UNKNOWN_CONTACT:
        fields["key_contact"] = None  # refused above; the model must not see the marker
    try:
        tag_objects = _tags_from_names(tags)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        tag_objects = []
    now = timezone.now()
    initiative = Initiative(
        **fields,
        lead_organisation=organisation,
        created_by=by,
        created_at=now,
        updated_at=now,
        partner_count=1,
    )
    _full_clean(initiative, errors)
    # The slug never depends on what exists (see _new_slug); on the rare clash
    # of random suffixes, try another.
    for attempt in range(5):
        initiative.slug = _new_slug(initiative.title)
        try:
            with transaction.atomic():
                initiative.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
    initiative.service_areas.set(service_areas)
    initiative.skills_needed.set(skills_needed)
    initiative.tags.set(tag_objects)

    lead = Partnership.objects.create(
        initiative=initiative,
        organisation=organisation,
        role=Partnership.Role.LEAD,
        status=Partnership.Status.ACTIVE,
        created_at=now,
        updated_at=now,
    )
    PartnershipEvent.objects.create(
        partnership=lead,
        from_status="",
        to_status=Partnership.Status.ACTIVE,
        from_role="",
        to_role=Partnership.Role.LEAD,
        actor=by,
        note="Proposed the initiative.",
        created_at=now,
    )
    StageChange.objects.create(
        initiative=initiative,
        from_stage="",
        to_stage=initiative.stage,
        changed_on=timezone.localdate(),
        note="Initiative proposed.",
        changed_by=by,
        created_at=now,
    )
    Follow.objects.get_or_create(user=by, initiative=initiative)
    refresh_search_vector(initiative=initiative)
    notify(
        verb="initiative.created",
        actor=by,
        organisation=organisation,
        target=initiative,
        summary=f"{organisation.name} proposed “{initiative.title}”.",
        data={"stage": initiative.stage, "visibility": initiative.visibility},
    )
    return initiative


_UNSET = object()


@transaction.atomic
def update_initiative(
    *,
    initiative: Initiative,
    by,
    service_areas: Sequence[ServiceArea] | object = _UNSET,
    skills_needed: Sequence[Skill] | object = _UNSET,
    tags: Sequence[str] | object = _UNSET,
    key_contact_email: str | None | object = _UNSET,
    **changes,
) -> Initiative:
    """Edit an initiative's details (the lead's members only).

    Only the fields named in ``changes`` (and the many-to-many lists passed) are
    touched, so a partial API update cannot blank the rest. The row is locked
    while we change it so two editors cannot interleave half-edits, and
    ``updated_at`` moves so "recently updated" and digests notice. The key
    contact comes as a user or, from the API, as ``key_contact_email``.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if not policies.can_edit_initiative(by, initiative):
        raise PermissionDenied("Only the lead organisation can edit this initiative.")
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if key_contact_email is not _UNSET:
        changes["key_contact"] = _contact_from_email(locked.lead_organisation, key_contact_email)
    if "title" in changes:
        changes["title"] = " ".join((changes["title"] or "").split())
    if "summary" in changes:
        changes["summary"] = (changes["summary"] or "").strip()
    if "funding_sources" in changes:
        changes["funding_sources"] = list(dict.fromkeys(changes["funding_sources"] or []))
    merged = {
        "start_date": locked.start_date,
        "end_date": locked.end_date,
        **changes,
    }
    errors = _check_rules(organisation=locked.lead_organisation, fields=merged)
    if service_areas is not _UNSET and not service_areas:
        errors["service_areas"] = [SERVICE_AREA_REQUIRED]
    tag_objects = None
    if tags is not _UNSET:
        try:
            tag_objects = _tags_from_names(tags)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if (
        changes.get("visibility") == Initiative.Visibility.DRAFT
        and locked.visibility != Initiative.Visibility.DRAFT
        and locked.partnerships.exclude(role=Partnership.Role.LEAD)
        .filter(status__in=Partnership.OPEN_STATUSES)
        .exists()
    ):
        # A draft is the lead's alone: going back to draft would hide the
        # initiative from the partners already working on it.
        errors.setdefault("visibility", []).append(
            "Other organisations have joined or been invited, so it cannot go back to draft."
        )
    if changes.get("key_contact") is _UNKNOWN_CONTACT:
        del changes["key_contact"]  # refused above; the model must not see the marker
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, changes[name])
    _full_clean(locked, errors)
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*changed, "updated_at"])
    if service_areas is not _UNSET:
        locked.service_areas.set(service_areas)
    if skills_needed is not _UNSET:
        locked.skills_needed.set(skills_needed)
    if tag_objects is not None:
        locked.tags.set(tag_objects)
    if tag_objects is not None or any(name in SEARCH_FIELDS for name in changed):
        refresh_search_vector(initiative=locked)
    notify(
        verb="initiative.updated",
        actor=by,
        organisation=locked.lead_organisation,
        target=locked,
        summary=f"“{locked.title}” was updated.",
        data={"fields": changed},
    )
    return locked


def _day(value: datetime.date) -> str:
    """A date the GOV.UK way: 2 December 2026."""
    return f"{value.day} {value:%B %Y}"


def _earliest_stage_change_date(initiative: Initiative) -> tuple[datetime.date, str]:
    """The first date a new stage change may carry, and why: a change
    cannot predate the initiative, nor the change before it (the timeline
    would otherwise read out of order)."""
    created = timezone.localdate(initiative.created_at)
    last = (
        StageChange.objects.filter(initiative=initiative)
        .order_by("-changed_on")
        .values_list("changed_on", "to_stage")
        .first()
    )
    if last is not None and last[0] >= created:
        return last[0], f"when it moved to {Initiative.Stage(last[1]).label}"
    return created, "when the initiative was recorded"


@transaction.atomic
def change_stage(
    *,
    initiative: Initiative,
    to_stage: str,
    by,
    note: str = "",
    changed_on: datetime.date | None = None,
) -> StageChange:
    """Move the initiative to a new stage, with the date it happened and a note.

    The change is kept as a StageChange (the timeline on the initiative page)
    and recorded as activity so followers hear about it in their digests.
    Moving to the stage it is already at is refused: it would add a timeline
    entry that says nothing happened.
    """
    if not policies.can_change_stage(by, initiative):
        raise PermissionDenied("Only the lead organisation can change the stage.")
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    changed_on = changed_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if to_stage not in Initiative.Stage.values:
        errors["to_stage"] = ["Choose a stage from the list."]
    elif to_stage == locked.stage:
        errors["to_stage"] = [f"The initiative is already at {locked.get_stage_display()}."]
    if changed_on > timezone.localdate():
        errors["changed_on"] = ["The date of the change must be today or in the past."]
    else:
        earliest, since = _earliest_stage_change_date(locked)
        if changed_on < earliest:
            errors["changed_on"] = [
                f"The date of the change must be on or after {_day(earliest)}, {since}."
            ]
    if len(note or "") > 500:
        errors["note"] = ["Note must be 500 characters or fewer."]
    if errors:
        raise ValidationError(errors)
    change = StageChange.objects.create(
        initiative=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        changed_on=changed_on,
        note=(note or "").strip(),
        changed_by=by,
    )
    from_stage = locked.stage
    locked.stage = to_stage
    locked.updated_at = timezone.now()
    locked.save(update_fields=["stage", "updated_at"])
    initiative.stage, initiative.updated_at = locked.stage, locked.updated_at
    notify(
        verb="initiative.stage_changed",
        actor=by,
        organisation=locked.lead_organisation,
        target=locked,
        summary=f"“{locked.title}” moved to {locked.get_stage_display()}.",
        data={"from": from_stage, "to": to_stage, "on": changed_on.isoformat()},
    )
    return change
