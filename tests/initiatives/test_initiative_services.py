"""initiatives.services.initiatives: create, update, change stage, search vector."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from councils.models import Membership
from initiatives.models import Follow, Initiative, Partnership, PartnershipEvent, StageChange, Tag
from initiatives.services.catalogue import refresh_search_vector
from initiatives.services.initiative import change_stage, create_initiative, update_initiative
from notifications.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def _create(by, organisation, **kwargs):
    kwargs.setdefault("title", "Garden waste subscriptions")
    kwargs.setdefault("summary", "One online service for garden waste renewals.")
    kwargs.setdefault("service_areas", [factories.service_area("waste")])
    return create_initiative(by=by, organisation=organisation, **kwargs)


def test_create_makes_lead_partnership_follow_timeline_and_activity(officer, council):
    area = factories.service_area("waste")
    research = factories.skill("user-research")
    initiative = _create(
        officer,
        council,
        service_areas=[area],
        skills_needed=[research],
        tags=["Garden waste", "garden-waste", "GARDEN  WASTE", "Renewals"],
        funding_sources=["own_budgets", "local_digital_fund"],
        estimated_cost_pence=1_250_050,
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
        key_contact=officer,
    )
    assert re.fullmatch(r"garden-waste-subscriptions-[a-z0-9]{5}", initiative.slug)
    assert initiative.partner_count == 1
    assert initiative.visibility == Initiative.Visibility.DRAFT  # nothing public by accident
    lead = Partnership.objects.get(initiative=initiative)
    assert (lead.organisation, lead.role, lead.status) == (
        council,
        Partnership.Role.LEAD,
        Partnership.Status.ACTIVE,
    )
    assert PartnershipEvent.objects.filter(partnership=lead, to_role="lead").count() == 1
    assert Follow.objects.filter(user=officer, initiative=initiative).exists()
    change = StageChange.objects.get(initiative=initiative)
    assert (change.from_stage, change.to_stage) == ("", "idea")
    # A tag is its normalised name: "Garden waste", "garden-waste" and
    # "GARDEN  WASTE" are the one tag "garden waste".
    assert sorted(initiative.tags.values_list("name", flat=True)) == ["garden waste", "renewals"]
    assert sorted(initiative.tags.values_list("slug", flat=True)) == ["garden-waste", "renewals"]
    assert list(initiative.service_areas.all()) == [area]
    assert list(initiative.skills_needed.all()) == [research]
    activity = Activity.objects.get(verb="initiative.created")
    assert activity.organisation == council and activity.target == initiative


NEW_SLUG = re.compile(r"new-initiative-[a-z0-9]{5}")


def test_slugs_are_unique_random_suffixed_and_avoid_reserved_words(officer, council):
    first = _create(officer, council, title="New")
    second = _create(officer, council, title="New")
    assert NEW_SLUG.fullmatch(first.slug) and NEW_SLUG.fullmatch(second.slug)
    assert first.slug != second.slug
    assert re.fullmatch(r"initiative-[a-z0-9]{5}", _create(officer, council, title="!!!").slug)


def test_slug_does_not_depend_on_initiatives_the_creator_cannot_see(
    officer, council, other_council
):
    """Otherton's officer proposes the title of Leedsham's draft and
    partners-only initiatives: the slug has the same shape as when no such
    initiative exists, so it confirms nothing about them."""
    rival = factories.member_of(other_council, Membership.Role.MEMBER)
    alone = _create(rival, other_council, title="Alone in the catalogue")
    assert re.fullmatch(r"alone-in-the-catalogue-[a-z0-9]{5}", alone.slug)

    draft = _create(officer, council, title="New", visibility=Initiative.Visibility.DRAFT)
    partners = _create(officer, council, title="New", visibility=Initiative.Visibility.PARTNERS)
    # Even an old sequential slug (made before this rule) changes nothing.
    factories.make_initiative(council, title="New", slug="new-initiative", visibility="draft")
    factories.make_initiative(council, title="New", slug="new-initiative-2", visibility="draft")
    mine = _create(rival, other_council, title="New")
    assert NEW_SLUG.fullmatch(mine.slug)
    assert mine.slug not in {draft.slug, partners.slug}


def test_slug_collision_retries_with_a_new_suffix(officer, council, monkeypatch):
    from initiatives.services import initiative as service

    suffixes = iter(["aaaaa", "aaaaa", "bbbbb"])
    monkeypatch.setattr(service, "get_random_string", lambda length, chars: next(suffixes))
    first = _create(officer, council, title="Twice")
    second = _create(officer, council, title="Twice")
    assert (first.slug, second.slug) == ("twice-aaaaa", "twice-bbbbb")


def test_tag_names_reveal_nothing_about_private_tags(officer, council, other_council):
    """Leedsham's draft is tagged "Project Nightingale"; Otherton's officer
    types "PROJECT nightingale" and gets back what they typed, normalised,
    exactly as if Leedsham's tag did not exist."""
    rival = factories.member_of(other_council, Membership.Role.MEMBER)
    _create(officer, council, title="Secret", tags=["Project Nightingale"])
    mine = _create(rival, other_council, title="Mine", tags=["PROJECT nightingale"])
    assert [(t.name, t.slug) for t in mine.tags.all()] == [
        ("project nightingale", "project-nightingale")
    ]
    Initiative.objects.all().delete()
    Tag.objects.all().delete()
    alone = _create(rival, other_council, title="Mine", tags=["PROJECT nightingale"])
    assert [(t.name, t.slug) for t in alone.tags.all()] == [
        ("project nightingale", "project-nightingale")
    ]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Garden waste", "garden waste"),
        ("garden-waste", "garden waste"),
        ("GARDEN  WASTE", "garden waste"),
        ("  garden__waste - ", "garden waste"),
        ("Straße", "strasse"),
        ("ＡＰＩ", "api"),  # full-width letters (NFKC)
        ("C++", "c++"),
    ],
)
def test_tag_name_is_its_normalised_form(typed, name):
    assert Tag.normalise(typed) == name
    assert Tag.normalise(name) == name  # idempotent


