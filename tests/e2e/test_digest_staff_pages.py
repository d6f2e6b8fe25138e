"""The staff digests pages in a real browser: a platform admin signs in with
their second factor, filters the deliveries, sends a failed one again and
previews an officer's next digest; axe-core checks each page (WCAG 2.2 AA,
strict CSP, reflow at 320 px)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Activity, DigestDelivery
from tests import factories
from tests.e2e.browsing import check, main, press, sign_in

pytestmark = pytest.mark.browser


def test_staff_send_a_failed_digest_again_and_preview_the_next_one(
    page, axe, staff, officer, council, outsider, other_council
):
    initiative = factories.InitiativeFactory(lead_organisation=council, title="Shared waste rounds")
    Activity.objects.create(
        actor=outsider,
        organisation=other_council,
        verb="update.posted",
        target=initiative,
        summary="Otherton posted an update on Shared waste rounds",
        created_at=timezone.now() - timedelta(days=1),
    )
    end = timezone.now() - timedelta(hours=2)
    for key, status, error in [
        ("weekly:1", DigestDelivery.Status.SENT, ""),
        ("weekly:2", DigestDelivery.Status.EMPTY, ""),
        ("weekly:3", DigestDelivery.Status.FAILED, "SMTPServerDisconnected: Connection closed"),
    ]:
        DigestDelivery.objects.create(
            user=officer,
            frequency="weekly",
            period_key=key,
            period_start=end - timedelta(days=7),
            period_end=end,
            status=status,
            attempts=6 if status == "failed" else 1,
            last_error=error,
            sent_at=end if status == "sent" else None,
        )

    sign_in(page, staff)
    main(page).get_by_role("link", name="Digests", exact=True).click()
    page.wait_for_url("**/staff/digests/")
    check(page, axe)

    main(page).get_by_role("link", name="Failed (1)").click()
    page.wait_for_url("**/staff/digests/?status=failed")
    check(page, axe)
    main(page).get_by_role("button", name="Send again").click()
    page.wait_for_url("**/staff/digests/?status=failed")
    assert "was sent again" in page.content()
    assert [message.to for message in mail.outbox] == [[officer.email]]
    check(page, axe)

    main(page).get_by_role("link", name="All (3)").click()
    main(page).get_by_role("link", name="Preview someone’s next digest").click()
    page.locator("input[name=email]").fill(officer.email)
    press(page, "Preview")
    page.wait_for_url("**/staff/digests/preview/?email=*")
    assert "digest: news on 1 initiative" in main(page).inner_text()
    frame = page.frame_locator("iframe.app-digest-preview__frame")
    assert "posted an update" in frame.locator("body").inner_text()
    check(page, axe)
