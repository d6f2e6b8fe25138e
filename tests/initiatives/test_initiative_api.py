"""/api/v1/initiatives/: list with filters and search, create, retrieve,
update and the stage action, through the same services and policies."""

import datetime
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from initiatives.models import Initiative, Partnership, StageChange
from notifications.models import Activity
from tests import factories

from .support.initiative import one_of_each_visibility

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def valid_body(**overrides) -> dict:
    body = {
        "title": "Garden waste renewals",
        "summary": "One online service for garden waste renewals.",
        "description": "Markdown **welcome**.",
        "service_areas": ["waste"],
        "tags": ["Garden waste", "Renewals"],
        "stage": "discovery",
        "collaboration_level": "co_funding",
        "visibility": "public",
        "estimated_cost_pence": 1_250_050,
        "funding_band": "under_50k",
        "funding_sources": ["own_budgets"],
        "cost_split_method": "population",
        "start_date": "2026-04-01",
        "end_date": "2027-03-31",
        "end_date_estimated": True,
        "skills_needed": ["user-research"],
    }
    body.update(overrides)
    return body


@pytest.fixture
def taxonomy(db):
    factories.service_area("waste")
    factories.skill("user-research")


# --- reading ----------------------------------------------------------------------------


def test_visibility_in_list_and_detail(council, other_council, outsider, officer):
    initiatives = one_of_each_visibility(council)
    by_vis = {vis: i.slug for vis, i in initiatives.items()}
    assert slugs(api().get(LIST)) == [by_vis["public"]]
    assert sorted(slugs(api(outsider).get(LIST))) == sorted([by_vis["public"], by_vis["platform"]])
    assert len(slugs(api(officer).get(LIST))) == 4
    for vis in ("platform", "partners", "draft"):
        assert api().get(f"{LIST}{by_vis[vis]}/").status_code == 404
    assert api(outsider).get(f"{LIST}{by_vis['draft']}/").status_code == 404
    assert api(outsider).get(f"{LIST}{by_vis['partners']}/").status_code == 404
    data = api().get(f"{LIST}{by_vis['public']}/").json()
    assert data["lead_organisation"]["name"] == "Leedsham"
    assert data["url"].endswith(f"/initiatives/{by_vis['public']}/")
    assert "key_contact" not in data  # write-only e-mail address


