"""The cost-sharing section of the initiative page, the custom-shares form,
and the cost-sharing API."""

import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative, Partnership
from notifications.models import Activity
from tests import factories

from .support.partnerships import add_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(council, supplier):
    """£10,000 shared by the lead (population 250,000) and one active partner
    (500,000); an interested council and a supplier do not share the cost."""
    initiative = factories.make_initiative(
        council, estimated_cost_pence=1_000_000, slug="shared-waste"
    )
    add_partnership(
        initiative,
        factories.OrganisationFactory(name="Partnerton", population=500_000),
        status="active",
    )
    add_partnership(
        initiative, factories.OrganisationFactory(name="Keenshire"), status="interested"
    )
    add_partnership(initiative, supplier, status="active", role=Partnership.Role.SUPPLIER)
    return initiative


def section(client, initiative):
    html = client.get(initiative.get_absolute_url()).content.decode()
    start = html.index('id="cost-sharing"')
    return html[start : html.index("</section>", start)]


def row(html, name):
    match = re.search(rf"<th scope=\"row\"[^>]*>{name}</th>(.*?)</tr>", html, re.S)
    assert match, f"no row for {name}"
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)


def test_equal_split_table_and_chart(client, shared):
    html = section(client, shared)
    assert "<caption" in html
    assert row(html, "Leedsham") == ["Equal share (50.00%)", "£5,000", "£10,000", "£5,000"]
    assert row(html, "Partnerton")[1:] == ["£5,000", "£10,000", "£5,000"]
    assert "Keenshire" not in html and "Acme Digital" not in html
    total = re.search(r"Total</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", total) == ["£10,000", "£20,000", "£10,000"]
    # The chart is decorative; the table is its accessible equivalent.
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'aria-hidden="true"' in svg and 'role="presentation"' in svg
    assert 'width="150.0"' in html  # half of the 300-unit bar
    assert "The table above gives the same figures" in html
    assert "style=" not in html


def test_population_split(client, shared):
    Initiative.objects.filter(pk=shared.pk).update(cost_split_method="population")
    html = section(client, shared)
    assert row(html, "Leedsham")[:2] == ["Population 250,000 (33.33%)", "£3,333.33"]
    # The spare penny goes to the larger remainder.
    assert row(html, "Partnerton")[:2] == ["Population 500,000 (66.67%)", "£6,666.67"]


def test_population_split_falls_back_to_equal_when_unknown(client, shared, council):
    council.population = None
    council.save()
    Initiative.objects.filter(pk=shared.pk).update(cost_split_method="population")
    html = section(client, shared)
    assert "Population is not known for Leedsham" in html
    assert row(html, "Leedsham")[1] == "£5,000"


def test_custom_split_and_normalisation_note(client, shared):
    Initiative.objects.filter(pk=shared.pk).update(cost_split_method="custom")
    Partnership.objects.filter(initiative=shared, role="lead").update(
        custom_share_basis_points=1_000
    )
    Partnership.objects.filter(initiative=shared, organisation__name="Partnerton").update(
        custom_share_basis_points=3_000
    )
    html = section(client, shared)
    assert row(html, "Leedsham")[:2] == ["25.00% (entered as 10.00%)", "£2,500"]
    assert row(html, "Partnerton")[1] == "£7,500"
    assert "add up to 40% rather than 100%" in html


def test_no_estimate_shows_a_short_message(client, council):
    initiative = factories.make_initiative(council, slug="no-estimate")
    html = section(client, initiative)
    assert "has not estimated the cost yet" in html
    assert "<table" not in html and "<svg" not in html


# --- custom shares form ------------------------------------------------------


@pytest.fixture
def custom(shared):
    Initiative.objects.filter(pk=shared.pk).update(cost_split_method="custom")
    shared.refresh_from_db()
    return shared


def form_data(initiative, lead_percent, partner_percent):
    lead = initiative.lead_organisation_id
    partner = Partnership.objects.get(initiative=initiative, organisation__name="Partnerton")
    return {f"share_{lead}": lead_percent, f"share_{partner.organisation_id}": partner_percent}


