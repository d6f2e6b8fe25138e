"""Feeds: the dashboard's, an initiative page's and a council page's recent
activity, and their "See all activity" pages. Each shows only what the viewer
may see *now* (through what the activity is about), names people only to
those who may see names, links to the thing, and runs a fixed number of
queries whatever the number of lines."""

import re

import pytest
from django.test import Client

from councils.models import Membership
from initiatives.models import Follow, Initiative, Partnership
from initiatives.services import discussion, partnerships
from initiatives.services import initiative as initiative_services
from notifications.models import Activity
from notifications.selectors.feeds import PAGE_SIZE, SECTION_SIZE
from swot.services import workshops
from tests import factories
from tests.initiatives.support.partnerships import add_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def led(council):
    """An initiative ``council`` leads (public)."""
    return factories.make_initiative(council, title="Leedsham waste rounds", slug="led")


@pytest.fixture
def third_council(db):
    return factories.OrganisationFactory(name="Thirdshire", slug="thirdshire")


@pytest.fixture
def third_officer(third_council):
    return factories.member_of(third_council, Membership.Role.MEMBER)


@pytest.fixture
def elsewhere(third_council):
    """A public initiative nobody at ``council`` has anything to do with."""
    return factories.make_initiative(third_council, title="Thirdshire parking", slug="elsewhere")


def _update(initiative, by, title):
    return discussion.post_update(initiative=initiative, by=by, title=title, body="Progress.")


def _lines(response) -> list[str]:
    """The feed lines' text, in order (tags stripped)."""
    html = response.content.decode()
    return [
        re.sub(r" ([:,.)])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", item).split()))
        for item in re.findall(r'<li class="app-feed__item">(.*?)</li>', html, flags=re.S)
    ]


# --- the dashboard --------------------------------------------------------------------


def test_dashboard_shows_the_councils_initiatives_follows_and_council(
    client_for, officer, council, led, elsewhere, third_council, third_officer, other_council
):
    partnered = factories.make_initiative(third_council, title="Thirdshire tax", slug="partnered")
    add_partnership(partnered, council, status=Partnership.Status.COMMITTED)
    followed = factories.make_initiative(other_council, title="Otherton bins", slug="followed")
    Follow.objects.create(user=officer, initiative=followed)
    other_officer = factories.member_of(other_council, Membership.Role.MEMBER)

    _update(led, officer, "Led news")
    _update(partnered, third_officer, "Partnered news")
    _update(followed, other_officer, "Followed news")
    _update(elsewhere, third_officer, "Unrelated news")
    workshops.create_workshop(
        by=factories.member_of(council, Membership.Role.FACILITATOR), title="Our own workshop"
    )

    response = client_for(officer).get("/")
    lines = " | ".join(_lines(response))
    for title in ("Led news", "Partnered news", "Followed news"):
        assert title in lines
    assert "Unrelated news" not in lines
    # A workshop the officer is not invited to stays hidden, even their own council's.
    assert "Our own workshop" not in lines
    assert 'href="/activity/"' in response.content.decode()


def test_dashboard_lines_name_the_actor_and_their_council_and_link_the_thing(
    client_for, officer, council, led, other_council
):
    commenter = factories.member_of(other_council, Membership.Role.MEMBER)
    discussion.post_comment(initiative=led, by=commenter, body="Interesting")
    response = client_for(officer).get("/")
    html = response.content.decode()
    (line,) = _lines(response)
    assert f"{commenter.full_name} (Otherton) commented on the discussion" in line
    assert f'href="{led.get_absolute_url()}"' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">', html)


def test_dashboard_without_a_membership_has_no_feed(client_for):
    loner = factories.UserFactory()
    response = client_for(loner).get("/")
    assert response.status_code == 200
    assert "app-feed" not in response.content.decode()
    assert client_for(loner).get("/activity/").status_code == 200


