"""Where an officer starts looking for their council's initiatives (issue 8):
the dashboard's "See all" links and a council page's "Initiatives led" and
"Taking part in" sections. Both count and list only what the viewer may see,
with the catalogue's own filters, so the number on a link is the number the
catalogue then shows; both cost the same whatever the data."""

import pytest
from django.test import Client

from councils.models import Organisation
from tests import factories

from .support.councils import arrange
from .support.initiative import result_titles

pytestmark = pytest.mark.django_db

COUNCIL_PAGE = "/councils/leedsham/"


@pytest.fixture
def world(council, other_council):
    return arrange(council, other_council)


def section(html: str, heading: str) -> str:
    """The council page's text from ``heading`` to the next heading."""
    start = html.index(f">{heading}</h3>")
    end = min(i for i in (html.find("<h3", start), html.find("<h2", start)) if i != -1)
    return html[start:end]


# --- dashboard --------------------------------------------------------------------------


def test_dashboard_links_to_all_the_councils_initiatives(client_for, world, officer):
    client = client_for(officer)
    html = client.get("/").content.decode()
    assert (
        '<a class="govuk-link" href="/initiatives/?lead=leedsham">'
        "See all 4 initiatives led by Leedsham</a>"
    ) in html
    assert (
        '<a class="govuk-link" href="/initiatives/?partner=leedsham">'
        "See all 3 initiatives Leedsham takes part in</a>"
    ) in html
    # The catalogue then shows exactly those.
    led = client.get("/initiatives/", {"lead": "leedsham"})
    assert len(result_titles(led)) == 4 and "4 initiatives" in led.content.decode()
    partner = client.get("/initiatives/", {"partner": "leedsham"})
    assert len(result_titles(partner)) == 3 and "3 initiatives" in partner.content.decode()


def test_dashboard_has_no_see_all_links_for_a_council_with_no_initiatives(client_for, outsider):
    html = client_for(outsider).get("/").content.decode()
    assert "See all" not in html
    assert "does not take part in any initiatives yet" in html


def test_dashboard_counts_only_what_the_officer_sees(client_for, world, other_council):
    # Otherton's officer: all eight it leads (its draft included); it takes
    # part in nothing.
    html = client_for(factories.member_of(other_council)).get("/").content.decode()
    assert "See all 8 initiatives led by Otherton" in html
    assert "takes part in" not in html


@pytest.mark.parametrize("n", [1, 15])
def test_dashboard_query_count_with_see_all_is_bounded(
    client_for, officer, council, other_council, n, django_assert_max_num_queries
):
    for i in range(n):
        factories.InitiativeFactory(lead_organisation=council, title=f"Ours {i}")
        joined = factories.InitiativeFactory(lead_organisation=other_council, title=f"Theirs {i}")
        factories.PartnershipFactory(initiative=joined, organisation=council, status="active")
    client = client_for(officer)
    # session, user, membership; the council's initiatives (5 at most); both
    # "See all" counts (one aggregate); "initiatives for you" (a fixed set of
    # reads in selectors.matching.initiatives_for, whatever the data: see
    # tests/initiatives/test_initiative_dashboard.py); the activity feed
    # (one query: no activity here, so no lines to resolve; see
    # tests/notifications/test_feeds.py for a feed with lines).
    with django_assert_max_num_queries(15):
        html = client.get("/").content.decode()
    assert f"See all {n} initiative{'s' if n > 1 else ''} led by Leedsham" in html


# --- council page -----------------------------------------------------------------------


