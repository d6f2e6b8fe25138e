"""/api/v1/organisations/: the directory and council profiles over the API."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from core.tokens import hash_token
from councils.models import Organisation
from tests import factories

LIST = "/api/v1/organisations/"


def detail(organisation) -> str:
    return f"{LIST}{organisation.slug}/"


@pytest.fixture
def spread(db):
    return {
        "leeds": factories.OrganisationFactory(
            name="Leeds", register_code="LDS", gss_code="E08000035", region="Yorkshire"
        ),
        "kent": factories.OrganisationFactory(
            name="Kent", region="South East", authority_type="County council"
        ),
        "cardiff": factories.OrganisationFactory(name="Cardiff", nation="Wales", region=""),
        "supplier": factories.SupplierFactory(name="Bartec Systems Ltd"),
        "registered": factories.OrganisationFactory(name="Notyet", status="registered"),
    }


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def test_list_is_public_and_paginated(api_client, spread):
    response = api_client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert slugs(response) == ["bartec-systems-ltd", "cardiff", "kent", "leeds"]
    leeds = body["results"][-1]
    assert leeds["register_code"] == "LDS"
    assert leeds["url"].endswith("/api/v1/organisations/leeds/")
    assert leeds["web_url"] == "/councils/leeds/"
    assert "systems" not in leeds  # the profile is on the detail only


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "lds"}, ["leeds"]),
        ({"q": "E08000035"}, ["leeds"]),
        ({"q": "card"}, ["cardiff"]),
        ({"nation": "Wales"}, ["cardiff"]),
        ({"region": "South East"}, ["kent"]),
        ({"authority_type": "County council"}, ["kent"]),
        ({"kind": "supplier"}, ["bartec-systems-ltd"]),
        ({"q": "Notyet"}, []),
    ],
)
def test_list_filters_match_the_directory(api_client, spread, client, params, expected):
    assert slugs(api_client.get(LIST, params)) == expected
    # The HTML directory gives the same answer for the same parameters.
    page = client.get(reverse("councils:directory"), params)
    assert [o.slug for o in page.context["organisations"]] == expected


def test_unknown_facet_value_is_a_400_with_the_field(api_client, spread):
    response = api_client.get(LIST, {"nation": "Atlantis", "kind": "pirate"})
    assert response.status_code == 400
    assert set(response.json()) == {"nation", "kind"}


def test_detail_includes_the_profile(api_client, council):
    factories.SystemInUseFactory(
        organisation=council, supplier="Bartec", product="Collective", satisfaction=4
    )
    factories.NeedFactory(organisation=council, description="Route optimiser", priority="high")
    factories.SkillOfferFactory(organisation=council, detail="Two researchers")
    response = api_client.get(detail(council))
    assert response.status_code == 200
    body = response.json()
    assert body["official_name"] == "Leedsham City Council"
    assert body["systems"] == [
        {
            "id": council.systems.get().pk,
            "service_area": {"slug": "waste", "name": "Waste"},
            "supplier": "Bartec",
            "product": "Collective",
            "contract_end_date": None,
            "satisfaction": 4,
        }
    ]
    assert body["needs"][0]["description"] == "Route optimiser"
    assert body["needs"][0]["priority"] == "high"
    assert body["skills_offered"][0]["skill"] == {"slug": "user-research", "name": "User research"}
    assert "memberships" not in body and "members" not in body


def test_registered_organisation_is_404_for_everyone_but_staff(
    api_client, spread, officer, outsider, staff
):
    registered = spread["registered"]
    assert api_client.get(detail(registered)).status_code == 404
    for user in (officer, outsider):
        api_client.force_authenticate(user)
        assert api_client.get(detail(registered)).status_code == 404
    api_client.force_authenticate(staff)
    response = api_client.get(detail(registered))
    assert response.status_code == 200
    assert response.json()["status"] == Organisation.Status.REGISTERED


def test_missing_slug_is_404(api_client, db):
    assert api_client.get(f"{LIST}nowhere/").status_code == 404


def test_read_only(api_client, council, officer):
    api_client.force_authenticate(officer)
    assert api_client.post(LIST, {"name": "New"}, format="json").status_code == 405
    assert api_client.patch(detail(council), {"name": "Renamed"}, format="json").status_code == 405
    assert api_client.delete(detail(council)).status_code == 405
    council.refresh_from_db()
    assert council.name == "Leedsham"


def test_token_authentication(api_client, officer, council):
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(
        user=officer, name="scripts", prefix=raw[:8], token_hash=hash_token(raw)
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api_client.get(detail(council)).status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION="Token ccp_not-a-real-token")
    assert api_client.get(detail(council)).status_code == 401


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(api_client, db, django_assert_max_num_queries, count):
    factories.OrganisationFactory.create_batch(count)
    # 3 distinct-value queries for the facet options, the count, one page.
    with django_assert_max_num_queries(5):
        response = api_client.get(LIST, {"nation": "England"})
    assert len(response.json()["results"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_detail_query_count_does_not_grow(
    api_client, council, django_assert_max_num_queries, count
):
    factories.SystemInUseFactory.create_batch(count, organisation=council)
    factories.NeedFactory.create_batch(count, organisation=council)
    for index in range(count):
        factories.SkillOfferFactory(organisation=council, skill=factories.skill(f"s-{index}"))
    # The organisation (with its successor), then systems, needs and skills
    # offered, each with its taxonomy joined.
    with django_assert_max_num_queries(4):
        response = api_client.get(detail(council))
    assert len(response.json()["systems"]) == count
