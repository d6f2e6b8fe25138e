"""Finding a council's initiatives (issue 8): the catalogue's ``lead`` and
``partner`` filters on the page, in the API and in the open-data CSV (one
implementation: ``CatalogueSearchForm`` + ``selectors.catalogue``), never
showing what the viewer may not see; searching by the lead's names; the CSV
honouring the page's parameters."""

import csv
import io

import pytest
from django.test import Client

from councils.models import Organisation
from tests import factories

from .support.councils import arrange
from .support.initiative import result_titles

pytestmark = pytest.mark.django_db

URL = "/initiatives/"
API = "/api/v1/initiatives/"
CSV = "/initiatives.csv"
LEADSHAM_LED = [
    "Leedsham draft pilot",
    "Leedsham partners pilot",
    "Leedsham platform pilot",
    "Leedsham public pilot",
]
NEVER_TAKING_PART = ("Library app", "Street lighting", "Old idea", "Declined plan")


@pytest.fixture
def world(council, other_council, supplier):
    return arrange(council, other_council, supplier=supplier)


def found(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(result_titles(response))


def api_titles(client, **params) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


def csv_titles(client, **params) -> list[str]:
    response = client.get(CSV, params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return sorted(row["title"] for row in csv.DictReader(io.StringIO(text)))


# --- the page ---------------------------------------------------------------------------


def test_lead_filter_shows_each_viewer_only_what_they_may_see(client_for, world, officer, outsider):
    assert found(Client(), lead="leedsham") == ["Leedsham public pilot"]
    assert found(client_for(world.third_officer), lead="leedsham") == [
        "Leedsham platform pilot",
        "Leedsham public pilot",
    ]
    # Another council's officer: never Leedsham's partners-only or draft rows.
    assert found(client_for(outsider), lead="leedsham") == [
        "Leedsham platform pilot",
        "Leedsham public pilot",
    ]
    assert found(client_for(officer), lead="leedsham") == LEADSHAM_LED


def test_lead_filter_never_reveals_another_councils_draft(client_for, world, officer):
    otherton = found(client_for(officer), lead="otherton")
    assert "Otherton draft pilot" not in otherton
    assert "Otherton partners pilot" in otherton  # Leedsham is a committed partner
    assert "Otherton partners pilot" not in found(client_for(world.third_officer), lead="otherton")


def test_partner_filter_counts_committed_and_accepted_partners_only(
    client_for, world, officer, outsider
):
    assert found(Client(), partner="leedsham") == ["Parking permits"]
    assert found(client_for(world.third_officer), partner="leedsham") == [
        "Parking permits",
        "Shared HR service",
    ]
    everything = ["Otherton partners pilot", "Parking permits", "Shared HR service"]
    assert found(client_for(officer), partner="leedsham") == everything
    assert found(client_for(outsider), partner="leedsham") == everything
    # Interested, invited, withdrawn, declined: not taking part; and leading
    # is not "taking part" (that is the lead filter).
    for title in (*NEVER_TAKING_PART, *LEADSHAM_LED):
        assert title not in everything


def test_a_supplier_accepted_as_delivery_partner_takes_part(world):
    assert found(Client(), partner="acme-digital") == ["Leedsham public pilot"]


def test_lead_and_partner_combine_with_each_other_and_the_other_facets(client_for, world, officer):
    assert found(Client(), lead="otherton", partner="leedsham") == ["Parking permits"]
    assert found(Client(), lead="leedsham", partner="acme-digital") == ["Leedsham public pilot"]
    assert found(Client(), lead="leedsham", partner="otherton") == []
    assert found(client_for(officer), lead="leedsham", q="platform") == ["Leedsham platform pilot"]
    assert found(client_for(officer), partner="leedsham", stage="beta") == []


def test_an_unknown_council_and_one_whose_initiatives_are_hidden_look_the_same(
    client_for, world, outsider
):
    hidden = factories.OrganisationFactory(
        name="Hiddenshire", slug="hiddenshire", status=Organisation.Status.REGISTERED
    )
    factories.InitiativeFactory(lead_organisation=hidden, title="Hidden draft", visibility="draft")
    client = client_for(outsider)
    for slug in ("no-such-council", "hiddenshire"):
        for name in ("lead", "partner"):
            response = client.get(URL, {name: slug})
            html = response.content.decode()
            assert response.status_code == 200
            assert result_titles(response) == []
            assert "0 initiatives" in html
            # The chosen value is shown as typed (removable), never looked up
            # among organisations the viewer may not see.
            assert f"{'Lead' if name == 'lead' else 'Partner'} council: {slug}" in html
    assert "Hiddenshire" not in client.get(URL, {"lead": "hiddenshire"}).content.decode()


def test_values_that_are_not_slugs_are_ignored_on_the_page(world):
    everything = found(Client())
    for bad in ("not a slug", " leedsham", "x" * 161, "leedsham/../"):
        assert found(Client(), lead=bad) == everything
        assert found(Client(), partner=bad) == everything


def test_nul_in_a_council_filter_is_refused(client):
    for path in (f"{URL}?lead=leeds%00ham", f"{API}?partner=%00", f"{CSV}?lead=%00"):
        assert client.get(path).status_code == 400


def test_the_council_facets_are_selects_with_counts_and_the_choice_is_removable(world):
    html = Client().get(URL, {"lead": "leedsham", "stage": "idea"}).content.decode()
    assert '<select class="govuk-select app-facet-select" id="f-lead" name="lead">' in html
    assert '<label class="govuk-label govuk-label--s" for="f-lead">Lead council</label>' in html
    assert '<option value="leedsham" selected>Leedsham (1)</option>' in html
    assert '<option value="otherton">Otherton (5)</option>' in html  # public, stage idea
    # The partner facet counts under the other filters (led by Leedsham):
    # only the supplier takes part in one of those.
    partner_select = html[html.index('id="f-partner"') :]
    partner_select = partner_select[: partner_select.index("</select>")]
    assert '<option value="acme-digital">Acme Digital Ltd (1)</option>' in partner_select
    assert 'value="leedsham"' not in partner_select
    unfiltered = Client().get(URL).content.decode()
    assert '<option value="leedsham">Leedsham (1)</option>' in unfiltered  # Parking permits
    # Selected filters, each a link to the page without it.
    assert (
        '<a class="app-selected-filter" href="/initiatives/?stage=idea"><span '
        'class="govuk-visually-hidden">Remove filter </span>Lead council: Leedsham<'
    ) in html
    assert (
        'href="/initiatives/?lead=leedsham"><span class="govuk-visually-hidden">'
        "Remove filter </span>Stage: Idea<"
    ) in html
    # Without the filter, nothing is selected.
    plain = Client().get(URL).content.decode()
    assert "Selected filters" not in plain
    assert '<option value="" selected>Any organisation</option>' in plain


def test_download_link_carries_the_pages_parameters_but_not_the_page_number(world):
    html = (
        Client()
        .get(URL, {"q": "pilot", "lead": "leedsham", "sort": "newest", "page": "2"})
        .content.decode()
    )
    assert (
        'id="csv-download" href="/initiatives.csv?q=pilot&amp;sort=newest&amp;lead=leedsham"'
        in html
    )
    assert "Download the public initiatives matching this search as CSV" in html
    assert 'id="csv-download" href="/initiatives.csv"' in Client().get(URL).content.decode()
    # htmx swaps the results in place: the link is swapped with them.
    partial = Client().get(URL, {"partner": "leedsham"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert 'id="csv-download" href="/initiatives.csv?partner=leedsham"' in partial


# --- searching by the lead's names (PostgreSQL full text and the SQLite fallback) --------


@pytest.fixture
def named(council, other_council):
    factories.InitiativeFactory(lead_organisation=council, title="Garden waste renewals")
    factories.InitiativeFactory(lead_organisation=other_council, title="Parking permits")
    factories.InitiativeFactory(
        lead_organisation=council, title="Secret garden plan", visibility="draft"
    )


def test_search_matches_the_lead_councils_short_and_official_names(named):
    assert found(Client(), q="Leedsham") == ["Garden waste renewals"]
    assert found(Client(), q="otherton") == ["Parking permits"]
    # Official names: "Otherton Borough Council", "Leedsham City Council".
    assert found(Client(), q="borough") == ["Parking permits"]
    assert found(Client(), q="city") == ["Garden waste renewals"]
    # Every word must match somewhere, names included.
    assert found(Client(), q="leedsham garden") == ["Garden waste renewals"]
    assert found(Client(), q="leedsham parking") == []


def test_search_by_name_never_widens_visibility(client_for, named, officer, outsider):
    assert "Secret garden plan" not in found(client_for(outsider), q="leedsham")
    assert "Secret garden plan" in found(client_for(officer), q="leedsham")


def test_a_title_naming_the_council_ranks_above_being_led_by_it(named, other_council):
    factories.InitiativeFactory(lead_organisation=other_council, title="Leedsham bus passes")
    response = Client().get(URL, {"q": "leedsham"})
    assert result_titles(response) == ["Leedsham bus passes", "Garden waste renewals"]


def test_api_and_csv_search_by_name_too(named):
    assert api_titles(Client(), search="otherton") == ["Parking permits"]
    assert csv_titles(Client(), q="leedsham") == ["Garden waste renewals"]


# --- the API ----------------------------------------------------------------------------


def test_api_lead_and_partner_filters(api_for, world, officer):
    assert api_titles(api_for(), lead="leedsham") == ["Leedsham public pilot"]
    assert api_titles(api_for(officer), lead="leedsham") == LEADSHAM_LED
    assert api_titles(api_for(world.third_officer), partner="leedsham") == [
        "Parking permits",
        "Shared HR service",
    ]
    assert api_titles(api_for(officer), partner="leedsham") == [
        "Otherton partners pilot",
        "Parking permits",
        "Shared HR service",
    ]
    assert api_titles(api_for(world.third_officer), lead="otherton", partner="leedsham") == [
        "Parking permits",
        "Shared HR service",
    ]
    assert "Otherton draft pilot" not in api_titles(api_for(officer), lead="otherton")


def test_api_unknown_or_hidden_council_is_an_empty_list_alike(api_for, world, outsider):
    hidden = factories.OrganisationFactory(
        name="Hiddenshire", slug="hiddenshire", status=Organisation.Status.REGISTERED
    )
    factories.InitiativeFactory(lead_organisation=hidden, title="Hidden draft", visibility="draft")
    client = api_for(outsider)
    answers = [
        client.get(API, {"lead": slug}).json() for slug in ("no-such-council", "hiddenshire")
    ]
    assert answers[0] == answers[1] == {"count": 0, "next": None, "previous": None, "results": []}


def test_api_refuses_values_that_are_not_slugs_with_a_field_error(api_for, world):
    for params in ({"lead": "not a slug"}, {"partner": " leedsham"}, {"lead": "x" * 161}):
        response = api_for().get(API, params)
        assert response.status_code == 400, params
        assert set(response.json()) == set(params)
    # An empty value is "any", as on the site's forms.
    assert api_for().get(API, {"lead": "", "partner": ""}).json()["count"] == 6


def test_api_schema_documents_the_council_filters(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
    }
    for name in ("lead", "partner"):
        assert parameters[name]["in"] == "query"
        assert parameters[name]["schema"] == {
            "type": "string",
            "pattern": "^[-a-zA-Z0-9_]*$",
            "maxLength": 160,
        }
        assert "matches nothing" in parameters[name]["description"]
    assert "committed" in parameters["partner"]["description"]


def test_api_list_with_council_filters_costs_the_same(
    api_for, world, officer, django_assert_max_num_queries
):
    for n in range(20):
        initiative = factories.InitiativeFactory(
            lead_organisation=world.led["public"].lead_organisation, title=f"More {n}"
        )
        factories.PartnershipFactory(initiative=initiative, status="committed")
    # membership; paginator COUNT; the page (lead and key contact joined);
    # one prefetch each for service areas, tags and skills.
    with django_assert_max_num_queries(6):
        response = api_for(officer).get(API, {"lead": "leedsham", "partner": "testshire-1"})
    assert response.status_code == 200


# --- the CSV ----------------------------------------------------------------------------


def test_csv_honours_the_council_filters_with_public_rows_only(client_for, world, officer, staff):
    for client in (Client(), client_for(officer), client_for(staff)):
        assert csv_titles(client, lead="leedsham") == ["Leedsham public pilot"]
        assert csv_titles(client, partner="leedsham") == ["Parking permits"]
        assert csv_titles(client, lead="otherton", partner="leedsham") == ["Parking permits"]
    assert csv_titles(Client(), lead="no-such-council") == []


def test_csv_honours_search_facets_and_sort(world, council):
    waste = factories.service_area("waste")
    factories.InitiativeFactory(
        lead_organisation=council, title="Waste pilot", stage="beta", service_areas=[waste]
    )
    assert csv_titles(Client(), q="pilot", stage="beta") == ["Waste pilot"]
    assert csv_titles(Client(), service_area="waste") == ["Waste pilot"]
    assert csv_titles(Client(), q="permits") == ["Parking permits"]
    text = b"".join(Client().get(CSV, {"sort": "newest"}).streaming_content).decode()
    assert [row["title"] for row in csv.DictReader(io.StringIO(text))][0] == "Waste pilot"
    # A stale link's bad values are ignored, as on the page.
    assert csv_titles(Client(), stage="nonsense", lead="not a slug") == csv_titles(Client())


def test_csv_with_filters_is_still_bounded(council, django_assert_max_num_queries):
    for n in range(30):
        factories.InitiativeFactory(
            lead_organisation=council, title=f"Pilot {n}", tags=[f"t{n}"], stage="beta"
        )
    # The rows (lead joined) and one prefetch each for service areas, tags
    # and skills, per chunk of 500 rows.
    with django_assert_max_num_queries(4):
        titles = csv_titles(Client(), q="pilot", lead="leedsham", stage="beta")
    assert len(titles) == 30
