"""The live board in real browsers: a facilitator, officers of two councils
and a guest, each in a browser of their own. What one adds appears for the
others; votes and phase changes show live; focus and half-typed text
survive every update; the whole flow works from the keyboard; axe-core is
clean on the board in each phase.

pytest-django's ``live_server`` serves HTTP only (no websocket), so these
tests run the polling fallback, as a browser behind a proxy that drops
websocket upgrades would. The websocket tests at the bottom need the board's
consumer (``swot.consumers``) and a Daphne server; they are skipped until
the consumer is there.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from playwright.sync_api import expect

from councils.models import Membership
from swot.models import Participant
from swot.selectors.workshops import GUEST_SESSION_KEY
from swot.services import board, workshops
from tests import factories

pytestmark = pytest.mark.browser

LIVE_TIMEOUT = 10_000  # ms: two polls and a fragment fetch, with room to spare
SCREENSHOTS = os.environ.get("BOARD_SCREENSHOTS", "")


def _participant(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


def _do(workshop, user, kind, **args):
    return board.perform(
        workshop_id=workshop.pk, participant=_participant(workshop, user), kind=kind, args=args
    )


def _sign_in_by_cookie(page, user, base_url):
    """Sign in by session cookie (the sign-in form has browser tests of its own)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def _guest_session(page, workshop, facilitator, base_url, name="Gina Guest"):
    code = workshops.set_guest_link(
        workshop=workshop, by=_participant(workshop, facilitator), enabled=True
    )
    _, token = workshops.join_as_guest(workshop_id=workshop.pk, code=code, name=name)
    session = SessionStore()
    session[GUEST_SESSION_KEY] = {str(workshop.pk): token}
    session.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}]
    )


@pytest.fixture
def colleague(other_council):
    return factories.member_of(
        other_council, Membership.Role.MEMBER, email="carla.colleague@otherton.gov.uk"
    )


@pytest.fixture
def workshop(facilitator, officer, colleague):
    ws = workshops.create_workshop(
        by=facilitator, title="Waste collaboration", template="readiness"
    )
    workshops.invite_users(
        workshop=ws, by=_participant(ws, facilitator), users=[officer, colleague]
    )
    _do(ws, facilitator, "phase.set", phase="brainstorm")
    return ws


@pytest.fixture
def room(page, new_page, live_server, workshop, facilitator, officer, colleague):
    """Everyone on the board, each in their own browser."""
    people = {"facilitator": page, "officer": new_page(), "colleague": new_page()}
    users = {"facilitator": facilitator, "officer": officer, "colleague": colleague}
    for name, user in users.items():
        _sign_in_by_cookie(people[name], user, live_server.url)
    people["guest"] = new_page()
    _guest_session(people["guest"], workshop, facilitator, live_server.url)
    board_url = f"/workshops/{workshop.pk}/board/"
    for tab in people.values():
        tab.goto(board_url)
        expect(tab.locator("#board-connection")).to_contain_text("Live", timeout=LIVE_TIMEOUT)
    return people


def _item(tab, text):
    return tab.locator(".app-item__text", has_text=text)


def _add_item(tab, quadrant, text):
    tab.locator("#add-quadrant").select_option(quadrant)
    tab.locator("#add-text").fill(text)
    tab.locator("#add-submit").click()


def _reload_and_check(tab, axe, label):
    """axe on a freshly loaded board (live updates move content by design,
    which the layout-shift check would otherwise count)."""
    tab.reload()
    expect(tab.locator("#board-connection")).to_contain_text("Live", timeout=LIVE_TIMEOUT)
    assert tab.locator("h1").count() == 1
    axe(tab)
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        for width in (1280, 320):
            tab.set_viewport_size({"width": width, "height": 900})
            tab.screenshot(path=str(folder / f"board-{label}-{width}.png"), full_page=True)
            if width == 320:  # in parts, to be looked at in full size
                height = tab.evaluate("document.documentElement.scrollHeight")
                for part, top in enumerate(range(0, height, 1000)):
                    clip = {"x": 0, "y": top, "width": 320, "height": min(1000, height - top)}
                    tab.screenshot(
                        path=str(folder / f"board-{label}-320-part{part}.png"),
                        full_page=True,
                        clip=clip,
                    )
        tab.set_viewport_size({"width": 1280, "height": 720})


