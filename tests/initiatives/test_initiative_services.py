"""initiatives.services.initiatives: create, update, change stage, search vector."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from initiatives.models import Follow, Initiative, Partnership, PartnershipEvent, StageChange, Tag
from initiatives.services.catalogue import refresh_search_vector
from initiatives.services.initiative import change_stage, create_initiative, update_initiative
from notifications.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def _create(by, organisation, **kwargs):
    kwargs.setdefault("title", "Garden waste subscriptions")
    kwargs.setdefault("summary", "One online service for garden waste renewals.")
    return create_initiative(by=by, organisation=organisation, **kwargs)


def test_create_makes_lead_partnership_follow_timeline_and_activity(officer, council):
    area = factories.service_area("waste")
    research = factories.skill("user-research")
    initiative = _create(
        officer,
        council,
        service_areas=[area],
        skills_needed=[research],
        tags=["Garden waste", "garden-waste", "Renewals"],
        funding_sources=["own_budgets", "local_digital_fund"],
        estimated_cost_pence=1_250_050,
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
        key_contact=officer,
    )
    assert initiative.slug == "garden-waste-subscriptions"
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
    # Tags are reused by slug: "Garden waste" and "garden-waste" are one tag.
    assert sorted(initiative.tags.values_list("name", flat=True)) == ["Garden waste", "Renewals"]
    assert list(initiative.service_areas.all()) == [area]
    assert list(initiative.skills_needed.all()) == [research]
    activity = Activity.objects.get(verb="initiative.created")
    assert activity.organisation == council and activity.target == initiative


def test_slugs_are_unique_and_avoid_reserved_words(officer, council):
    first = _create(officer, council, title="New")
    second = _create(officer, council, title="New")
    assert first.slug == "new-initiative"
    assert second.slug == "new-initiative-2"


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
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, council, key_contact=outsider)
    assert "key_contact" in excinfo.value.message_dict
    assert Initiative.objects.count() == 0


def test_create_refused_for_another_organisation_suppliers_and_strangers(
    officer, other_council, supplier, supplier_user
):
    with pytest.raises(PermissionDenied):
        _create(officer, other_council)
    with pytest.raises(PermissionDenied):
        _create(supplier_user, supplier)
    stranger = factories.UserFactory()
    with pytest.raises(PermissionDenied):
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
    assert list(updated.tags.values_list("name", flat=True)) == ["Chatbot"]
    activity = Activity.objects.get(verb="initiative.updated")
    assert activity.data == {"fields": ["description"]}


def test_update_refuses_outsiders_bad_dates_and_fixed_fields(officer, council, outsider):
    initiative = _create(officer, council, visibility="public")
    with pytest.raises(PermissionDenied):
        update_initiative(initiative=initiative, by=outsider, title="Hijacked")
    with pytest.raises(ValidationError) as excinfo:
        update_initiative(
            initiative=initiative,
            by=officer,
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 1, 1),
        )
    assert "end_date" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        update_initiative(initiative=initiative, by=officer, stage="live")
    assert "stage" in excinfo.value.message_dict
    initiative.refresh_from_db()
    assert initiative.title == "Garden waste subscriptions"
    assert initiative.start_date is None and initiative.stage == "idea"


def test_change_stage_records_timeline_and_activity(officer, council):
    initiative = _create(officer, council)
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
    with pytest.raises(ValidationError) as excinfo:
        change_stage(initiative=initiative, to_stage="idea", by=officer)
    assert "to_stage" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        change_stage(
            initiative=initiative,
            to_stage="alpha",
            changed_on=timezone.localdate() + datetime.timedelta(days=2),
            by=officer,
        )
    assert "changed_on" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        change_stage(initiative=initiative, to_stage="alpha", by=outsider)
    assert StageChange.objects.filter(initiative=initiative).count() == 1
    initiative.refresh_from_db()
    assert initiative.stage == "idea"


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
    with pytest.raises(ValidationError) as excinfo:
        update_initiative(initiative=initiative, by=officer, visibility="draft")
    assert "visibility" in excinfo.value.message_dict
    initiative.refresh_from_db()
    assert initiative.visibility == "platform"