def test_the_full_dashboard_feed_needs_signing_in():
    response = Client().get("/activity/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- an initiative page ---------------------------------------------------------------


def test_initiative_page_shows_its_recent_activity_and_links_to_all(
    client_for, officer, led, elsewhere, third_officer
):
    for number in range(SECTION_SIZE + 2):
        _update(led, officer, f"Led report {number}")
    _update(elsewhere, third_officer, "Unrelated news")
    response = client_for(officer).get(led.get_absolute_url())
    lines = _lines(response)
    assert len(lines) == SECTION_SIZE
    assert f"Led report {SECTION_SIZE + 1}" in lines[0]  # newest first
    assert not any("Unrelated" in line for line in lines)
    assert f'href="/activity/initiatives/{led.slug}/"' in response.content.decode()


def test_anonymous_visitors_see_public_activity_without_names(officer, led, other_council):
    commenter = factories.member_of(other_council, Membership.Role.MEMBER)
    discussion.post_comment(initiative=led, by=commenter, body="Interesting")
    _update(led, officer, "Led news")
    # An older row whose summary still named the commenter (before summaries
    # were made name-free): the feed words that verb itself.
    Activity.objects.filter(verb="comment.posted").update(
        summary=f"{commenter.display_name} (Otherton) commented"
    )
    for url in (led.get_absolute_url(), f"/activity/initiatives/{led.slug}/"):
        response = Client().get(url)
        html = response.content.decode()
        lines = " | ".join(_lines(response))
        assert "An officer at Otherton commented on the discussion" in lines
        assert "An officer at Leedsham" in lines and "Led news" in lines
        for person in (commenter, officer):
            assert person.full_name not in html
            assert person.display_name not in lines


def test_signed_in_people_without_a_membership_see_no_names(client_for, officer, led):
    _update(led, officer, "Led news")
    response = client_for(factories.UserFactory()).get(led.get_absolute_url())
    assert officer.full_name not in response.content.decode()
    assert "An officer at Leedsham" in " ".join(_lines(response))


def test_full_initiative_feed_paginates_25_and_shows_the_last_page_when_out_of_range(
    client_for, officer, led
):
    for number in range(PAGE_SIZE + 5):
        _update(led, officer, f"Report {number}")
    client = client_for(officer)
    url = f"/activity/initiatives/{led.slug}/"
    first = client.get(url)
    assert len(_lines(first)) == PAGE_SIZE
    assert 'class="govuk-pagination"' in first.content.decode()
    assert "Report 29" in _lines(first)[0]
    second = client.get(url, {"page": 2})
    assert len(_lines(second)) == 5
    assert "Report 0" in _lines(second)[-1]
    # As the catalogue (Paginator.get_page): past the end is the last page,
    # not a number is the first.
    assert _lines(client.get(url, {"page": 99})) == _lines(second)
    assert _lines(client.get(url, {"page": "x"})) == _lines(first)


def test_full_initiative_feed_is_404_for_those_who_may_not_see_it(client_for, council, outsider):
    draft = factories.make_initiative(council, slug="secret", visibility="draft")
    assert client_for(outsider).get(f"/activity/initiatives/{draft.slug}/").status_code == 404
    assert Client().get("/activity/initiatives/no-such-thing/").status_code == 404


# --- a council page -------------------------------------------------------------------


def test_council_page_shows_what_the_council_did_and_its_initiatives(
    client_for, outsider, council, council_admin, led, elsewhere, third_officer, officer
):
    pending = Membership.objects.create(
        user=factories.UserFactory(email="new.starter@leedsham.gov.uk"),
        organisation=council,
        status=Membership.Status.PENDING,
    )
    from councils.services.people import approve_membership

    approve_membership(organisation=council, pk=pending.pk, by=council_admin)
    _update(led, officer, "Led news")
    _update(elsewhere, third_officer, "Unrelated news")
    response = client_for(outsider).get(council.get_absolute_url())
    lines = " | ".join(_lines(response))
    assert "(Leedsham) approved a new member" in lines
    assert "Led news" in lines
    assert "Unrelated news" not in lines
    assert "new.starter" not in response.content.decode()
    assert f'href="/activity/councils/{council.slug}/"' in response.content.decode()
    full = client_for(outsider).get(f"/activity/councils/{council.slug}/")
    assert full.status_code == 200
    assert "Led news" in " ".join(_lines(full))


# --- visibility is decided when read --------------------------------------------------


@pytest.mark.parametrize(
    "visibility", [Initiative.Visibility.DRAFT, Initiative.Visibility.PARTNERS]
)
def test_an_initiative_made_private_later_disappears_from_an_outsiders_feeds(
    client_for, officer, outsider, council, led, visibility
):
    Follow.objects.create(user=outsider, initiative=led)
    _update(led, officer, "Once public news")
    client = client_for(outsider)
    assert "Once public news" in " ".join(_lines(client.get("/")))
    assert "Once public news" in " ".join(_lines(client.get(council.get_absolute_url())))

    Initiative.objects.filter(pk=led.pk).update(visibility=visibility)

    for url in (
        "/",
        "/activity/",
        council.get_absolute_url(),
        f"/activity/councils/{council.slug}/",
    ):
        response = client.get(url)
        assert "Once public news" not in response.content.decode()
        assert "Leedsham waste rounds" not in response.content.decode()
    assert client.get(f"/activity/initiatives/{led.slug}/").status_code == 404
    # The lead still sees it.
    assert "Once public news" in " ".join(_lines(client_for(officer).get("/")))


def test_workshop_activity_reaches_participants_only(
    client_for, facilitator, officer, outsider, council
):
    workshop = workshops.create_workshop(by=facilitator, title="Invite-only SWOT")
    for person in (officer, outsider):
        # Neither invited: not on the dashboard, not on the council's page.
        client = client_for(person)
        for url in ("/", "/activity/", council.get_absolute_url()):
            assert "Invite-only SWOT" not in client.get(url).content.decode()
    from tests.swot.results_setup import place

    workshops.invite_users(workshop=workshop, by=place(workshop, facilitator), users=[officer])
    dashboard = client_for(officer).get("/")
    assert "Invite-only SWOT" in " ".join(_lines(dashboard))
    assert f'href="/workshops/{workshop.pk}/"' in dashboard.content.decode()
    assert (
        "Invite-only SWOT"
        not in client_for(outsider).get(council.get_absolute_url()).content.decode()
    )


# --- query counts ---------------------------------------------------------------------


def _arrange_rows(count, *, officer, council, led, other_council):
    """``count`` lines of each kind the feeds resolve: updates and comments
    (initiative targets, actors from two councils), and a workshop."""
    commenter = factories.member_of(other_council, Membership.Role.MEMBER)
    for number in range(count):
        initiative = factories.make_initiative(council, title=f"Initiative {number}")
        _update(initiative, officer, f"Report {number}")
        discussion.post_comment(initiative=led, by=commenter, body=f"Comment {number}")
        partner = factories.OrganisationFactory()
        partnerships.express_interest(
            initiative=initiative,
            organisation=partner,
            by=factories.member_of(partner, Membership.Role.MEMBER),
        )
    host = factories.member_of(council, Membership.Role.FACILITATOR)
    workshop = workshops.create_workshop(by=host, title=f"Feed workshop {count}")
    from tests.swot.results_setup import place

    workshops.invite_users(workshop=workshop, by=place(workshop, host), users=[officer])


@pytest.mark.parametrize(
    ("url_of", "limit"),
    [
        # Session, user, membership; the dashboard's own (its initiatives: 3,
        # the people waiting: none for an officer; "initiatives for you", a
        # fixed set of reads: tests/matching/test_suggestions.py); then the
        # feed: the activities (1, visibility in subqueries), their
        # initiatives (1), workshops (1) and the actors' memberships (1).
        (lambda council, led: "/", 16),
        # Session, user, membership, the count and the page of activities,
        # then initiatives, workshops, actors' memberships.
        (lambda council, led: "/activity/", 8),
        # ... plus the initiative (or council) the page is about.
        (lambda council, led: f"/activity/initiatives/{led.slug}/", 9),
        (lambda council, led: f"/activity/councils/{council.slug}/", 9),
    ],
)
def test_feed_queries_do_not_grow_with_rows(
    client_for,
    django_assert_max_num_queries,
    officer,
    council,
    led,
    other_council,
    url_of,
    limit,
):
    client = client_for(officer)
    url = url_of(council, led)
    counts = []
    for rows in (3, 12):
        _arrange_rows(rows, officer=officer, council=council, led=led, other_council=other_council)
        with django_assert_max_num_queries(limit) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert _lines(response)
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("page", "limit"),
    [
        # The initiative page's own queries (see
        # tests/initiatives/test_initiative_pages.py), then its feed: the
        # activities, their initiatives and the actors' memberships.
        ("initiative", 20),
        # The council page's own (tests/directory/test_detail.py) and its
        # initiatives section, then the feed: activities, initiatives,
        # workshops (the council's workshop the officer is invited to) and
        # the actors' memberships.
        ("council", 14),
    ],
)
def test_initiative_and_council_page_feeds_add_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, officer, council, led, other_council, page, limit
):
    client = client_for(officer)
    url = led.get_absolute_url() if page == "initiative" else council.get_absolute_url()
    counts = []
    for rows in (3, 12):
        _arrange_rows(rows, officer=officer, council=council, led=led, other_council=other_council)
        with django_assert_max_num_queries(limit) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert _lines(response)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_feed_selector_can_be_created_by_services_end_to_end(officer, council):
    """A sanity check that create_initiative's activity reaches the lead's dashboard feed."""
    from notifications.selectors.feeds import dashboard_feed

    created = initiative_services.create_initiative(
        by=officer,
        organisation=council,
        title="Joint council tax portal",
        summary="One portal.",
        service_areas=[factories.service_area()],
    )
    assert dashboard_feed(officer).filter(target_id=created.pk, verb="initiative.created").exists()