def test_tag_slugs_are_a_pure_function_of_the_name(officer, council):
    """Never numbered by what exists: the slug is slugify(name), or, where
    slugify loses something, slugify(name) plus a short hash of the name."""
    assert Tag.slug_for("garden waste") == "garden-waste"
    cpp = Tag.slug_for("c++")
    assert re.fullmatch(r"c-[0-9a-f]{6}", cpp) and cpp == Tag.slug_for("c++")
    assert Tag.slug_for("c#") != cpp  # slugify alone would make both "c"
    assert len(Tag.slug_for("é" * 60)) <= 60
    initiative = _create(officer, council, tags=["C++", "c#", "C"])
    slugs = {t.name: t.slug for t in initiative.tags.all()}
    assert slugs == {"c++": cpp, "c#": Tag.slug_for("c#"), "c": "c"}
    # Made again in another order, the same names get the same slugs.
    Initiative.objects.all().delete()
    Tag.objects.all().delete()
    again = _create(officer, council, tags=["C", "c#", "C++"])
    assert {t.name: t.slug for t in again.tags.all()} == slugs


def test_tags_in_any_script_are_tags_and_punctuation_alone_is_not(officer, council):
    """A letter or digit in any script makes a tag (the API's schema says the
    same pattern); what slugify cannot spell gets "tag-" and the name's hash."""
    initiative = _create(officer, council, tags=["数据", "données", "2026"])
    slugs = {t.name: t.slug for t in initiative.tags.all()}
    assert re.fullmatch(r"tag-[0-9a-f]{6}", slugs["数据"])
    assert slugs["2026"] == "2026"
    assert re.fullmatch(r"donnees-[0-9a-f]{6}", slugs["données"])
    with pytest.raises(ValidationError) as refused:
        _create(officer, council, title="Punctuation", tags=["+++", "¿?"])
    assert len(refused.value.message_dict["tags"]) == 2


def test_a_tag_that_grows_when_normalised_is_kept_to_the_limit(officer, council):
    # U+FDFA is one character that NFKC spells as eighteen.
    initiative = _create(officer, council, tags=["\ufdfa" * 5])
    [tag] = initiative.tags.all()
    assert len(tag.name) <= Tag.MAX_LENGTH


