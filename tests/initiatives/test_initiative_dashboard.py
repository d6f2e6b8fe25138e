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
    # (one aggregate); the suggestions (needs as a subquery, 5 at most).
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("Fits us") == min(n, 5)
