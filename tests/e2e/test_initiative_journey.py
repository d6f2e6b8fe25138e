"""The partnership journey in a real browser:

an officer of Partnerton searches the catalogue, finds Leedsham's initiative
and expresses interest for their council; Partnerton's admin signs in (with
their two-factor code) and signs off the commitment, naming sponsors and a
pledge; Leedsham's admin accepts; the partner then appears on the public page.
axe-core checks every page visited, in each state it is seen.
"""

import re

import pytest

from councils.models import Membership
from initiatives.models import Follow, Initiative, Partnership
from tests import factories
from tests.e2e.browsing import main, sign_in

pytestmark = pytest.mark.browser

TITLE = "Shared waste round planning"


def test_officer_finds_initiative_admin_signs_off_lead_accepts(
    page, new_page, axe, council, council_admin
):
    # Leedsham leads a public initiative, looking for partners.
    initiative = Initiative.objects.create(
        lead_organisation=council,
        title=TITLE,
        slug="shared-waste-round-planning",
        summary="Plan bin collection rounds together and share the routing software.",
        visibility=Initiative.Visibility.PUBLIC,
        partner_count=1,
    )
    Partnership.objects.create(
        initiative=initiative,
        organisation=council,
        role=Partnership.Role.LEAD,
        status=Partnership.Status.ACTIVE,
    )
    Initiative.objects.create(
        lead_organisation=council,
        title="Library opening hours data",
        slug="library-hours",
        summary="Publish library opening hours as open data.",
        visibility=Initiative.Visibility.PUBLIC,
    )
    from initiatives.services.catalogue import refresh_search_vector

    for each in Initiative.objects.all():
        refresh_search_vector(initiative=each)
    factories.skill("user-research")
    partnerton = factories.OrganisationFactory(
        name="Partnerton", official_name="Partnerton District Council", slug="partnerton"
    )
    factories.EmailDomainFactory(organisation=partnerton, domain="partnerton.gov.uk")
    officer = factories.member_of(
        partnerton, Membership.Role.MEMBER, email="percy@partnerton.gov.uk"
    )
    admin = factories.member_of(partnerton, Membership.Role.ADMIN, email="pat@partnerton.gov.uk")
    factories.enrol_totp(admin)

    # 1. The officer searches the catalogue and finds the initiative.
    sign_in(page, officer, axe=axe)
    page.goto("/initiatives/")
    axe(page)
    page.locator("#id_q").fill("waste rounds")
    main(page).get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"/initiatives/\?.*q=waste"))
    results = main(page)
    assert TITLE in results.inner_text()
    assert "Library opening hours data" not in results.inner_text()
    axe(page)
    results.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/initiatives/shared-waste-round-planning/$"))
    axe(page)

    # ...and expresses interest for their council.
    main(page).get_by_role("button", name="Express interest for Partnerton").click()
    page.wait_for_load_state()
    assert "Partnerton is now interested" in main(page).inner_text()
    partners = page.locator("#partners")
    assert "Interested" in partners.locator("tr", has_text="Partnerton").inner_text()
    axe(page)
    partnership = Partnership.objects.get(initiative=initiative, organisation=partnerton)
    assert partnership.status == Partnership.Status.INTERESTED
    assert Follow.objects.filter(user=officer, initiative=initiative).exists()

    # 2. Their admin signs in with two-factor and signs off, naming sponsors.
    admin_page = new_page()
    sign_in(admin_page, admin, axe=axe)
    admin_page.goto(initiative.get_absolute_url())
    axe(admin_page)
    main(admin_page).get_by_role("link", name="Sign off commitment for Partnerton").click()
    admin_page.wait_for_url(re.compile(r"/partners/\d+/commit/$"))
    axe(admin_page)
    # Missing sponsors: the error summary, still accessible.
    main(admin_page).get_by_role("button", name="Sign off commitment").click()
    admin_page.wait_for_load_state()
    assert "There is a problem" in main(admin_page).inner_text()
    axe(admin_page)
    admin_page.get_by_label("Political sponsor").fill("Cllr Jane Smith, Cabinet Member")
    admin_page.get_by_label("Officer sponsor").fill("Raj Patel, Director of Place")
    admin_page.get_by_label("Money pledged, in pounds").fill("12,500.50")
    admin_page.get_by_label("Staff days pledged").fill("15")
    admin_page.get_by_label("User research").check()
    main(admin_page).get_by_role("button", name="Sign off commitment").click()
    admin_page.wait_for_url(re.compile(r"/initiatives/shared-waste-round-planning/$"))
    row = admin_page.locator("#partners tr", has_text="Partnerton")
    assert "Committed (signed off)" in row.inner_text()
    assert "£12,500.50" in row.inner_text()
    axe(admin_page)
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.COMMITTED
    assert partnership.pledged_pence == 1_250_050

    # 3. The lead's admin accepts Partnerton.
    lead_page = new_page()
    sign_in(lead_page, council_admin, axe=axe)
    lead_page.goto(initiative.get_absolute_url())
    axe(lead_page)
    main(lead_page).get_by_role("button", name="Accept Partnerton").click()
    lead_page.wait_for_load_state()
    assert "Partnerton is now a partner" in main(lead_page).inner_text()
    axe(lead_page)
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE

    # 4. The partner appears on the initiative's public page.
    public = new_page()
    public.goto(initiative.get_absolute_url())
    row = public.locator("#partners tr", has_text="Partnerton")
    assert "Partner" in row.locator("strong.govuk-tag").inner_text()
    # Sponsors are people: the public see their role and organisation only.
    assert "Cllr Jane Smith" not in row.inner_text()
    assert "A councillor at Partnerton" in row.inner_text()
    assert "2 organisations taking part" in main(public).inner_text()
    public.locator("#partnership-history summary").click()
    history = public.locator("#partnership-history").inner_text()
    assert "interested → committed (signed off)" in history.lower()
    axe(public)


