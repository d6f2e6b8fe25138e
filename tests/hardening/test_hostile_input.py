"""Input PostgreSQL refuses (NUL characters) or that exhausts the parser
(deep nesting) is answered 400 with a clear message, in the client's format,
and changes nothing. SQLite would accept much of it, so CI runs this on
PostgreSQL where the original 500s happened."""

import json

import pytest

from initiatives.models import Initiative
from notifications.models import Activity

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "The request contains a NUL character, which is never valid here."


@pytest.mark.parametrize(
    "path",
    [
        "/initiatives/?service_area=%00",
        "/initiatives/?authority_type=%00&region=x",
        "/councils/?region=%00",
        "/initiatives/?q=waste%00rounds",
        "/initiatives/?%00=1",
    ],
)
def test_nul_in_a_page_query_is_a_plain_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == NUL_MESSAGE


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/initiatives/?service_area=%00",
        "/api/v1/organisations/?region=%00",
        "/api/v1/organisations/%00/",
        "/api/v1/organisations/%00/systems/",
    ],
)
def test_nul_in_an_api_request_is_a_json_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}


def test_nul_in_a_form_post_changes_nothing(client_for, officer):
    before = (Initiative.objects.count(), Activity.objects.count())
    response = client_for(officer).post(
        "/initiatives/new/",
        {"title": "Waste\x00rounds", "summary": "Plan rounds together"},
    )
    assert response.status_code == 400
    assert (Initiative.objects.count(), Activity.objects.count()) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "Waste\x00rounds"}, "JSON strings must not contain NUL characters."),
        ({"service_area\x00": ["waste"]}, "JSON keys must not contain NUL characters."),
        ({"skills_needed": [{"slug": ["\x00"]}]}, "JSON strings must not contain NUL characters."),
    ],
)
def test_nul_in_a_json_body_is_refused(api_for, officer, body, message):
    before = Initiative.objects.count()
    response = api_for(officer).post("/api/v1/initiatives/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert Initiative.objects.count() == before


@pytest.mark.parametrize("depth", [33, 5000])
def test_deeply_nested_json_is_refused(api_for, officer, depth):
    body = "[" * depth + "]" * depth
    response = api_for(officer).generic(
        "POST", "/api/v1/initiatives/", body, content_type="application/json"
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail in ("JSON nested too deeply.", "JSON nested more than 32 levels deep.")


def test_reasonable_nesting_is_still_parsed(api_for, officer):
    body = json.dumps({"tags": [["a"]]})
    response = api_for(officer).generic(
        "POST", "/api/v1/initiatives/", body, content_type="application/json"
    )
    # Parsed, then refused by validation with field errors, not by the parser.
    assert response.status_code == 400
    assert "detail" not in response.json()
