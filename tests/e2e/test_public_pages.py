"""An axe-core sweep over the pages anyone can reach without signing in."""

import pytest

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("/", 200),
    ("/councils/", 200),
    ("/accessibility/", 200),
    ("/accounts/login/", 200),
    ("/accounts/signup/", 200),
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
    assert page.url.endswith("#main-content")
