"""Partner matching through the pages: suggested partners on an initiative
(ranked by what councils have in common, never by distance; seen only by
those who may invite), inviting from a suggestion, "initiatives for you" on
the dashboard, and the query bounds with few and many councils."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Membership, SystemInUse
from initiatives.models import Partnership
from initiatives.selectors.matching import initiatives_for, suggested_partners
from tests import factories

# Leedsham (the lead) sits at Leeds; the neighbour next door, Farshire at Truro.
LEEDS = (Decimal("53.800755"), Decimal("-1.549077"))
NEXT_DOOR = (Decimal("53.745671"), Decimal("-1.605000"))
TRURO = (Decimal("50.263195"), Decimal("-5.051041"))


@pytest.fixture
def revenues(db):
    return factories.service_area("revenues-and-benefits")


@pytest.fixture
def user_research(db):
    return factories.skill("user-research")


@pytest.fixture
def lead(council, revenues):
    council.latitude, council.longitude = LEEDS
    council.save()
    factories.SystemInUseFactory(
        organisation=council,
        service_area=revenues,
        supplier="Civica",
        product="OpenRevenues",
        contract_end_date=date(2027, 3, 31),
    )
    return council


@pytest.fixture
def initiative(lead, revenues, user_research):
    return factories.InitiativeFactory(
        lead_organisation=lead,
        title="Shared revenues platform",
        service_areas=[revenues],
        skills_needed=[user_research],
        looking_for_partners=True,
    )


@pytest.fixture
def neighbour(db):
    """Next door, same type and size as the lead, and nothing else in common."""
    lat, lon = NEXT_DOOR
    return factories.OrganisationFactory(name="Nextdoor", latitude=lat, longitude=lon)


@pytest.fixture
def farshire(revenues, user_research):
    """Four hundred miles away, and a great deal in common."""
    lat, lon = TRURO
    org = factories.OrganisationFactory(
        name="Farshire", latitude=lat, longitude=lon, authority_type="Unitary authority"
    )
    factories.SystemInUseFactory(
        organisation=org,
        service_area=revenues,
        supplier="CIVICA UK Ltd",
        product="OpenRevenues",
        contract_end_date=date(2027, 9, 30),
    )
    factories.NeedFactory(organisation=org, service_area=revenues)
    factories.SkillOfferFactory(organisation=org, skill=user_research)
    factories.member_of(org, Membership.Role.ADMIN, email="admin@farshire.gov.uk")
    return org


def suggestion_names(initiative, user):
    return [row.organisation.name for row in suggested_partners(initiative=initiative, user=user)]


def test_a_distant_council_with_more_in_common_ranks_above_a_neighbour(
    initiative, neighbour, farshire, council_admin
):
    rows = suggested_partners(initiative=initiative, user=council_admin)
    assert [r.organisation.name for r in rows] == ["Farshire", "Nextdoor"]
    far, near = rows
    assert far.match.score > near.match.score
    # Distance is shown, never scored: Truro is far further from Leeds.
    assert near.distance_km < 10 < 400 < far.distance_km
    assert "both they and Leedsham run OpenRevenues for revenues and benefits" in far.explanation
    assert (
        "their revenues and benefits contract and Leedsham's end within 5 months of each other"
    ) in far.explanation
    assert "they offer user research, which you need" in far.explanation
    assert far.explanation.startswith("They need help with revenues and benefits")
    assert near.explanation == (
        "They are a metropolitan district, as Leedsham is; they serve a population "
        "of a similar size to Leedsham's."
    )


def test_a_dismissed_system_never_counts_and_a_suggested_one_counts_less(
    initiative, farshire, council_admin
):
    system = farshire.systems.get()
    confirmed = suggested_partners(initiative=initiative, user=council_admin)[0]
    system.status = SystemInUse.Status.SUGGESTED
    system.save()
    suggested = suggested_partners(initiative=initiative, user=council_admin)[0]
    assert suggested.match.score < confirmed.match.score
    assert "(from a published contract, not yet confirmed)" in suggested.explanation
    system.status = SystemInUse.Status.DISMISSED
    system.save()
    dismissed = suggested_partners(initiative=initiative, user=council_admin)[0]
    assert "OpenRevenues" not in dismissed.explanation


def test_only_the_leads_admins_see_suggestions(
    client_for, initiative, farshire, council_admin, officer, outsider
):
    page = initiative.get_absolute_url()
    html = client_for(council_admin).get(page).content.decode()
    assert "Suggested partners" in html and "Farshire" in html
    assert "About 4" in html  # "About 4xx km from Leedsham"
    for user in (officer, outsider):
        assert "Suggested partners" not in client_for(user).get(page).content.decode()
    assert suggestion_names(initiative, officer) == []


def test_members_and_invitees_are_not_suggested(initiative, farshire, neighbour, council_admin):
    factories.PartnershipFactory(initiative=initiative, organisation=neighbour, status="invited")
    assert suggestion_names(initiative, council_admin) == ["Farshire"]


def test_inviting_a_suggested_council_creates_the_invitation_and_tells_its_admins(
    client_for, initiative, farshire, neighbour, council_admin, django_capture_on_commit_callbacks
):
    client = client_for(council_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("initiatives:invite_partner", kwargs={"slug": initiative.slug}),
            {"organisation": farshire.slug},
            follow=True,
        )
    assert response.status_code == 200
    assert "You invited Farshire. Its admins have been told." in response.content.decode()
    invited = Partnership.objects.get(initiative=initiative, organisation=farshire)
    assert invited.status == Partnership.Status.INVITED
    assert any("admin@farshire.gov.uk" in m.to for m in mail.outbox)
    # Now invited, Farshire leaves the suggestions.
    assert suggestion_names(initiative, council_admin) == ["Nextdoor"]


def test_initiatives_for_a_council_are_ranked_with_explanations(
    client_for, initiative, farshire, lead, revenues
):
    # A second initiative Farshire has less in common with: type and size only.
    other = factories.OrganisationFactory(name="Otherplace", authority_type="Unitary authority")
    factories.InitiativeFactory(
        lead_organisation=other,
        title="Shared revenues chatbot",
        service_areas=[revenues],
        looking_for_partners=True,
    )
    factories.InitiativeFactory(
        lead_organisation=other,
        title="Not looking",
        service_areas=[revenues],
        looking_for_partners=False,
    )
    admin = farshire.memberships.get().user
    rows = initiatives_for(admin)
    assert [r.initiative.title for r in rows] == [
        "Shared revenues platform",
        "Shared revenues chatbot",
    ]
    assert "you offer user research, which it needs" in rows[0].explanation
    html = client_for(admin).get("/").content.decode()
    assert "Initiatives for you" in html
    assert html.index("Shared revenues platform") < html.index("Shared revenues chatbot")
    assert "Not looking" not in html


def _add_candidates(revenues, user_research, start, n):
    for i in range(start, start + n):
        org = factories.OrganisationFactory(name=f"Candidate {i:03d}")
        factories.SystemInUseFactory(
            organisation=org, service_area=revenues, supplier="Civica", product="OpenRevenues"
        )
        factories.NeedFactory(organisation=org, service_area=revenues)
        factories.SkillOfferFactory(organisation=org, skill=user_research)


def _queries_for(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    return len(ctx.captured_queries), html


def test_initiative_page_query_count_does_not_grow_with_councils(
    client_for, initiative, council_admin, revenues, user_research
):
    client = client_for(council_admin)
    url = initiative.get_absolute_url()
    client.get(url)  # the session, as a signed-in admin's next page load
    _add_candidates(revenues, user_research, 0, 1)
    few, html = _queries_for(client, url)
    assert html.count('class="app-suggestion"') == 1
    _add_candidates(revenues, user_research, 1, 30)
    many, html = _queries_for(client, url)
    assert html.count('class="app-suggestion"') == 10  # the ten best
    assert many == few


def test_dashboard_query_count_does_not_grow_with_initiatives(
    client_for, farshire, revenues, user_research
):
    admin = farshire.memberships.get().user
    client = client_for(admin)
    client.get("/")

    def add(start, n):
        for i in range(start, start + n):
            lead = factories.OrganisationFactory(name=f"Lead {i:03d}")
            factories.SystemInUseFactory(
                organisation=lead, service_area=revenues, supplier="Civica", product="OpenRevenues"
            )
            factories.InitiativeFactory(
                lead_organisation=lead,
                title=f"Revenues idea {i:03d}",
                service_areas=[revenues],
                skills_needed=[user_research],
                looking_for_partners=True,
            )

    add(0, 1)
    few, html = _queries_for(client, "/")
    assert "Revenues idea 000" in html
    add(1, 20)
    many, html = _queries_for(client, "/")
    assert html.count("Revenues idea") == 5
    assert many == few
