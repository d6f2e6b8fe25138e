"""The catalogue page /initiatives/: visibility, search, facets, sorting,
pagination, htmx partial and a query count that does not grow with data."""

import datetime
import re

import pytest
from django.utils import timezone

from initiatives.models import Initiative
from tests import factories

from .support.initiative import one_of_each_visibility

pytestmark = pytest.mark.django_db

URL = "/initiatives/"


def titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3 class="govuk-heading-s app-result__title"><a [^>]+>([^<]+)</a>', html)


def facet_count(response, name: str, value: str) -> int:
    """The count shown beside one facet option."""
    html = response.content.decode()
    match = re.search(
        rf'name="{name}" type="(?:checkbox|radio)" value="{re.escape(value)}"[^>]*>\s*'
        rf'<label[^>]*>[^<]*<span class="app-facet-count">\((\d+)\)</span>',
        html,
    )
    assert match, f"no facet option {name}={value}"
    return int(match.group(1))


# --- visibility -------------------------------------------------------------------------


def test_anonymous_sees_public_only(client, council):
    one_of_each_visibility(council)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Visibility public pilot"]


def test_signed_in_member_of_another_council_sees_public_and_platform(
    client_for, council, outsider
):
    one_of_each_visibility(council)
    response = client_for(outsider).get(URL)
    assert sorted(titles(response)) == ["Visibility platform pilot", "Visibility public pilot"]
    assert "Visibility draft pilot" not in response.content.decode()


def test_partner_organisation_sees_partners_initiatives_but_not_drafts(
    client_for, council, other_council, outsider
):
    initiatives = one_of_each_visibility(council)
    for vis in ("partners", "draft"):
        factories.PartnershipFactory(
            initiative=initiatives[vis], organisation=other_council, status="interested"
        )
    response = client_for(outsider).get(URL)
    assert sorted(titles(response)) == [
        "Visibility partners pilot",
        "Visibility platform pilot",
        "Visibility public pilot",
    ]


def test_lead_members_see_all_their_own_including_drafts(client_for, council, officer):
    one_of_each_visibility(council)
    response = client_for(officer).get(URL)
    assert len(titles(response)) == 4


# --- search -----------------------------------------------------------------------------


def test_search_matches_title_summary_description_and_tags(client, council):
    factories.InitiativeFactory(lead_organisation=council, title="Planning portal")
    factories.InitiativeFactory(
        lead_organisation=council, title="Chatbot", summary="Answers planning questions"
    )
    factories.InitiativeFactory(
        lead_organisation=council, title="Mapping", description="Uses planning data"
    )
    factories.InitiativeFactory(lead_organisation=council, title="Rounds", tags=["planning"])
    factories.InitiativeFactory(lead_organisation=council, title="Unrelated parking permits")
    response = client.get(URL, {"q": "planning"})
    found = titles(response)
    assert sorted(found) == ["Chatbot", "Mapping", "Planning portal", "Rounds"]
    # Relevance: the title match comes first, then the summary match.
    assert found[:2] == ["Planning portal", "Chatbot"]
    assert "4 initiatives matching “planning”" in response.content.decode()


def test_search_with_every_word_required_and_no_results_message(client, council):
    factories.InitiativeFactory(lead_organisation=council, title="Waste round planner")
    response = client.get(URL, {"q": "waste parking"})
    assert titles(response) == []
    assert "No initiatives match your search." in response.content.decode()


def test_search_never_widens_visibility(client, council):
    factories.InitiativeFactory(lead_organisation=council, title="Secret plan", visibility="draft")
    assert titles(client.get(URL, {"q": "secret"})) == []


