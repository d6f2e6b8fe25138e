"""An axe-core sweep over the pages anyone can reach without signing in."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("/", 200),
    ("/councils/", 200),
    ("/accessibility/", 200),
    ("/accounts/login/", 200),
    ("/accounts/signup/", 200),
    ("/api/reference/", 200),
    ("/no-such-page-anywhere/", 404),
]


@pytest.mark.parametrize(("path", "expected_status"), PUBLIC_PAGES)
def test_public_page_is_accessible(page, axe, path, expected_status):
    response = page.goto(path)
    assert response is not None
    assert response.status == expected_status, f"{path} answered {response.status}"
    # Exactly one h1 per page, and the page has a title.
    assert page.locator("h1").count() == 1
    assert page.title()
    axe(page)


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/accessibility/")
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.inner_text() == "Skip to main content"
    page.keyboard.press("Enter")
    # Following a fragment link is asynchronous: wait for it, as a user would,
    # rather than reading the URL the instant the key is pressed (CI saw the
    # old URL under load).
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


@pytest.fixture
def phone(browser, live_server):
    """A tab 320 CSS pixels wide, as a phone (or 400% zoom) shows the pages."""
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="en-GB",
        viewport={"width": 320, "height": 640},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["/", "/councils/", "/accessibility/", "/accounts/login/"])
def test_page_loads_on_a_phone_without_shifting_or_scrolling_sideways(phone, path):
    """On a narrow screen the service navigation collapses behind its Menu
    button: it must start that way (the body's JavaScript classes are set
    before the first paint), not move the page when the script runs."""
    from tests.e2e.conftest import CLS_LIMIT, assert_reflows_at_320, layout_shift

    phone.goto(path)
    phone.wait_for_load_state("load")
    assert phone.locator("body.govuk-frontend-supported").count() == 1
    assert phone.get_by_role("button", name="Menu").is_visible()
    shift = layout_shift(phone)
    assert shift["total"] < CLS_LIMIT, shift
    assert_reflows_at_320(phone)


def test_every_page_has_a_meta_description(page):
    page.goto("/accessibility/")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description and len(description) > 40


def test_api_reference_lists_operations_and_links_the_interactive_explorer(page, axe):
    """The accessible, server-rendered reference says what Swagger UI says:
    an operation's method and path, parameters, request body and responses."""
    page.goto("/")
    page.locator("footer").get_by_role("link", name="API reference").click()
    page.wait_for_url("**/api/reference/")
    heading = page.get_by_role("heading", name="GET /api/v1/initiatives/", exact=True)
    assert heading.is_visible()
    operation = page.locator("#op-v1_initiatives_list")
    assert operation.get_by_role(
        "region", name="Parameters of GET /api/v1/initiatives/"
    ).is_visible()
    assert operation.get_by_role("rowheader", name="search").is_visible()
    assert operation.get_by_role("link", name="PaginatedInitiativeList").is_visible()
    axe(page)
    page.get_by_role("link", name="interactive API explorer (Swagger UI, third-party)").click()
    page.wait_for_url("**/api/docs/")
    page.get_by_role("link", name="accessible API reference").click()
    page.wait_for_url("**/api/reference/")
