"""Browser tests for the catalogue, the duplicate check and the create/edit/
stage pages: htmx enhances them in place, and axe-core finds no WCAG 2.2 AA
violations on any state visited."""

import re

import pytest

from initiatives.models import Initiative
from tests import factories
from tests.e2e.browsing import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_filters_in_place_and_is_accessible(page, axe, council, other_council):
    waste = factories.service_area("waste-and-recycling")
    factories.InitiativeFactory(
        lead_organisation=council,
        title="Garden waste renewals",
        stage="beta",
        service_areas=[waste],
        description="Renew **online**.",
    )
    factories.InitiativeFactory(lead_organisation=other_council, title="Parking permits")
    page.goto("/initiatives/")
    check(page, axe)
    assert page.locator(".app-result__title").count() == 2

    # Ticking a facet swaps the results in place (htmx) and pushes the URL.
    page.get_by_label(re.compile(r"^Beta")).check()
    page.wait_for_url(re.compile(r"stage=beta"))
    page.wait_for_function("document.querySelectorAll('.app-result__title').length === 1")
    assert page.locator("#catalogue-status").inner_text() == "1 initiative found"
    assert page.get_by_label(re.compile(r"^Beta")).is_checked()
    check(page, axe)

    page.get_by_role("link", name="Garden waste renewals").click()
    page.wait_for_url(re.compile(r"/initiatives/[-\w]+/$"))
    assert page.locator("h1").inner_text() == "Garden waste renewals"
    check(page, axe)


def test_officer_sees_lookalikes_while_typing_then_creates_edits_and_moves_stage(
    page, axe, officer, other_council
):
    factories.service_area("waste-and-recycling")
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Garden waste renewals",
        summary="Subscriptions for garden waste collections",
    )
    sign_in(page, officer)
    page.goto("/initiatives/new/")
    check(page, axe)

    page.locator("#id_title").press_sequentially("Garden waste subscriptions", delay=10)
    similar = page.locator("#similar-initiatives")
    similar.get_by_text("Another council may already be doing this").wait_for()
    assert similar.get_by_role("link", name="Garden waste renewals").is_visible()
    check(page, axe)

    page.locator("#id_summary").fill("One online service for garden waste renewals.")
    page.get_by_label("Waste and recycling").check()
    page.get_by_label("Public: anyone, signed in or not").check()
    # The officer saw the look-alikes while typing, so saving does not ask again.
    assert page.locator("#duplicates-seen").input_value() == "1"
    page.locator("#main-content").get_by_role("button", name="Save and continue").click()
    # Then "check your answers": each section added on a page of its own.
    page.wait_for_url(re.compile(r"/initiatives/garden-waste-subscriptions-[a-z0-9]{5}/check/$"))
    assert "has been created" in page.locator(".govuk-notification-banner").inner_text()
    check(page, axe)
    page.get_by_role("link", name="Change estimated total cost").click()
    check(page, axe)
    page.locator("#id_estimated_cost").fill("12,500.50")
    page.get_by_role("button", name="Save and return").click()
    page.wait_for_url(re.compile(r"/check/$"))
    assert "£12,500.50" in page.locator("#main-content").inner_text()
    page.get_by_role("link", name="Go to the initiative page").click()
    # The slug is the title plus a random suffix (it says nothing about others).
    page.wait_for_url(re.compile(r"/initiatives/garden-waste-subscriptions-[a-z0-9]{5}/$"))
    check(page, axe)

    page.get_by_role("link", name="Edit initiative").click()
    check(page, axe)
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="Save changes").click()
    page.locator(".govuk-error-summary").get_by_role("link", name="Enter a title").wait_for()
    check(page, axe)
    page.locator("#id_title").fill("Garden waste subscriptions service")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your changes have been saved.").wait_for()

    page.get_by_role("link", name="Change stage").click()
    check(page, axe)
    page.get_by_label("Discovery").check()
    page.locator("#id_note").fill("Research with twelve residents")
    page.get_by_role("button", name="Change stage").click()
    page.get_by_text("Stage changed to Discovery.").wait_for()
    assert page.locator(".app-timeline__item").count() == 2
    check(page, axe)
    assert (
        Initiative.objects.get(slug__startswith="garden-waste-subscriptions-").stage == "discovery"
    )


def test_officer_goes_from_the_dashboard_to_all_their_councils_initiatives(
    page, axe, officer, council, other_council
):
    """The dashboard's "See all" opens the catalogue filtered by the council,
    shown as a removable selected filter; choosing another lead council swaps
    the results and the CSV link in place; the council page lists both
    sections. Every state passes axe."""
    for n in range(6):
        factories.InitiativeFactory(lead_organisation=council, title=f"Leedsham pilot {n}")
    joined = factories.InitiativeFactory(lead_organisation=other_council, title="Parking permits")
    factories.PartnershipFactory(initiative=joined, organisation=council, status="committed")
    sign_in(page, officer)
    page.goto("/")
    page.get_by_role("link", name="See all 6 initiatives led by Leedsham").click()
    page.wait_for_url(re.compile(r"/initiatives/\?lead=leedsham$"))
    assert page.locator(".app-result__title").count() == 6
    assert page.locator("#f-lead").input_value() == "leedsham"
    assert page.locator("#csv-download").get_attribute("href") == "/initiatives.csv?lead=leedsham"
    check(page, axe)

    # Choosing another council in the select swaps the results in place.
    page.locator("#f-lead").select_option("otherton")
    page.wait_for_url(re.compile(r"lead=otherton"))
    page.wait_for_function("document.querySelectorAll('.app-result__title').length === 1")
    # The form sends every field (the sort too): the CSV gets what the page got.
    assert page.locator("#csv-download").get_attribute("href") == (
        "/initiatives.csv?sort=updated&lead=otherton"
    )
    check(page, axe)

    # The selected filter is a link that takes it off.
    page.get_by_role("link", name="Remove filter Lead council: Otherton").click()
    page.wait_for_url(re.compile(r"/initiatives/\?sort=updated$"))  # the sort is kept
    assert page.locator(".app-result__title").count() == 7

    page.goto("/councils/leedsham/")
    assert page.get_by_role("heading", name="Initiatives led").is_visible()
    assert page.get_by_role("link", name="Parking permits").is_visible()
    check(page, axe)
    page.get_by_role("link", name="See all 1 initiative Leedsham takes part in").click()
    page.wait_for_url(re.compile(r"partner=leedsham"))
    assert page.locator(".app-result__title").all_inner_texts() == ["Parking permits"]
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check(page, axe)