def test_lead_admin_sets_custom_shares(client_for, council_admin, custom):
    client = client_for(council_admin)
    shares_url = reverse("initiatives:cost_shares", kwargs={"slug": custom.slug})
    assert shares_url in section(client, custom)
    assert client.get(shares_url).status_code == 200
    response = client.post(shares_url, form_data(custom, "33.34", "66.66"))
    assert response.status_code == 302
    points = dict(
        Partnership.objects.filter(custom_share_basis_points__isnull=False).values_list(
            "organisation__name", "custom_share_basis_points"
        )
    )
    assert points == {"Leedsham": 3_334, "Partnerton": 6_666}
    assert Activity.objects.filter(verb="initiative.cost_shares_set").exists()
    html = section(client, custom)
    assert row(html, "Leedsham")[:2] == ["33.34%", "£3,334"]


def test_custom_shares_must_add_up_to_100(client_for, council_admin, custom):
    client = client_for(council_admin)
    shares_url = reverse("initiatives:cost_shares", kwargs={"slug": custom.slug})
    response = client.post(shares_url, form_data(custom, "50", "40"))
    assert response.status_code == 400
    assert "The shares must add up to 100%; they add up to 90%." in response.content.decode()
    response = client.post(shares_url, form_data(custom, "abc", "140"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Leedsham&#x27;s share must be a percentage, like 25 or 33.34" in html
    assert "Partnerton&#x27;s share must be 100% or less" in html
    # Only plain percentages: Decimal would read "5e1" as 50.
    response = client.post(shares_url, form_data(custom, "5e1", "50"))
    assert response.status_code == 400
    assert "Leedsham&#x27;s share must be a percentage, like 25 or 33.34" in (
        response.content.decode()
    )
    assert not Partnership.objects.filter(custom_share_basis_points__isnull=False).exists()


@pytest.mark.parametrize("persona", ["officer", "facilitator", "outsider"])
def test_only_lead_admins_set_custom_shares(client_for, request, custom, persona):
    user = request.getfixturevalue(persona)
    if persona == "outsider":
        factories.enrol_totp(user)
    client = client_for(user)
    shares_url = reverse("initiatives:cost_shares", kwargs={"slug": custom.slug})
    assert client.get(shares_url).status_code == 403
    assert client.post(shares_url, form_data(custom, "50", "50")).status_code == 403
    assert not Partnership.objects.filter(custom_share_basis_points__isnull=False).exists()


# --- API ------------------------------------------------------------------


def test_api_cost_sharing_read_and_set(api_client, council_admin, officer, custom):
    url = f"/api/v1/initiatives/{custom.slug}/cost-sharing/"
    data = api_client.get(url).json()
    assert data["total_pence"] == 1_000_000 and data["method"] == "custom"
    assert data["applied_method"] == "equal" and data["notes"]
    assert [s["share_pence"] for s in data["shares"]] == [500_000, 500_000]
    assert sum(s["share_pence"] for s in data["shares"]) == data["total_pence"]

    lead = custom.lead_organisation_id
    partner = Partnership.objects.get(organisation__name="Partnerton").organisation_id
    payload = {
        "shares": [
            {"organisation_id": lead, "basis_points": 2_500},
            {"organisation_id": partner, "basis_points": 7_500},
        ]
    }
    api_client.force_authenticate(officer)
    assert api_client.put(url, payload, format="json").status_code == 403
    api_client.force_authenticate(council_admin)
    response = api_client.put(url, payload, format="json")
    assert response.status_code == 200
    assert [s["share_pence"] for s in response.json()["shares"]] == [250_000, 750_000]

    bad = {"shares": [{"organisation_id": lead, "basis_points": 10_000}]}
    response = api_client.put(url, bad, format="json")
    assert response.status_code == 400
    assert "Partnerton" in response.json()["shares"][0]
    over = {"shares": [{"organisation_id": lead, "basis_points": 10_001}]}
    assert api_client.put(url, over, format="json").status_code == 400
    assert Partnership.objects.get(role="lead").custom_share_basis_points == 2_500
