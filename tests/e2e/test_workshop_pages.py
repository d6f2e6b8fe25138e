"""The workshop pages in a real browser: a facilitator creates a workshop,
finds an officer of another council and invites them, switches the guest
link on and reads the code; a guest joins with it and lands on the board.
axe-core checks every page (with the 320 px reflow and CSP checks).

Set ``SCREENSHOT_DIR`` to keep full-page screenshots of each page at 1280
and 320 CSS pixels, to look at.
"""

import os
import re
from pathlib import Path

import pytest

from councils.models import Membership
from swot.models import Participant, Workshop
from tests import factories
from tests.e2e.browsing import check, main, press, sign_in

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")


def shoot(page, name: str) -> None:
    if not SCREENSHOT_DIR:
        return
    folder = Path(SCREENSHOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(before)


def test_facilitator_sets_up_a_workshop_and_a_guest_joins(
    page, new_page, axe, facilitator, other_council
):
    guest_colleague = factories.member_of(
        other_council, Membership.Role.MEMBER, full_name="Priya Partner"
    )
    sign_in(page, facilitator)

    page.goto("/workshops/")
    check(page, axe)
    assert "No workshops are being set up" in main(page).inner_text()
    shoot(page, "list-empty")

    main(page).get_by_role("button", name="Create a workshop").click()
    page.wait_for_url("**/workshops/new/")
    check(page, axe)
    shoot(page, "create")
    # Bad input first: the error summary, and nothing created.
    page.get_by_label("Votes per participant").fill("0")
    press(page, "Create workshop")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, axe)
    shoot(page, "create-errors")
    assert not Workshop.objects.exists()

    page.get_by_label("Title").fill("Shared waste contracts")
    page.get_by_label("Purpose (optional)").fill("Are we ready to buy waste services together?")
    page.get_by_label("Collaboration readiness").check()
    page.get_by_label("Private brainstorm").check()
    page.get_by_label("Votes per participant").fill("5")
    press(page, "Create workshop")
    page.wait_for_url(re.compile(r"/workshops/\d+/people/$"))
    workshop = Workshop.objects.get()
    assert workshop.private_brainstorm and workshop.template == "readiness"
    check(page, axe)

    page.get_by_label("Name or email address").fill("priya")
    main(page).get_by_role("button", name="Search").click()
    page.get_by_label(re.compile("Priya Partner")).check()
    press(page, "Invite selected people")
    page.wait_for_url(re.compile(r"/workshops/\d+/people/$"))
    assert Participant.objects.filter(workshop=workshop, user=guest_colleague).exists()

    press(page, "Switch the guest link on")
    page.wait_for_url(re.compile(r"/workshops/\d+/people/$"))
    code = page.locator("#join-code").inner_text().replace(" ", "")
    join_url = page.locator("#join-url").inner_text()
    assert len(code) == 10 and f"/workshops/{workshop.pk}/join/?code={code}" in join_url
    check(page, axe)
    shoot(page, "people")

    page.goto(f"/workshops/{workshop.pk}/")
    check(page, axe)
    shoot(page, "detail")

    page.goto("/workshops/")
    check(page, axe)
    shoot(page, "list")

    # A guest opens the shared link, with the code already filled in.
    guest = new_page()
    guest.goto(f"/workshops/{workshop.pk}/join/?code={code}")
    check(guest, axe)
    shoot(guest, "join")
    assert guest.get_by_label("Join code").input_value().replace(" ", "") == code
    guest.get_by_label("Your name").fill("Gail Guest")
    guest.locator("#main-content").get_by_role("button", name="Join the workshop").click()
    guest.wait_for_url(f"**/workshops/{workshop.pk}/board/")
    assert Participant.objects.get(workshop=workshop, guest_name="Gail Guest").is_active