@pytest.mark.postgres
def test_postgres_ranks_title_match_above_description_match(client, council):
    factories.InitiativeFactory(
        lead_organisation=council,
        title="Housing repairs",
        description="A scheduling tool; also handles recycling enquiries.",
    )
    factories.InitiativeFactory(lead_organisation=council, title="Recycling centre bookings")
    factories.InitiativeFactory(
        lead_organisation=council, title="Libraries", summary="Recycling of old books"
    )
    response = client.get(URL, {"q": "recycling"})
    assert titles(response) == ["Recycling centre bookings", "Libraries", "Housing repairs"]
    # Web-search syntax: exclusion and stemming ("centres" finds "centre").
    assert titles(client.get(URL, {"q": "recycling -libraries"})) == [
        "Recycling centre bookings",
        "Housing repairs",
    ]
    assert titles(client.get(URL, {"q": "centres"})) == ["Recycling centre bookings"]


# --- facets -----------------------------------------------------------------------------


def test_each_facet_filters_and_counts(client, council, other_council):
    waste, housing = factories.service_area("waste"), factories.service_area("housing")
    a = factories.InitiativeFactory(
        lead_organisation=council,
        title="Alpha waste",
        stage="alpha",
        collaboration_level="co_funding",
        funding_band="under_50k",
        looking_for_partners=True,
        service_areas=[waste],
    )
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Beta housing",
        stage="beta",
        collaboration_level="shared_service",
        funding_band="over_1m",
        looking_for_partners=False,
        service_areas=[housing, waste],
    )
    old = factories.InitiativeFactory(
        lead_organisation=other_council, title="Old idea", stage="idea", looking_for_partners=False
    )
    Initiative.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=60)
    )
    Initiative.objects.filter(pk=a.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )

    response = client.get(URL)
    assert facet_count(response, "service_area", "waste") == 2
    assert facet_count(response, "service_area", "housing") == 1
    assert facet_count(response, "stage", "alpha") == 1
    assert facet_count(response, "stage", "live") == 0
    assert facet_count(response, "region", "South East") == 2
    assert facet_count(response, "region", "Yorkshire and The Humber") == 1
    assert facet_count(response, "authority_type", "Metropolitan district") == 3
    assert facet_count(response, "looking_for_partners", "yes") == 1
    assert facet_count(response, "looking_for_partners", "no") == 2
    assert facet_count(response, "funding_band", "over_1m") == 1
    assert facet_count(response, "updated_within_days", "7") == 1
    assert facet_count(response, "updated_within_days", "30") == 2
    assert facet_count(response, "updated_within_days", "90") == 3

    cases = [
        ({"service_area": "waste"}, ["Alpha waste", "Beta housing"]),
        ({"service_area": ["housing", "waste"]}, ["Alpha waste", "Beta housing"]),
        ({"stage": "beta"}, ["Beta housing"]),
        ({"stage": ["alpha", "idea"]}, ["Alpha waste", "Old idea"]),
        ({"collaboration_level": "co_funding"}, ["Alpha waste"]),
        ({"authority_type": "Metropolitan district"}, ["Alpha waste", "Beta housing", "Old idea"]),
        ({"region": "South East"}, ["Beta housing", "Old idea"]),
        ({"looking_for_partners": "yes"}, ["Alpha waste"]),
        ({"looking_for_partners": "no"}, ["Beta housing", "Old idea"]),
        ({"funding_band": "over_1m"}, ["Beta housing"]),
        ({"updated_within_days": "7"}, ["Beta housing"]),
        ({"updated_within_days": "30"}, ["Alpha waste", "Beta housing"]),
        ({"region": "South East", "looking_for_partners": "no", "stage": "idea"}, ["Old idea"]),
    ]
    for params, expected in cases:
        assert sorted(titles(client.get(URL, params))) == expected, params

    # A facet's counts ignore its own selection but honour the others'.
    response = client.get(URL, {"stage": "alpha", "region": "South East"})
    assert titles(response) == []
    assert facet_count(response, "stage", "beta") == 1  # region applied, stage not
    assert facet_count(response, "region", "Yorkshire and The Humber") == 1  # stage applied
    assert facet_count(response, "region", "South East") == 0


def test_unknown_filter_values_are_ignored_not_errors(client, council):
    factories.InitiativeFactory(lead_organisation=council, title="Anything")
    response = client.get(
        URL, {"stage": "nonsense", "updated_within_days": "abc", "sort": "sideways", "page": "x"}
    )
    assert response.status_code == 200
    assert titles(response) == ["Anything"]


