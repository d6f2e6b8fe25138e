"""The dashboard's Initiatives section (selectors.initiatives_for_dashboard)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _arrange(council, other_council, n: int):
    waste = factories.service_area("waste")
    factories.NeedFactory(organisation=council, service_area=waste)
    for i in range(n):
        factories.InitiativeFactory(lead_organisation=council, title=f"Ours {i}")
        joined = factories.InitiativeFactory(lead_organisation=other_council, title=f"Joined {i}")
        factories.PartnershipFactory(initiative=joined, organisation=council, status="committed")
        factories.InitiativeFactory(
            lead_organisation=other_council, title=f"Fits us {i}", service_areas=[waste]
        )
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Fits but a draft",
        service_areas=[waste],
        visibility="draft",
    )
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Fits but not recruiting",
        service_areas=[waste],
        looking_for_partners=False,
    )
    factories.InitiativeFactory(lead_organisation=other_council, title="Other area")


def test_dashboard_lists_mine_and_suggestions(client_for, officer, council, other_council):
    _arrange(council, other_council, 1)
    html = client_for(officer).get("/").content.decode()
    assert "Your council&#x27;s initiatives" in html or "Your council's initiatives" in html
    assert "Ours 0" in html and "Joined 0" in html
    assert "Fits us 0" in html
    for absent in ("Fits but a draft", "Fits but not recruiting", "Other area"):
        assert absent not in html


@pytest.mark.parametrize("n", [2, 12])
def test_dashboard_query_count_is_bounded(
    client_for, officer, council, other_council, n, django_assert_max_num_queries
):
    _arrange(council, other_council, n)
    client = client_for(officer)
    # session, user, membership; (admins only: pending people); the
    # council's initiatives (5 at most, lead joined); the "See all" counts
    # (one aggregate); the needed service areas' names; "initiatives for
    # you" (selectors.matching.initiatives_for: the council's systems, needs
    # and skills, the initiatives sharing an area or skill, their areas,
    # skills, teams, team organisations and team systems: 9 reads whatever
    # the data); the activity feed (one query: no activity here, see
    # tests/notifications/test_feeds.py for lines).
    with django_assert_max_num_queries(15):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("Fits us") == min(n, 5)


def _item(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[start : html.index("</li>", start)]


def test_each_initiative_shows_the_councils_real_status_and_drafts_are_marked(
    client_for, officer, council, other_council
):
    for status in ("active", "committed", "interested", "invited"):
        initiative = factories.InitiativeFactory(
            lead_organisation=other_council, title=f"Theirs {status}"
        )
        factories.PartnershipFactory(initiative=initiative, organisation=council, status=status)
    factories.InitiativeFactory(lead_organisation=council, title="Our draft", visibility="draft")
    html = client_for(officer).get("/").content.decode()
    assert "Draft" in _item(html, "Our draft") and "Lead" in _item(html, "Our draft")
    assert "Draft" not in _item(html, "Theirs active")
    assert "Partner" in _item(html, "Theirs active")
    assert "Committed, waiting for the lead to accept" in _item(html, "Theirs committed")
    assert "Interested, waiting for the lead to reply" in _item(html, "Theirs interested")
    assert "Invited: your council has not replied yet" in _item(html, "Theirs invited")
    for status in ("committed", "interested", "invited"):
        assert "Partner ·" not in _item(html, f"Theirs {status}")


def test_empty_suggestions_say_why(client_for, officer, council, other_council):
    client = client_for(officer)
    html = client.get("/").content.decode()
    assert "Your council has not recorded what it needs" in html
    factories.NeedFactory(organisation=council, service_area=factories.service_area("waste"))
    html = client.get("/").content.decode()
    assert "has not recorded what it needs" not in html
    assert "Record what your council needs" not in html
    assert "No initiatives looking for partners in Waste" in html
