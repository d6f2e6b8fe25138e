"""In a real browser: the directory updates in place with htmx (and works by
keyboard), council and profile pages pass axe, and the API docs run under our
Content Security Policy. Uses the browser fixtures of tests/e2e."""

import pytest

from councils.models import Membership
from tests import factories
from tests.e2e.conftest import axe, browser, page  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def directory_data(transactional_db):
    factories.OrganisationFactory.create_batch(30)
    factories.OrganisationFactory(name="Cardiff", nation="Wales", region="", register_code="CRF")
    factories.SupplierFactory(name="Bartec Systems Ltd")


def test_directory_filters_in_place_and_by_keyboard(page, axe, directory_data):  # noqa: F811
    page.goto("/councils/")
    axe(page)
    page.evaluate("window.__sameDocument = true")
    assert page.locator("#directory-count").inner_text() == "32 organisations"

    page.get_by_label("Nation").select_option("Wales")
    page.wait_for_function("document.querySelector('#directory-count').innerText.startsWith('1 ')")
    assert "nation=Wales" in page.url  # hx-push-url: the filtered view can be bookmarked
    assert page.evaluate("window.__sameDocument === true")  # no full page load
    assert page.locator("#directory-results").get_by_role("link", name="Cardiff").is_visible()
    assert page.locator("#directory-status").inner_text() == "1 organisation found"
    axe(page)

    # Keyboard only: focus the search box, type a code, press Enter.
    page.get_by_label("Nation").select_option("")
    page.get_by_label("Search by name, code, supplier or product").focus()
    page.keyboard.type("bartec")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=bartec**")
    page.wait_for_function("document.querySelector('#directory-count').innerText.startsWith('1 ')")
    assert page.locator("#directory-results").get_by_role("link", name="Bartec Systems Ltd")


def test_directory_pagination_without_javascript(browser, live_server, directory_data):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/councils/")
    tab.get_by_role("link", name="Next page").click()
    assert "page=2" in tab.url
    assert tab.locator("#directory-results tbody tr").count() == 7
    tab.get_by_label("Search by name, code, supplier or product").fill("CRF")
    tab.get_by_role("button", name="Apply filters").click()
    assert tab.locator("#directory-count").inner_text() == "1 organisation matches your search"
    context.close()


def test_council_and_profile_pages_are_accessible(page, axe, transactional_db):  # noqa: F811
    council = factories.OrganisationFactory(name="Leedsham", slug="leedsham")
    factories.EmailDomainFactory(organisation=council, domain="leedsham.gov.uk")
    officer = factories.member_of(council, Membership.Role.MEMBER, email="o@leedsham.gov.uk")
    factories.SystemInUseFactory(organisation=council)
    factories.NeedFactory(organisation=council)
    factories.SkillOfferFactory(organisation=council)

    page.goto("/councils/leedsham/")
    axe(page)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(officer.email)
    page.locator("input[name=password]").fill(factories.DEFAULT_PASSWORD)
    page.locator("#main-content").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.goto("/councils/leedsham/")
    axe(page)
    page.get_by_role("link", name="Edit profile").click()
    axe(page)
    page.get_by_role("link", name="Add a system").click()
    axe(page)
    # Submit with mistakes: the error summary takes focus and links to the fields.
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add").click()
    summary = page.locator(".govuk-error-summary")
    assert "Contract end date must be a real date" in summary.inner_text()
    assert "Enter the supplier's name" in summary.inner_text()
    axe(page)
    summary.get_by_role("link", name="Contract end date must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_contract_end_date"


def test_api_docs_render_under_our_csp(browser, live_server, transactional_db):  # noqa: F811
    # No bypass_csp here: the page must work with the policy it is sent.
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    problems = []
    tab.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.goto("/api/docs/")
    tab.wait_for_selector("text=/api/v1/organisations/", timeout=15_000)
    assert tab.locator(".opblock").count() >= 3
    script_problems = [p for p in problems if "script" in p.lower() or "eval" in p.lower()]
    assert not script_problems, problems
    context.close()


def test_supplier_filter_results_reflow_at_320px_and_pass_axe(page, axe, transactional_db):  # noqa: F811
    waste = factories.service_area("waste-and-recycling")
    for name in ("Leeds", "Manchester"):
        factories.SystemInUseFactory(
            organisation=factories.OrganisationFactory(
                name=name, region="Yorkshire and The Humber", authority_type="Metropolitan district"
            ),
            service_area=waste,
        )
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/councils/")
    page.get_by_role("combobox", name="Supplier (optional)").fill("bartec ")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**supplier=bartec**")
    page.wait_for_function("document.querySelector('#directory-count').innerText.includes('match')")
    results = page.locator("#directory-results")
    assert results.get_by_text("Waste and recycling: Bartec Collective").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