# --- sorting and pagination -------------------------------------------------------------


def test_sorts(client, council):
    now = timezone.now()
    a = factories.InitiativeFactory(lead_organisation=council, title="A oldest created")
    b = factories.InitiativeFactory(lead_organisation=council, title="B most partners")
    c = factories.InitiativeFactory(lead_organisation=council, title="C newest created")
    Initiative.objects.filter(pk=a.pk).update(
        created_at=now - datetime.timedelta(days=30), updated_at=now, partner_count=2
    )
    Initiative.objects.filter(pk=b.pk).update(
        created_at=now - datetime.timedelta(days=20),
        updated_at=now - datetime.timedelta(days=5),
        partner_count=7,
    )
    Initiative.objects.filter(pk=c.pk).update(
        created_at=now - datetime.timedelta(days=1),
        updated_at=now - datetime.timedelta(days=1),
        partner_count=1,
    )
    assert titles(client.get(URL)) == ["A oldest created", "C newest created", "B most partners"]
    assert titles(client.get(URL, {"sort": "newest"}))[0] == "C newest created"
    assert titles(client.get(URL, {"sort": "updated"}))[0] == "A oldest created"
    assert titles(client.get(URL, {"sort": "partners"})) == [
        "B most partners",
        "A oldest created",
        "C newest created",
    ]
    # Relevance is offered only when searching.
    assert 'value="relevance"' not in client.get(URL).content.decode()
    assert 'value="relevance" selected' in client.get(URL, {"q": "created"}).content.decode()


def test_pagination_keeps_filters(client, council):
    for n in range(45):
        factories.InitiativeFactory(lead_organisation=council, title=f"Paged {n:02d}", stage="beta")
    first = client.get(URL, {"stage": "beta"})
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert 'class="govuk-pagination"' in html
    assert 'href="?stage=beta&amp;page=2" rel="next"' in html
    third = client.get(URL, {"stage": "beta", "page": 3})
    assert len(titles(third)) == 5
    assert 'aria-current="page">3<' in third.content.decode()
    assert not set(titles(first)) & set(titles(third))


# --- htmx and query counts --------------------------------------------------------------


def test_htmx_request_gets_the_results_partial_with_live_status(client, council):
    factories.InitiativeFactory(lead_organisation=council, title="Partial please")
    response = client.get(URL, {"q": "partial"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Partial please" in html
    assert 'hx-swap-oob="true"' in html and "1 initiative found" in html
    assert "HX-Request" in response["Vary"]
    full = client.get(URL, {"q": "partial"}).content.decode()
    assert "<html" in full and 'hx-get="/initiatives/"' in full and 'hx-push-url="true"' in full
    # Back button after hx-push-url: htmx asks for the whole page again.
    restored = client.get(
        URL, {"q": "partial"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restored.content.decode()


@pytest.mark.parametrize("count", [5, 60])
def test_catalogue_query_count_does_not_grow(
    client_for, officer, council, count, django_assert_max_num_queries
):
    areas = [factories.service_area(slug) for slug in ("waste", "housing", "planning")]
    for n in range(count):
        factories.InitiativeFactory(
            lead_organisation=council if n % 2 else factories.OrganisationFactory(),
            title=f"Initiative {n}",
            service_areas=areas[: 1 + n % 3],
        )
    client = client_for(officer)
    # 17: session, user, membership; COUNT for the paginator; facets (one
    # aggregate each): service-area counts + the taxonomy list, stage,
    # collaboration level, lead council, lead type, lead region, partner
    # council, looking for partners, funding band, updated-since; then the
    # page of rows (lead joined) and one prefetch of their service areas.
    with django_assert_max_num_queries(17):
        response = client.get(URL, {"q": "initiative", "sort": "partners"})
    assert response.status_code == 200
    assert len(titles(response)) == min(count, 20)
