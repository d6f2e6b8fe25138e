"""The search box's syntax ("quoted phrases", OR, -word) means the same on
PostgreSQL's full-text search and on the portable search `make run` uses on
SQLite, as the hint under the box says."""

import pytest

from initiatives.models import Initiative
from initiatives.selectors.catalogue import apply_portable_search, parse_web_search
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_syntax_is_read_as_postgresql_reads_it():
    assert parse_web_search('"garden waste" OR recycling -chatbot') == (
        [["garden waste", "recycling"]],
        ["chatbot"],
    )
    assert parse_web_search("waste parking") == ([["waste"], ["parking"]], [])
    assert parse_web_search("waste or parking") == ([["waste", "parking"]], [])
    assert parse_web_search('or -"council tax" -') == ([], ["council tax"])
    assert parse_web_search('"unclosed phrase') == ([["unclosed phrase"]], [])
    assert parse_web_search("a " * 50)[0] == [["a"]] * 10  # at most ten terms


@pytest.fixture
def catalogue(council):
    for title in (
        "Waste round planning",
        "Parking permits online",
        "Council tax chatbot",
        "Garden waste subscriptions",
    ):
        factories.InitiativeFactory(lead_organisation=council, title=title)


QUERIES = {
    "waste or parking": {
        "Waste round planning",
        "Parking permits online",
        "Garden waste subscriptions",
    },
    "waste -garden": {"Waste round planning"},
    "-chatbot": {
        "Waste round planning",
        "Parking permits online",
        "Garden waste subscriptions",
    },
    '"garden waste"': {"Garden waste subscriptions"},
    '"waste garden"': set(),
    "waste parking": set(),
}


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_portable_search_honours_the_syntax(catalogue, query):
    found = apply_portable_search(Initiative.objects.all(), query)
    assert set(found.values_list("title", flat=True)) == QUERIES[query]


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_the_catalogue_page_honours_the_syntax_on_this_database(client, catalogue, query):
    html = client.get("/initiatives/", {"q": query}).content.decode()
    for title in QUERIES[query]:
        assert title in html
    for title in {
        "Waste round planning",
        "Parking permits online",
        "Council tax chatbot",
        "Garden waste subscriptions",
    } - QUERIES[query]:
        assert f">{title}<" not in html


def test_the_hint_describes_the_syntax_plainly(client):
    html = client.get("/initiatives/").content.decode()
    assert "type OR between two words to find either of them" in html
    assert "or to match either word" not in html