def test_items_votes_and_phases_reach_everyone_live(room, axe, workshop):
    facilitator, officer, colleague, guest = (
        room["facilitator"],
        room["officer"],
        room["colleague"],
        room["guest"],
    )
    for tab in room.values():
        expect(tab.locator("#board-connection")).to_contain_text("every 2 seconds")

    _add_item(officer, "weaknesses", "Ageing depot fleet")
    for tab in (facilitator, colleague, guest):
        expect(_item(tab, "Ageing depot fleet")).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(colleague.locator("#board-announcer")).to_have_text(
        re.compile("1 new item on the board"), timeout=LIVE_TIMEOUT
    )
    # The sender's form is ready for the next idea.
    expect(officer.locator("#add-text")).to_have_value("")

    # Someone half-way through typing keeps their text and their place.
    colleague.locator("#add-text").fill("Half-typed")
    colleague.locator("#add-text").focus()
    _add_item(guest, "threats", "Budget cuts next year")
    expect(_item(colleague, "Budget cuts next year")).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(colleague.locator("#add-text")).to_have_value("Half-typed")
    assert colleague.evaluate("document.activeElement.id") == "add-text"
    _add_item(colleague, "opportunities", "Shared procurement")
    expect(_item(officer, "Shared procurement")).to_be_visible(timeout=LIVE_TIMEOUT)
    _reload_and_check(facilitator, axe, "brainstorm")
    _reload_and_check(guest, axe, "brainstorm-guest")

    facilitator.locator("#phase-next").click()  # to Group
    for tab in (officer, colleague, guest):
        expect(tab.locator("#board-phase")).to_have_text("Group", timeout=LIVE_TIMEOUT)
    expect(officer.locator("#board-announcer")).to_contain_text(
        "moved to the Group phase", timeout=LIVE_TIMEOUT
    )
    assert facilitator.evaluate("document.activeElement.id") == "phase-next"
    # Ticked items (their boxes belong to the quadrant's group form) make a group.
    fleet = _item(facilitator, "Ageing depot fleet").locator("xpath=ancestor::li[1]")
    fleet.get_by_label(re.compile("Tick for a new group")).check()
    facilitator.locator("#group-name-weaknesses").fill("Fleet")
    facilitator.locator("#group-create-submit-weaknesses").click()
    expect(officer.locator("#quadrant-weaknesses")).to_contain_text(
        "Group: Fleet", timeout=LIVE_TIMEOUT
    )
    expect(facilitator.locator("#group-name-weaknesses")).to_have_value("")
    _reload_and_check(facilitator, axe, "group")

    facilitator.locator("#phase-next").click()  # to Vote
    for tab in (officer, colleague, guest):
        expect(tab.locator("#board-phase")).to_have_text("Vote", timeout=LIVE_TIMEOUT)
    item = _item(colleague, "Ageing depot fleet").locator("xpath=ancestor::li[1]")
    item.get_by_role("button", name=re.compile("^Vote")).click()
    expect(item.get_by_role("button", name=re.compile("^Remove vote"))).to_be_visible(
        timeout=LIVE_TIMEOUT
    )
    expect(colleague.locator("#board-votes-left")).to_contain_text("4 votes left")
    seen = _item(facilitator, "Ageing depot fleet").locator("xpath=ancestor::li[1]")
    expect(seen.locator(".app-item__votes")).to_have_text("1 vote", timeout=LIVE_TIMEOUT)
    _reload_and_check(colleague, axe, "vote")

    facilitator.locator("#phase-next").click()  # to Actions
    expect(guest.locator("#board-phase")).to_have_text("Actions", timeout=LIVE_TIMEOUT)
    _reload_and_check(facilitator, axe, "actions")
    facilitator.locator("#phase-next").click()  # Close
    expect(officer.locator("#board-phase")).to_have_text("Closed", timeout=LIVE_TIMEOUT)
    _reload_and_check(officer, axe, "closed")


def test_keyboard_only_flow_keeps_focus_through_updates(room, workshop, facilitator):
    officer = room["officer"]

    def tab_to(element_id, limit=80):
        for _ in range(limit):
            officer.keyboard.press("Tab")
            if officer.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"could not reach #{element_id} with the Tab key")

    tab_to("add-quadrant")
    officer.keyboard.press("ArrowDown")  # Weaknesses
    officer.keyboard.press("Tab")
    assert officer.evaluate("document.activeElement.id") == "add-text"
    officer.keyboard.type("Typed with the keyboard")
    officer.keyboard.press("Tab")
    assert officer.evaluate("document.activeElement.id") == "add-submit"
    officer.keyboard.press("Enter")
    expect(_item(room["colleague"], "Typed with the keyboard")).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(officer.locator("#quadrant-weaknesses")).to_contain_text("Typed with the keyboard")
    assert officer.evaluate("document.activeElement.id") == "add-submit"

    _do(workshop, facilitator, "phase.set", phase="group")
    _do(workshop, facilitator, "phase.set", phase="vote")
    expect(officer.locator("#board-phase")).to_have_text("Vote", timeout=LIVE_TIMEOUT)
    item_id = officer.locator(".app-item").first.get_attribute("data-item")
    tab_to(f"vote-{item_id}")
    officer.keyboard.press("Enter")
    expect(officer.locator(f"#unvote-{item_id}")).to_be_visible(timeout=LIVE_TIMEOUT)
    # The button became "Remove vote", and focus moved to it rather than being lost.
    expect(officer.locator(f"#unvote-{item_id}")).to_be_focused()
    officer.keyboard.press("Enter")
    expect(officer.locator(f"#vote-{item_id}")).to_be_focused(timeout=LIVE_TIMEOUT)


