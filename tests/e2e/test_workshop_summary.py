"""A workshop's summary in a real browser: accessible (axe-core, strict CSP,
no layout shift, reflow at 320 px), its print-ready form, and sharing."""

import os
from pathlib import Path

import pytest

from tests.swot.results_setup import board_in_actions, do, place

from .browsing import check, main, press, sign_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name: str, width: int) -> None:
    """Screenshots for a person to look at, when SCREENSHOT_DIR is set."""
    if not SHOTS:
        return
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_summary_page_is_accessible_and_shares_results(
    page, axe, facilitator, officer, outsider, other_council
):
    ready = board_in_actions(facilitator, officer, outsider)
    ws = ready.workshop
    do(
        ws,
        officer,
        "action.add",
        text="Map contract end dates across both councils",
        items=[ready.items["w1"]],
        owner=f"organisation:{other_council.pk}",
    )
    do(
        ws,
        officer,
        "action.add",
        text="Ask suppliers about joint pricing",
        items=[ready.items["o1"]],
        owner=f"participant:{place(ws, officer).pk}",
        due_date="2030-01-15",
    )
    do(
        ws,
        facilitator,
        "strategy.add",
        strategy_kind="WO",
        text="Buy together",
        items=[ready.items["w1"], ready.items["o1"]],
    )
    do(ws, facilitator, "phase.set", phase="closed")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, facilitator)
    page.goto(f"/workshops/{ws.pk}/summary/")
    check(page, axe)
    _shot(page, "summary", 1280)
    _shot(page, "summary", 320)
    assert main(page).get_by_text("Map contract end dates across both councils").is_visible()
    press(page, "Share the results")
    page.wait_for_url(f"**/workshops/{ws.pk}/summary/")
    assert main(page).get_by_role("button", name="Stop sharing the results").is_visible()
    check(page, axe)
    page.goto(f"/workshops/{ws.pk}/summary/?print=1")
    assert page.locator("h1").count() == 1
    axe(page)
    assert page.get_by_role("button", name="Print").is_visible()  # shown by its module
    _shot(page, "summary-print", 1280)
