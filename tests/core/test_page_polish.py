"""Small things every page gets right (issue 8): a meta description of its
own, filter panels that look the same everywhere, facets only when they have
options. Read from the pages as a browser gets them."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def meta_description(response) -> str:
    match = re.search(r'<meta name="description" content="([^"]*)">', response.content.decode())
    assert match, "the page has no meta description"
    return match.group(1)


def test_every_page_has_a_description_and_the_main_ones_their_own(client, council):
    initiative = factories.make_initiative(
        council, summary="Route bin lorries together across borders."
    )
    default = meta_description(client.get("/accessibility/"))
    assert "councils" in default
    pages = {
        "/": "join forces",
        "/initiatives/": "Browse shared initiatives",
        initiative.get_absolute_url(): "Route bin lorries together across borders.",
        council.get_absolute_url(): council.name,
        "/councils/": "Directory of UK councils",
    }
    for path, expected in pages.items():
        description = meta_description(client.get(path))
        assert expected in description, (path, description)
        assert description != default or path == "/accessibility/"


def test_initiative_description_is_escaped(client, council):
    initiative = factories.make_initiative(council, summary='Say "hello" <b>now</b>')
    description = meta_description(client.get(initiative.get_absolute_url()))
    assert description == "Say &quot;hello&quot; &lt;b&gt;now&lt;/b&gt;"


def test_apply_filters_is_the_same_secondary_button_on_both_filter_panels(client, council):
    factories.make_initiative(council)
    for path in ("/initiatives/", "/councils/"):
        html = client.get(path).content.decode()
        buttons = re.findall(
            r'<button type="submit" class="([^"]*)"[^>]*>Apply filters</button>', html
        )
        assert buttons == ["govuk-button govuk-button--secondary"], (path, buttons)


def test_facets_with_no_options_show_no_heading_on_an_empty_result(client, council):
    factories.make_initiative(council, title="Garden waste subscriptions")
    html = client.get("/initiatives/", {"q": "nothing-matches-this-zzzq"}).content.decode()
    assert "<legend" not in html, "a facet heading with no options is shown"
    assert "Apply filters" not in html  # it would change nothing
    assert "No filters match these results." in html
    html = client.get("/initiatives/").content.decode()
    assert "<legend" in html  # with results the facets are there
