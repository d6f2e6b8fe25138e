"""/initiatives.csv: the open dataset of public initiatives."""

import csv
import io

import pytest
from django.test import Client

from tests import factories

from .support.initiative import one_of_each_visibility

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_public_only_even_for_signed_in_lead(client_for, council, officer, staff):
    one_of_each_visibility(council)
    for client in (Client(), client_for(officer), client_for(staff)):
        response = client.get("/initiatives.csv")
        assert response.status_code == 200
        assert [row["title"] for row in read_csv(response)] == ["Visibility public pilot"]


def test_content_header_and_licence(council):
    factories.InitiativeFactory(
        lead_organisation=council,
        title="Garden waste renewals",
        slug="garden-waste-renewals",
        estimated_cost_pence=1_250_050,
        funding_sources=["own_budgets", "other_grant"],
        service_areas=[factories.service_area("waste"), factories.service_area("housing")],
        tags=["Renewals"],
        looking_for_partners=False,
    )
    response = Client().get("/initiatives.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="initiatives-')
    assert "Open Government Licence v3.0" in response["X-License"]
    assert 'rel="license"' in response["Link"]
    [row] = read_csv(response)
    assert list(row)[:4] == ["slug", "title", "summary", "url"]
    assert row["url"] == "http://testserver/initiatives/garden-waste-renewals/"
    assert row["lead_organisation"] == "Leedsham"
    assert row["estimated_cost_pence"] == "1250050"
    assert row["funding_sources"] == "own_budgets; other_grant"
    assert row["service_areas"] == "Housing; Waste"
    assert row["tags"] == "renewals"
    assert row["looking_for_partners"] == "no"
    assert row["licence"] == "Open Government Licence v3.0"


def test_empty_dataset_still_has_a_header():
    response = Client().get("/initiatives.csv")
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines() == [text.splitlines()[0]]
    assert text.startswith("slug,title,summary")


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_cells_are_escaped(council, dangerous):
    factories.InitiativeFactory(lead_organisation=council, title=dangerous, summary=dangerous)
    [row] = read_csv(Client().get("/initiatives.csv"))
    assert row["title"] == "'" + dangerous
    assert row["summary"] == "'" + dangerous


def test_csv_query_count_is_bounded(council, django_assert_max_num_queries):
    for _ in range(30):
        factories.InitiativeFactory(
            lead_organisation=council, service_areas=[factories.service_area("waste")]
        )
    # The rows (lead joined) and one prefetch each for service areas, tags
    # and skills, per chunk of 500 rows.
    with django_assert_max_num_queries(4):
        rows = read_csv(Client().get("/initiatives.csv"))
    assert len(rows) == 30