def test_council_page_lists_what_it_leads_and_takes_part_in_for_anonymous(world):
    html = Client().get(COUNCIL_PAGE).content.decode()
    led = section(html, "Initiatives led")
    assert "Leedsham public pilot" in led
    for hidden in ("platform", "partners", "draft"):
        assert f"Leedsham {hidden} pilot" not in html
    assert 'href="/initiatives/?lead=leedsham">See all 1 initiative led by Leedsham</a>' in led
    taking_part = section(html, "Taking part in")
    assert "Parking permits" in taking_part and "led by Otherton" in taking_part
    assert (
        'href="/initiatives/?partner=leedsham">See all 1 initiative Leedsham takes part in</a>'
    ) in taking_part
    for title in ("Shared HR service", "Otherton partners pilot", "Library app", "Old idea"):
        assert title not in html


def test_council_page_shows_its_own_members_everything_and_others_never_its_drafts(
    client_for, world, officer, outsider
):
    own = client_for(officer).get(COUNCIL_PAGE).content.decode()
    for vis in ("public", "platform", "partners", "draft"):
        assert f"Leedsham {vis} pilot" in section(own, "Initiatives led")
    assert "See all 4 initiatives led by Leedsham" in own
    taking_part = section(own, "Taking part in")
    for title in ("Parking permits", "Shared HR service", "Otherton partners pilot"):
        assert title in taking_part
    for title in ("Library app", "Street lighting", "Old idea", "Declined plan"):
        assert title not in taking_part

    other = client_for(outsider).get(COUNCIL_PAGE).content.decode()
    assert "Leedsham draft pilot" not in other and "Leedsham partners pilot" not in other
    assert "See all 2 initiatives led by Leedsham" in other
    # Otherton leads these, so its admin sees them where Leedsham takes part.
    assert "Otherton partners pilot" in section(other, "Taking part in")


def test_council_page_shows_the_first_few_and_see_all_counts_the_rest(council):
    for n in range(7):
        factories.InitiativeFactory(lead_organisation=council, title=f"Numbered {n}")
    html = Client().get(COUNCIL_PAGE).content.decode()
    led = section(html, "Initiatives led")
    assert led.count("<li>") == 5
    assert "See all 7 initiatives led by Leedsham" in led
    # The most recently updated first, as the catalogue lists them.
    assert "Numbered 6" in led and "Numbered 0" not in led


def test_council_page_without_initiatives_says_so(client_for, outsider, council):
    html = client_for(outsider).get(COUNCIL_PAGE).content.decode()
    assert "Leedsham does not lead any initiatives that you can see." in html
    assert "Leedsham is not a committed partner in any initiatives that you can see." in html
    assert "See all" not in html


def test_a_registered_councils_page_still_404s_for_others_and_lists_for_staff(
    client_for, staff, outsider
):
    registered = factories.OrganisationFactory(
        name="Notyet", slug="notyet", status=Organisation.Status.REGISTERED
    )
    factories.InitiativeFactory(lead_organisation=registered, title="Imported idea")
    assert client_for(outsider).get("/councils/notyet/").status_code == 404
    html = client_for(staff).get("/councils/notyet/").content.decode()
    assert "Imported idea" in section(html, "Initiatives led")


@pytest.mark.parametrize("rows", [3, 30])
def test_council_page_query_count_does_not_grow(
    client_for, outsider, council, other_council, rows, django_assert_max_num_queries
):
    for n in range(rows):
        factories.InitiativeFactory(lead_organisation=council, title=f"Led {n}")
        joined = factories.InitiativeFactory(lead_organisation=other_council, title=f"Joined {n}")
        factories.PartnershipFactory(initiative=joined, organisation=council, status="committed")
    client = client_for(outsider)
    # session, user, the viewer's membership, their two-factor enrolment, the
    # organisation, systems, needs, skills offered, members; then the
    # initiatives section: both counts (one aggregate) and the first few led
    # and taken part in (lead joined), one query each; the activity section
    # (one query: nothing to resolve, see tests/notifications/test_feeds.py).
    with django_assert_max_num_queries(13):
        response = client.get(COUNCIL_PAGE)
    assert response.status_code == 200
    assert f"See all {rows} initiatives led by Leedsham" in response.content.decode()