def test_a_refused_operation_shows_its_error_beside_the_form(room, workshop, facilitator):
    officer = room["officer"]
    officer.locator("#add-text").fill("x" * 281)
    officer.locator("#add-submit").click()
    expect(officer.locator("#add-item [data-op-error]")).to_contain_text("280 characters")
    expect(officer.locator("#add-text")).to_have_value("x" * 281)


def test_without_javascript_the_forms_still_work(browser, live_server, workshop, officer):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        tab = context.new_page()
        _sign_in_by_cookie(tab, officer, live_server.url)
        tab.goto(f"/workshops/{workshop.pk}/board/")
        tab.locator("#add-quadrant").select_option("strengths")
        tab.locator("#add-text").fill("Posted without a script")
        tab.locator("#add-submit").click()
        expect(tab.locator(".govuk-notification-banner")).to_contain_text(
            "Your item was added to Strengths."
        )
        expect(_item(tab, "Posted without a script")).to_be_visible()
    finally:
        context.close()


# The websocket (needs the board's consumer and an ASGI server) --------------------------------


@pytest.fixture
def asgi_server(transactional_db):
    """The whole ASGI application (HTTP and websockets) served by Daphne in a
    process of its own, against the test database."""
    pytest.importorskip("swot.consumers")
    from channels.routing import get_default_application
    from daphne.testing import DaphneProcess
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.db import connections

    def application():
        return ASGIStaticFilesHandler(get_default_application())

    connections.close_all()  # the forked server opens its own
    server = DaphneProcess("localhost", application)
    server.start()
    if not server.ready.wait(timeout=20):
        server.terminate()
        pytest.fail("Daphne did not start")
    url = f"http://localhost:{server.port.value}"
    yield url
    server.terminate()
    server.join()


def test_over_the_websocket_changes_arrive_live(
    browser, asgi_server, workshop, facilitator, officer, colleague
):
    contexts = []
    try:
        tabs = []
        for user in (officer, colleague):
            context = browser.new_context(base_url=asgi_server)
            contexts.append(context)
            tab = context.new_page()
            _sign_in_by_cookie(tab, user, asgi_server)
            tab.goto(f"/workshops/{workshop.pk}/board/")
            expect(tab.locator("#board-connection")).to_contain_text(
                "as they happen", timeout=LIVE_TIMEOUT
            )
            tabs.append(tab)
        _add_item(tabs[0], "strengths", "Sent over the socket")
        expect(_item(tabs[1], "Sent over the socket")).to_be_visible(timeout=LIVE_TIMEOUT)
        _do(workshop, facilitator, "phase.set", phase="group")
        expect(tabs[1].locator("#board-phase")).to_have_text("Group", timeout=LIVE_TIMEOUT)
    finally:
        for context in contexts:
            context.close()


def test_a_blocked_websocket_falls_back_to_polling(
    browser, asgi_server, workshop, officer, colleague
):
    contexts = []
    try:
        tabs = []
        for user in (officer, colleague):
            context = browser.new_context(base_url=asgi_server)
            contexts.append(context)
            # A proxy that refuses websocket upgrades.
            context.route_web_socket(re.compile(r".*/ws/.*"), lambda ws: ws.close())
            tab = context.new_page()
            _sign_in_by_cookie(tab, user, asgi_server)
            tab.goto(f"/workshops/{workshop.pk}/board/")
            expect(tab.locator("#board-connection")).to_contain_text(
                "every 2 seconds", timeout=LIVE_TIMEOUT
            )
            tabs.append(tab)
        _add_item(tabs[0], "threats", "Sent by fetch")
        expect(_item(tabs[1], "Sent by fetch")).to_be_visible(timeout=LIVE_TIMEOUT)
    finally:
        for context in contexts:
            context.close()