def test_tag_slug_taken_by_another_name_still_reuses_nothing(officer, council):
    """A hashed slug that happens to be another name's plain slug: the new
    tag gets a longer hash rather than an error (an error would say a tag
    with that slug exists)."""
    Tag.objects.create(name="c " + Tag.slug_for("c++")[2:])  # "c <hash>" -> "c-<hash>"
    initiative = _create(officer, council, tags=["C++"])
    [tag] = initiative.tags.all()
    assert tag.name == "c++" and re.fullmatch(r"c-[0-9a-f]{16}", tag.slug)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"summary": "x" * 281}, "summary"),
        ({"title": ""}, "title"),
        ({"funding_sources": ["lottery"]}, "funding_sources"),
        ({"estimated_cost_pence": -1}, "estimated_cost_pence"),
        ({"estimated_cost_pence": 12.5}, "estimated_cost_pence"),
        (
            {"start_date": datetime.date(2026, 5, 1), "end_date": datetime.date(2026, 4, 1)},
            "end_date",
        ),
        ({"stage": "someday"}, "stage"),
        ({"visibility": "secret"}, "visibility"),
        ({"tags": ["x" * 61]}, "tags"),
    ],
)
def test_create_rejects_bad_input_and_writes_nothing(officer, council, kwargs, field):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, council, **kwargs)
    assert field in excinfo.value.message_dict
    assert Initiative.objects.count() == 0
    assert Partnership.objects.count() == 0
    assert Tag.objects.count() == 0
    assert not Activity.objects.filter(verb="initiative.created").exists()


def test_key_contact_must_belong_to_the_lead(officer, council, outsider):
    with pytest.raises(ValidationError, match="must be a member of Leedsham") as excinfo:
        _create(officer, council, key_contact=outsider)
    assert "key_contact" in excinfo.value.message_dict
    assert Initiative.objects.count() == 0


def test_create_refused_for_another_organisation_suppliers_and_strangers(
    officer, other_council, supplier, supplier_user
):
    with pytest.raises(PermissionDenied, match="cannot propose initiatives for this organisation"):
        _create(officer, other_council)
    with pytest.raises(PermissionDenied, match="cannot propose initiatives for this organisation"):
        _create(supplier_user, supplier)
    stranger = factories.UserFactory()
    with pytest.raises(PermissionDenied, match="cannot propose initiatives for this organisation"):
        _create(stranger, other_council)
    assert Initiative.objects.count() == 0


def test_update_changes_only_given_fields_and_bumps_updated_at(officer, council):
    initiative = _create(officer, council, description="Old", estimated_cost_pence=100)
    before = initiative.updated_at
    updated = update_initiative(
        initiative=initiative, by=officer, description="New words", tags=["Chatbot"]
    )
    updated.refresh_from_db()
    assert updated.description == "New words"
    assert updated.estimated_cost_pence == 100
    assert updated.updated_at > before
    assert list(updated.tags.values_list("name", flat=True)) == ["chatbot"]
    activity = Activity.objects.get(verb="initiative.updated")
    assert activity.data == {"fields": ["description"]}


def test_update_refuses_outsiders_bad_dates_and_fixed_fields(officer, council, outsider):
    initiative = _create(officer, council, visibility="public")
    with pytest.raises(PermissionDenied, match="Only the lead organisation can edit"):
        update_initiative(initiative=initiative, by=outsider, title="Hijacked")
    with pytest.raises(ValidationError, match="same as or after the start date") as excinfo:
        update_initiative(
            initiative=initiative,
            by=officer,
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 1, 1),
        )
    assert "end_date" in excinfo.value.message_dict
    with pytest.raises(ValidationError, match="cannot be changed here") as excinfo:
        update_initiative(initiative=initiative, by=officer, stage="live")
    assert "stage" in excinfo.value.message_dict
    initiative.refresh_from_db()
    assert initiative.title == "Garden waste subscriptions"
    assert initiative.start_date is None and initiative.stage == "idea"


