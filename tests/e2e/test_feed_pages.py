"""Browser tests for the activity feeds: the dashboard's, an initiative
page's and a council page's "Recent activity", and a full feed page with
GOV.UK pagination; axe-core (with the CSP, layout-shift and 320 px reflow
checks of the ``axe`` fixture) finds nothing on any of them, and a keyboard
user reaches "See all activity" and the next page."""

import re

import pytest

from councils.models import Membership
from initiatives.services import discussion
from tests import factories
from tests.e2e.browsing import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_initiative(council, officer, other_council):
    initiative = factories.make_initiative(
        council, title="Garden waste renewals", slug="garden-waste"
    )
    commenter = factories.member_of(other_council, Membership.Role.MEMBER)
    for number in range(27):
        discussion.post_update(
            initiative=initiative, by=officer, title=f"Progress report {number}", body="Done."
        )
    discussion.post_comment(initiative=initiative, by=commenter, body="Looks good")
    return initiative


def test_feeds_are_accessible_and_keyboard_usable(page, axe, officer, council, busy_initiative):
    sign_in(page, officer)
    page.goto("/")
    check(page, axe)
    assert page.locator("#dashboard-activity + .app-feed .app-feed__item").count() == 8

    page.goto(busy_initiative.get_absolute_url())
    check(page, axe)
    link = page.get_by_role("link", name="See all activity on Garden waste renewals")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/activity/initiatives/garden-waste/$"))
    check(page, axe)
    assert page.locator(".app-feed__item").count() == 25
    page.get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))
    check(page, axe)
    assert page.locator(".app-feed__item").count() == 3

    page.goto(council.get_absolute_url())
    check(page, axe)
    assert page.locator("#council-activity + .app-feed .app-feed__item").count() == 8


def test_anonymous_visitors_see_a_public_feed_without_names(page, axe, officer, busy_initiative):
    page.goto(busy_initiative.get_absolute_url())
    check(page, axe)
    feed = page.locator("#initiative-activity + .app-feed").inner_text()
    assert "An officer at Leedsham" in feed
    assert officer.full_name not in page.content()
