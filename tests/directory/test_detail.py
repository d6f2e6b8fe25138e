"""A council's page at /councils/<slug>/: register facts, profile, people."""

import pytest
from django.urls import reverse

from councils.models import Membership, Organisation
from tests import factories


def url(organisation) -> str:
    return reverse("councils:detail", kwargs={"slug": organisation.slug})


@pytest.fixture
def profiled(council):
    factories.SystemInUseFactory(
        organisation=council, supplier="Bartec", product="Collective", satisfaction=4
    )
    factories.NeedFactory(organisation=council, description="A shared waste round optimiser")
    factories.SkillOfferFactory(organisation=council, detail="Two researchers, two days a week")
    return council


def test_shows_register_facts_and_credit(client, council):
    council.website = "https://www.leedsham.gov.uk/"
    council.save()
    response = client.get(url(council))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for fact in (
        "Leedsham City Council",
        council.register_code,
        council.gss_code,
        "Metropolitan district",
        "England",
        "Yorkshire and The Humber",
        "250,000",
        'href="https://www.leedsham.gov.uk/"',
        "Active",
    ):
        assert fact in html
    assert "Contains data from mySociety (CC BY 4.0)" in html


def test_shows_the_profile(client, profiled):
    html = client.get(url(profiled)).content.decode()
    assert "Bartec Collective" in html
    assert "4 out of 5" in html
    assert "A shared waste round optimiser" in html
    assert "Two researchers, two days a week" in html


def test_anonymous_visitors_see_no_member_names(client, officer, council_admin, council):
    html = client.get(url(council)).content.decode()
    assert officer.full_name not in html
    assert council_admin.full_name not in html
    # How many, in which roles, instead of who.
    assert "1 officer<" in html and "1 council admin<" in html
    assert "names are shown only to members of organisations" in html


def test_signed_in_users_see_members_and_roles(client_for, officer, council_admin, outsider):
    council = Membership.objects.get(user=officer).organisation
    html = client_for(outsider).get(url(council)).content.decode()
    assert officer.full_name in html and "(Officer)" in html
    assert council_admin.full_name in html and "(Council admin)" in html


def test_pending_members_are_not_listed(client_for, council, outsider):
    pending = factories.UserFactory(full_name="Penny Pending")
    factories.MembershipFactory(
        user=pending, organisation=council, status=Membership.Status.PENDING
    )
    assert "Penny Pending" not in client_for(outsider).get(url(council)).content.decode()


def test_edit_link_only_for_own_members(client, client_for, officer, outsider, council):
    edit = reverse("councils:profile_edit", kwargs={"slug": council.slug})
    assert edit not in client.get(url(council)).content.decode()
    assert edit not in client_for(outsider).get(url(council)).content.decode()
    assert edit in client_for(officer).get(url(council)).content.decode()


def test_registered_organisation_is_404_except_for_staff(client, client_for, outsider, staff):
    registered = factories.OrganisationFactory(name="Notyet", status=Organisation.Status.REGISTERED)
    assert client.get(url(registered)).status_code == 404
    assert client_for(outsider).get(url(registered)).status_code == 404
    response = client_for(staff).get(url(registered))
    assert response.status_code == 200
    assert "has not joined the platform yet" in response.content.decode()


def test_ended_organisation_names_its_successor(client_for, staff, council):
    ended = factories.OrganisationFactory(
        name="Oldshire", status=Organisation.Status.ENDED, successor=council
    )
    html = client_for(staff).get(url(ended)).content.decode()
    assert "Succeeded by" in html and url(council) in html


def test_missing_slug_is_404(client, db):
    assert client.get("/councils/no-such-council/").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_detail_query_count_does_not_grow(
    client_for, outsider, council, django_assert_max_num_queries, rows
):
    factories.SystemInUseFactory.create_batch(rows, organisation=council)
    factories.NeedFactory.create_batch(rows, organisation=council)
    for index in range(rows):
        factories.SkillOfferFactory(organisation=council, skill=factories.skill(f"skill-{index}"))
        factories.member_of(council)
    client = client_for(outsider)
    # session, user, the viewer's membership (header and policies), their
    # two-factor enrolment (the outsider is an admin: privileged users are
    # checked on every request), the organisation, systems, needs and skills
    # offered (each with its taxonomy joined) and the members (users joined);
    # the initiatives section's counts (one aggregate: it leads and takes
    # part in none, so no list is fetched; see
    # tests/initiatives/test_council_sections.py for a council that does);
    # the activity section (one query; tests/notifications/test_feeds.py
    # has a council page with lines to resolve).
    with django_assert_max_num_queries(11):
        response = client.get(url(council))
    assert response.status_code == 200
    assert len(response.context["members"]) == rows


def test_website_is_linked_only_when_it_is_http(client, council):
    council.website = "javascript:alert(1)"
    council.save(update_fields=["website"])
    html = client.get(url(council)).content.decode()
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html  # shown as text, not a link


def test_needs_are_listed_most_urgent_first(client, council):
    for priority in ("low", "high", "medium"):
        factories.NeedFactory(
            organisation=council, priority=priority, description=f"{priority} need"
        )
    html = client.get(url(council)).content.decode()
    assert html.index("high need") < html.index("medium need") < html.index("low need")
