"""Email notifications in a real browser, with axe-core on every page: an
officer opens the settings from the header, saves a daily digest, and an
e-mail's unsubscribe link works from a browser without signing in."""

import pytest

from notifications.models import NotificationSettings
from notifications.unsubscribe import unsubscribe_url
from tests.e2e.browsing import check, main, press, sign_in

pytestmark = pytest.mark.browser


def test_officer_changes_their_email_notifications(page, axe, officer):
    sign_in(page, officer)
    page.get_by_role("link", name="Email notifications").first.click()
    page.wait_for_url("**/notifications/settings/")
    check(page, axe)

    main(page).get_by_label("Daily").check()
    main(page).get_by_label("Time").select_option(label="17:00")
    main(page).get_by_label("Invitations to a workshop").uncheck()
    press(page, "Save settings")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "at 5pm" in page.locator("#next-digest").inner_text()
    check(page, axe)
    row = NotificationSettings.objects.get(user=officer)
    assert (row.digest_frequency, row.digest_hour) == ("daily", 17)
    assert row.immediate_workshop_invitations is False


def test_an_unsubscribe_link_works_in_a_browser_without_signing_in(page, axe, officer):
    page.goto(unsubscribe_url(officer, "digest"))
    check(page, axe)
    assert "Unsubscribe from the activity digest" in page.locator("h1").inner_text()
    press(page, "Unsubscribe")
    page.locator("h1", has_text="You have unsubscribed").wait_for()
    check(page, axe)
    assert NotificationSettings.objects.get(user=officer).digest_frequency == "off"