def _recorded_on(initiative, day: datetime.date) -> None:
    """As if the initiative (and its first timeline entry) were recorded on ``day``."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Initiative.objects.filter(pk=initiative.pk).update(created_at=moment)
    StageChange.objects.filter(initiative=initiative).update(changed_on=day)
    initiative.refresh_from_db()


def test_change_stage_records_timeline_and_activity(officer, council):
    initiative = _create(officer, council)
    _recorded_on(initiative, datetime.date(2025, 11, 2))
    change = change_stage(
        initiative=initiative,
        to_stage="discovery",
        note="User research done",
        changed_on=datetime.date(2026, 1, 10),
        by=officer,
    )
    initiative.refresh_from_db()
    assert initiative.stage == "discovery"
    assert (change.from_stage, change.to_stage, change.note) == (
        "idea",
        "discovery",
        "User research done",
    )
    assert StageChange.objects.filter(initiative=initiative).count() == 2
    activity = Activity.objects.get(verb="initiative.stage_changed")
    assert activity.data == {"from": "idea", "to": "discovery", "on": "2026-01-10"}


def test_change_stage_refuses_same_stage_future_date_and_outsiders(officer, council, outsider):
    initiative = _create(officer, council, visibility="public")
    with pytest.raises(ValidationError, match="already at Idea") as excinfo:
        change_stage(initiative=initiative, to_stage="idea", by=officer)
    assert "to_stage" in excinfo.value.message_dict
    with pytest.raises(ValidationError, match="today or in the past") as excinfo:
        change_stage(
            initiative=initiative,
            to_stage="alpha",
            changed_on=timezone.localdate() + datetime.timedelta(days=2),
            by=officer,
        )
    assert "changed_on" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied, match="Only the lead organisation can change the stage"):
        change_stage(initiative=initiative, to_stage="alpha", by=outsider)
    assert StageChange.objects.filter(initiative=initiative).count() == 1
    initiative.refresh_from_db()
    assert initiative.stage == "idea"


def test_a_stage_change_cannot_predate_the_initiative_or_the_change_before_it(officer, council):
    initiative = _create(officer, council)
    _recorded_on(initiative, datetime.date(2025, 11, 2))
    StageChange.objects.filter(initiative=initiative).update(changed_on=datetime.date(2025, 10, 1))
    with pytest.raises(ValidationError) as excinfo:
        change_stage(
            initiative=initiative,
            to_stage="discovery",
            changed_on=datetime.date(2025, 11, 1),
            by=officer,
        )
    assert excinfo.value.message_dict["changed_on"] == [
        "The date of the change must be on or after 2 November 2025, "
        "when the initiative was recorded."
    ]
    change_stage(
        initiative=initiative,
        to_stage="discovery",
        changed_on=datetime.date(2026, 1, 10),
        by=officer,
    )
    with pytest.raises(ValidationError) as excinfo:
        change_stage(
            initiative=initiative,
            to_stage="alpha",
            changed_on=datetime.date(2026, 1, 9),
            by=officer,
        )
    assert excinfo.value.message_dict["changed_on"] == [
        "The date of the change must be on or after 10 January 2026, when it moved to Discovery."
    ]
    # The same day as the change before is fine.
    change_stage(
        initiative=initiative, to_stage="alpha", changed_on=datetime.date(2026, 1, 10), by=officer
    )
    initiative.refresh_from_db()
    assert initiative.stage == "alpha"
    assert StageChange.objects.filter(initiative=initiative).count() == 3


@pytest.mark.postgres
def test_search_vector_is_weighted_and_kept_fresh(officer, council):
    initiative = _create(officer, council, description="Composting advice", tags=["Mulch"])
    initiative.refresh_from_db()
    vector = str(initiative.search_vector)
    assert "'garden':1A" in vector and "'compost':" in vector and "'mulch':" in vector
    update_initiative(initiative=initiative, by=officer, title="Leaf collection")
    initiative.refresh_from_db()
    assert "'leaf':1A" in str(initiative.search_vector)
    refresh_search_vector(initiative=initiative)  # idempotent


@pytest.mark.postgres
def test_search_vector_has_a_gin_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'initiative_search_vector_gin'"
        )
        [(definition,)] = cursor.fetchall()
    assert "USING gin (search_vector)" in definition


def test_cannot_go_back_to_draft_once_others_have_joined(officer, council, other_council):
    initiative = _create(officer, council, visibility="public")
    update_initiative(initiative=initiative, by=officer, visibility="platform")
    factories.PartnershipFactory(initiative=initiative, organisation=other_council)
    with pytest.raises(ValidationError, match="cannot go back to draft") as excinfo:
        update_initiative(initiative=initiative, by=officer, visibility="draft")
    assert "visibility" in excinfo.value.message_dict
    initiative.refresh_from_db()
    assert initiative.visibility == "platform"
