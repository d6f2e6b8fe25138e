"""An empty filter value means "any" (as a cleared filter on the site sends),
through the API as on the pages, and the schema says so."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "stage=",
        "collaboration_level=",
        "funding_band=",
        "looking_for_partners=",
        "sort=",
        "updated_within_days=",
        "region=",
        "service_area=",
        "lead=",
        "partner=",
    ],
)
def test_an_empty_catalogue_filter_lists_everything(api_client, council, query):
    factories.InitiativeFactory(lead_organisation=council, title="Shared bins")
    response = api_client.get(f"/api/v1/initiatives/?{query}")
    assert response.status_code == 200, response.content
    assert [row["title"] for row in response.json()["results"]] == ["Shared bins"]


def test_an_unknown_stage_is_still_refused(api_client):
    response = api_client.get("/api/v1/initiatives/?stage=nonsense")
    assert response.status_code == 400
    assert "stage" in response.json()


def test_an_empty_page_number_is_an_invalid_page(api_client):
    response = api_client.get("/api/v1/initiatives/?page=")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_the_schema_lists_the_empty_value(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
    }
    assert parameters["looking_for_partners"]["enum"][0] == ""
    assert parameters["updated_within_days"] == {"type": "string", "enum": ["", "30", "7", "90"]}


def test_an_empty_date_filter_lists_every_organisation(api_client, council):
    """The directory's date box sends ``contract_ends_before=`` when left empty."""
    response = api_client.get("/api/v1/organisations/?contract_ends_before=")
    assert response.status_code == 200, response.content
    assert council.slug in [row["slug"] for row in response.json()["results"]]


def test_a_date_filter_that_is_not_a_date_is_refused(api_client):
    response = api_client.get("/api/v1/organisations/?contract_ends_before=soon")
    assert response.status_code == 400
    assert "contract_ends_before" in response.json()


def test_the_schema_says_a_date_filter_may_be_empty(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    }
    assert parameters["contract_ends_before"] == {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "enum": [""]}]
    }
