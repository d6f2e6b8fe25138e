"""What every browser test does the same way: find the main content, press
its buttons, check a page (one h1, no axe-core violations) and sign in
through the real login form and, for people who enrolled, the second factor."""

import re

from accounts.models import User
from tests import factories
from tests.factories import DEFAULT_PASSWORD


def main(page):
    """The page's main content (so the header's buttons and links never match)."""
    return page.locator("#main-content")


def press(page, label: str) -> None:
    """Press the main content's button called ``label``."""
    main(page).get_by_role("button", name=label, exact=True).click()


def check(page, axe) -> None:
    """Every page has one heading of its own and no WCAG 2.2 AA violations."""
    assert page.locator("h1").count() == 1
    axe(page)


def submit_password(page, email: str, password: str = DEFAULT_PASSWORD, *, axe=None) -> None:
    """Open the sign-in page and submit an e-mail address and password."""
    page.goto("/accounts/login/")
    if axe is not None:
        axe(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    press(page, "Sign in")


def sign_in(page, user, *, axe=None) -> None:
    """Sign ``user`` (a User or an e-mail address) in with the factories'
    password, answering the two-factor step when they have enrolled (staff
    and admins must), and wait for the dashboard."""
    if isinstance(user, str):
        user = User.objects.get(email=user)
    submit_password(page, user.email, axe=axe)
    page.wait_for_url(re.compile(r"/($|accounts/2fa/authenticate/)"))
    if "/accounts/2fa/authenticate/" in page.url:
        if axe is not None:
            axe(page)
        page.locator("input[name=code]").fill(factories.current_totp_code(user))
        press(page, "Sign in")
    page.wait_for_url(re.compile(r"/$"))
