"""The council directory at /councils/: search, facets, pagination, htmx."""

import pytest
from django.urls import reverse

from councils.models import Organisation
from tests import factories

URL = reverse("councils:directory")


@pytest.fixture
def spread(db):
    """Organisations across nations, regions, types and kinds (and two that must never show)."""
    return {
        "leeds": factories.OrganisationFactory(
            name="Leeds",
            official_name="Leeds City Council",
            register_code="LDS",
            gss_code="E08000035",
            region="Yorkshire and The Humber",
            authority_type="Metropolitan district",
        ),
        "kent": factories.OrganisationFactory(
            name="Kent",
            official_name="Kent County Council",
            register_code="KEN",
            region="South East",
            authority_type="County council",
        ),
        "cardiff": factories.OrganisationFactory(
            name="Cardiff",
            official_name="Cardiff Council",
            register_code="CRF",
            nation="Wales",
            region="",
            authority_type="Unitary authority",
        ),
        "supplier": factories.SupplierFactory(name="Bartec Systems Ltd"),
        "registered": factories.OrganisationFactory(
            name="Notyet", status=Organisation.Status.REGISTERED, region="South East"
        ),
        "ended": factories.OrganisationFactory(
            name="Oldshire", status=Organisation.Status.ENDED, region="South East"
        ),
    }


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


def test_lists_every_active_organisation_and_no_others(client, spread):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Bartec Systems Ltd", "Cardiff", "Kent", "Leeds"]
    html = response.content.decode()
    assert "4 organisations" in html
    assert "Notyet" not in html and "Oldshire" not in html
    assert reverse("councils:detail", kwargs={"slug": "leeds"}) in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("leed", ["Leeds"]),  # part of the short name
        ("county council", ["Kent"]),  # part of the official name
        ("crf", ["Cardiff"]),  # register code, any case
        ("E08000035", ["Leeds"]),  # GSS code
        ("nowhere", []),
    ],
)
def test_search_by_name_or_code(client, spread, query, expected):
    response = client.get(URL, {"q": query})
    assert names(response) == expected
    assert f"{len(expected)} organisation" in response.content.decode()


def test_search_does_not_find_registered_organisations(client, spread):
    assert names(client.get(URL, {"q": "Notyet"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"nation": "Wales"}, ["Cardiff"]),
        ({"region": "South East"}, ["Kent"]),
        ({"authority_type": "Metropolitan district"}, ["Leeds"]),
        ({"kind": "supplier"}, ["Bartec Systems Ltd"]),
        ({"nation": "England", "region": "South East"}, ["Kent"]),
        ({"nation": "Wales", "q": "Kent"}, []),
    ],
)
def test_filters(client, spread, params, expected):
    assert names(client.get(URL, params)) == expected


def test_filter_options_come_from_active_organisations(client, spread):
    response = client.get(URL)
    form = response.context["filter_form"]
    regions = [value for value, _ in form.fields["region"].choices if value]
    assert regions == ["South East", "Yorkshire and The Humber"]
    nations = [value for value, _ in form.fields["nation"].choices if value]
    assert nations == ["England", "Wales"]
    html = response.content.decode()
    assert '<option value="Wales">Wales</option>' in html
    assert '<label class="govuk-label" for="id_q">Search by name, code, supplier or product' in html


def test_unknown_filter_value_is_ignored_not_an_error(client, spread):
    response = client.get(URL, {"nation": "Atlantis", "q": "leeds"})
    assert response.status_code == 200
    assert names(response) == ["Leeds"]
    assert "Some filters were not recognised" in response.content.decode()


def test_paginates_25_a_page_with_govuk_pagination(client, db):
    factories.OrganisationFactory.create_batch(30)
    first = client.get(URL)
    assert len(first.context["organisations"]) == 25
    html = first.content.decode()
    assert "30 organisations" in html
    assert 'class="govuk-pagination"' in html
    assert 'href="?page=2"' in html
    second = client.get(URL, {"page": 2})
    assert len(second.context["organisations"]) == 5
    assert 'rel="prev"' in second.content.decode()
    # A page past the end shows the last page rather than failing.
    assert client.get(URL, {"page": 99}).context["page"].number == 2


def test_pagination_keeps_the_filters(client, db):
    factories.OrganisationFactory.create_batch(27, region="North West")
    factories.OrganisationFactory.create_batch(3, region="London")
    response = client.get(URL, {"region": "North West"})
    assert "27 organisations match your search" in response.content.decode()
    assert 'href="?region=North+West&amp;page=2"' in response.content.decode()


def test_full_page_works_without_javascript(client, spread):
    html = client.get(URL, {"q": "kent"}).content.decode()
    assert '<form method="get" action="/councils/"' in html
    assert html.count("<h1") == 1
    assert 'id="directory-results"' in html
    assert 'hx-get="/councils/"' in html and 'hx-push-url="true"' in html


def test_htmx_request_gets_only_the_results_fragment(client, spread):
    response = client.get(URL, {"q": "kent"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert html.count('id="directory-results"') == 1
    assert "Kent" in html and "Leeds" not in html
    # The persistent live region is updated out of band with the count.
    assert 'id="directory-status" hx-swap-oob="innerHTML">1 organisation found' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_boosted_navigation_gets_the_whole_page(client, spread):
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert "<h1" in response.content.decode()


def test_state_changing_methods_are_refused(client, spread):
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("count", [3, 30])
def test_directory_query_count_does_not_grow(client, db, django_assert_max_num_queries, count):
    factories.OrganisationFactory.create_batch(count)
    # 1 count for the paginator, 1 page of organisations, 3 distinct-value
    # queries for the nation, region and type options, 1 for the service areas,
    # 2 for the supplier and product suggestions.
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["organisations"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_directory_query_count_signed_in(client_for, officer, django_assert_max_num_queries, count):
    factories.OrganisationFactory.create_batch(count)
    client = client_for(officer)
    # The 8 above, plus session, user and the user's membership (header).
    with django_assert_max_num_queries(11):
        response = client.get(URL, {"nation": "England"})
    assert response.status_code == 200
