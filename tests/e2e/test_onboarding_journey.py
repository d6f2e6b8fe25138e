"""The onboarding journey in a real browser:

an officer signs up with their council address, confirms it from the e-mail,
waits for approval; the council's admin signs in (with their two-factor code)
and approves them on the people page; the officer signs in again and lands on
their council's dashboard. axe-core checks every page on the way.

The admin signs in through the real login form and the two-factor step, with
a code computed from their TOTP secret, rather than by injecting a session
cookie: the second factor is part of what an admin's journey must prove works.
"""

import re

import pytest
from django.core import mail

from councils.models import Membership
from tests.e2e.browsing import press, submit_password
from tests.e2e.conftest import current_totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

NEWBIE_EMAIL = "newbie@leedsham.gov.uk"
NEWBIE_PASSWORD = "a-long-and-unguessable-passphrase"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def fill_if_present(page, selector: str, value: str) -> None:
    field = page.locator(selector)
    if field.count():
        field.fill(value)


def test_officer_signs_up_is_approved_by_admin_and_reaches_dashboard(
    page, new_page, axe, council, council_admin
):
    # 1. The officer signs up with their council address.
    page.goto("/accounts/signup/")
    axe(page)
    fill_if_present(page, "input[name=full_name]", "Nadia Newbie")
    fill_if_present(page, "input[name=job_title]", "Digital officer")
    page.locator("input[name=email]").fill(NEWBIE_EMAIL)
    page.locator("input[name=password1]").fill(NEWBIE_PASSWORD)
    fill_if_present(page, "input[name=password2]", NEWBIE_PASSWORD)
    press(page, "Sign up")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    axe(page)

    # 2. They open the verification link from the e-mail and confirm.
    messages = [m for m in mail.outbox if NEWBIE_EMAIL in m.to]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    link = CONFIRM_LINK.search(messages[0].body)
    assert link, messages[0].body
    page.goto(link.group(0))
    axe(page)
    press(page, "Confirm")

    # 3. Signed in, they see that their council has been asked to approve them.
    page.wait_for_url(re.compile(r"/$"))
    main = page.locator("#main-content")
    assert "Waiting for approval" in main.inner_text()
    assert "Leedsham" in main.inner_text()
    axe(page)
    membership = Membership.objects.get(user__email=NEWBIE_EMAIL)
    assert membership.organisation == council
    assert membership.status == Membership.Status.PENDING
    # The council's admins are told someone is waiting.
    assert any(council_admin.email in m.to for m in mail.outbox)

    # 4. The council admin signs in with their second factor...
    admin_page = new_page()
    submit_password(admin_page, council_admin.email, DEFAULT_PASSWORD, axe=axe)
    admin_page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe(admin_page)
    admin_page.locator("input[name=code]").fill(current_totp_code(council_admin))
    press(admin_page, "Sign in")
    admin_page.wait_for_url(re.compile(r"/$"))
    axe(admin_page)

    # ...and approves the officer on the people page.
    admin_page.goto(f"/councils/{council.slug}/people/")
    axe(admin_page)
    row = admin_page.locator("tr", has_text=NEWBIE_EMAIL)
    row.get_by_role("button", name=re.compile(r"^Approve")).click()
    admin_page.wait_for_load_state()
    assert "Nobody is waiting for approval" in admin_page.locator("#main-content").inner_text()
    axe(admin_page)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.decided_by == council_admin

    # 5. The officer signs in again and lands on their council's dashboard.
    officer_page = new_page()
    submit_password(officer_page, NEWBIE_EMAIL, NEWBIE_PASSWORD, axe=axe)
    officer_page.wait_for_url(re.compile(r"/$"))
    heading = officer_page.locator("h1").inner_text()
    assert heading == "Leedsham"
    assert (
        "Your role at Leedsham City Council: officer."
        in officer_page.locator("#main-content").inner_text()
    )
    axe(officer_page)