def test_lead_admin_invites_declines_and_hands_over_the_lead(page, axe, council, council_admin):
    """The lead admin's other partnership pages, each checked with axe, with
    and without errors."""
    initiative = Initiative.objects.create(
        lead_organisation=council,
        title=TITLE,
        slug="shared-waste-round-planning",
        summary="Plan bin collection rounds together.",
        visibility=Initiative.Visibility.PLATFORM,
        partner_count=2,
    )
    Partnership.objects.create(
        initiative=initiative,
        organisation=council,
        role=Partnership.Role.LEAD,
        status=Partnership.Status.ACTIVE,
    )
    partnerton = factories.OrganisationFactory(name="Partnerton", slug="partnerton")
    keenshire = factories.OrganisationFactory(name="Keenshire", slug="keenshire")
    factories.SupplierFactory(name="Acme Digital Ltd", slug="acme-digital")
    factories.PartnershipFactory(
        initiative=initiative,
        organisation=partnerton,
        status=Partnership.Status.COMMITTED,
        political_sponsor="Cllr Amir Khan",
        officer_sponsor="Sue Brown",
        pledged_pence=500_000,
    )
    factories.PartnershipFactory(
        initiative=initiative, organisation=keenshire, status=Partnership.Status.INTERESTED
    )

    sign_in(page, council_admin, axe=axe)
    page.goto(initiative.get_absolute_url())
    axe(page)

    # Invite a supplier (first forgetting to choose one).
    main(page).get_by_role("link", name="Invite a partner or supplier").click()
    page.wait_for_url(re.compile(r"/partners/invite/$"))
    axe(page)
    main(page).get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert "Choose an organisation to invite" in main(page).inner_text()
    axe(page)
    page.get_by_label("Organisation to invite").select_option(label="Acme Digital Ltd")
    main(page).get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/initiatives/shared-waste-round-planning/$"))
    assert "You invited Acme Digital Ltd" in main(page).inner_text()
    axe(page)

    # Decline Keenshire with a note.
    main(page).get_by_role("link", name="Decline Keenshire").click()
    page.wait_for_url(re.compile(r"/decline/$"))
    axe(page)
    page.get_by_label("Note (optional)").fill("We have enough partners for discovery.")
    main(page).get_by_role("button", name="Decline").click()
    page.wait_for_url(re.compile(r"/initiatives/shared-waste-round-planning/$"))
    assert "Declined by the lead" in page.locator("#partners tr", has_text="Keenshire").inner_text()

    # Hand the lead to Partnerton (first without choosing).
    main(page).get_by_role("link", name="Hand over the lead").click()
    page.wait_for_url(re.compile(r"/lead/$"))
    axe(page)
    main(page).get_by_role("button", name="Hand over the lead").click()
    page.wait_for_load_state()
    assert "Choose the partner that will lead" in main(page).inner_text()
    axe(page)
    page.get_by_label("Partnerton").check()
    main(page).get_by_role("button", name="Hand over the lead").click()
    page.wait_for_url(re.compile(r"/initiatives/shared-waste-round-planning/$"))
    assert "Partnerton now leads" in main(page).inner_text()
    axe(page)
    initiative.refresh_from_db()
    assert initiative.lead_organisation == partnerton

    # Leedsham, now an ordinary partner, can withdraw.
    main(page).get_by_role("link", name=f"Withdraw {council.name}").click()
    page.wait_for_url(re.compile(r"/withdraw/$"))
    axe(page)
    main(page).get_by_role("button", name="Withdraw").click()
    page.wait_for_url(re.compile(r"/initiatives/shared-waste-round-planning/$"))
    assert "has withdrawn" in main(page).inner_text()
    axe(page)