def test_list_filters_search_and_sort(council, other_council):
    waste = factories.service_area("waste")
    factories.InitiativeFactory(
        lead_organisation=council,
        slug="bins",
        title="Bin rounds",
        stage="alpha",
        service_areas=[waste],
        partner_count=3,
    )
    factories.InitiativeFactory(
        lead_organisation=other_council,
        slug="parking",
        title="Parking permits",
        stage="beta",
        looking_for_partners=False,
    )
    assert slugs(api().get(LIST, {"search": "bin"})) == ["bins"]
    assert slugs(api().get(LIST, {"stage": "beta"})) == ["parking"]
    assert slugs(api().get(LIST, {"service_area": "waste"})) == ["bins"]
    assert slugs(api().get(LIST, {"region": "South East"})) == ["parking"]
    assert slugs(api().get(LIST, {"looking_for_partners": "no"})) == ["parking"]
    assert slugs(api().get(LIST, {"sort": "partners"})) == ["bins", "parking"]

    # Unknown filter values are a client error, never a silently wider answer.
    bad = api().get(LIST, {"stage": ["alpha", "nonsense"]})
    assert bad.status_code == 400
    assert "stage" in bad.json()
    bad = api().get(LIST, {"looking_for_partners": "maybe", "sort": "random"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"looking_for_partners", "sort"}


def test_list_query_count_is_constant(django_assert_max_num_queries, council):
    for n in range(30):
        factories.InitiativeFactory(
            lead_organisation=council,
            service_areas=[factories.service_area("waste")],
            tags=[f"t{n}"],
        )
    # Paginator COUNT, the page (lead and key contact joined), then one
    # prefetch each for service areas, tags and skills.
    with django_assert_max_num_queries(5):
        response = api().get(LIST)
    assert response.status_code == 200 and len(response.json()["results"]) == 25


# --- creating ---------------------------------------------------------------------------


def test_officer_creates_through_the_service(officer, council, taxonomy):
    response = api(officer).post(LIST, valid_body(key_contact=officer.email), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert re.fullmatch(r"garden-waste-renewals-[a-z0-9]{5}", data["slug"])
    assert data["stage"] == "discovery"
    assert data["tags"] == ["garden waste", "renewals"]  # normalised, as typed
    assert data["key_contact_name"] == officer.display_name
    initiative = Initiative.objects.get()
    assert initiative.lead_organisation == council
    assert initiative.estimated_cost_pence == 1_250_050
    assert Partnership.objects.get(initiative=initiative).role == "lead"
    assert Activity.objects.filter(verb="initiative.created").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"summary": "x" * 281}, "summary"),
        ({"title": ""}, "title"),
        ({"stage": "someday"}, "stage"),
        ({"service_areas": ["no-such-area"]}, "service_areas"),
        ({"funding_sources": ["lottery"]}, "funding_sources"),
        ({"estimated_cost_pence": -1}, "estimated_cost_pence"),
        ({"estimated_cost_pence": "12.50"}, "estimated_cost_pence"),
        ({"start_date": "2027-01-01", "end_date": "2026-01-01"}, "end_date"),
        ({"key_contact": "oscar.outsider@otherton.gov.uk"}, "key_contact"),
        ({"key_contact": "nobody@nowhere.example"}, "key_contact"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_writes_nothing(
    officer, outsider, taxonomy, overrides, field
):
    response = api(officer).post(LIST, valid_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Initiative.objects.count() == 0
    assert Partnership.objects.count() == 0


def test_field_errors_keep_their_shape_in_govuk_words(officer, taxonomy):
    body = valid_body(summary="x" * 281, stage="nowhere", service_areas=["no-such-area"])
    del body["title"]
    response = api(officer).post(LIST, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["Enter the title"]
    assert errors["summary"] == ["Summary must be 280 characters or fewer"]
    assert errors["stage"] == ["Select one of the options given for the stage"]
    assert errors["service_areas"] == ["Service areas must be one that exists on the platform"]
    assert all(isinstance(messages, list) for messages in errors.values())
    for messages in errors.values():
        for message in messages:
            assert not message.startswith(("This field", "Ensure this", "Enter a valid")), message
            assert "is not a valid choice" not in message and "does not exist" not in message


def test_create_refused_for_anonymous_and_suppliers(supplier_user, taxonomy):
    assert api().post(LIST, valid_body(), format="json").status_code == 401
    assert api(supplier_user).post(LIST, valid_body(), format="json").status_code == 403
    assert Initiative.objects.count() == 0


# --- updating and stage -----------------------------------------------------------------


def test_lead_member_patches_only_given_fields(officer, council):
    initiative = factories.InitiativeFactory(
        lead_organisation=council, title="Keep", description="Old", estimated_cost_pence=5
    )
    response = api(officer).patch(
        f"{LIST}{initiative.slug}/", {"description": "New", "tags": ["Bins"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    initiative.refresh_from_db()
    assert (initiative.title, initiative.description, initiative.estimated_cost_pence) == (
        "Keep",
        "New",
        5,
    )
    assert response.json()["tags"] == ["bins"]


def test_update_refusals(officer, outsider, council):
    public = factories.InitiativeFactory(lead_organisation=council, title="Keep")
    draft = factories.InitiativeFactory(lead_organisation=council, visibility="draft")
    assert api(outsider).patch(f"{LIST}{public.slug}/", {"title": "X"}).status_code == 403
    assert api(outsider).patch(f"{LIST}{draft.slug}/", {"title": "X"}).status_code == 404
    assert api().patch(f"{LIST}{public.slug}/", {"title": "X"}).status_code == 401
    bad = api(officer).patch(
        f"{LIST}{public.slug}/", {"summary": "x" * 300, "stage": "live"}, format="json"
    )
    assert bad.status_code == 400 and "summary" in bad.json()
    stage = api(officer).patch(f"{LIST}{public.slug}/", {"stage": "live"}, format="json")
    assert stage.status_code == 400 and "stage" in stage.json()
    assert api(officer).delete(f"{LIST}{public.slug}/").status_code == 405
    public.refresh_from_db()
    assert public.title == "Keep" and public.stage == "idea"


def test_stage_action(officer, outsider, council):
    initiative = factories.InitiativeFactory(lead_organisation=council)
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 1, 2, 9))
    )
    url = f"{LIST}{initiative.slug}/stage/"
    response = api(officer).post(
        url, {"to_stage": "beta", "changed_on": "2026-01-05", "note": "Live pilot"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "from_stage": "idea",
        "to_stage": "beta",
        "changed_on": "2026-01-05",
        "note": "Live pilot",
    }
    same = api(officer).post(url, {"to_stage": "beta"}, format="json")
    assert same.status_code == 400 and "to_stage" in same.json()
    assert api(officer).post(url, {"to_stage": "nope"}, format="json").status_code == 400
    assert api(outsider).post(url, {"to_stage": "live"}, format="json").status_code == 403
    assert api().post(url, {"to_stage": "live"}, format="json").status_code == 401
    assert StageChange.objects.filter(initiative=initiative).count() == 1
    initiative.refresh_from_db()
    assert initiative.stage == "beta"


def test_schema_documents_the_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/initiatives/{slug}/stage/" in schema
    assert "updated_within_days" in schema
