"""Issue 8: find councils by what they run — service area, supplier, product
and contract end — on the page and the API, with the matching facts shown, and
one spelling per supplier (normalised keys, a merging migration, the profile
form reusing the name on record, the demo data)."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from councils.models import SystemInUse
from councils.normalise import merge_spellings
from tests import factories

URL = reverse("councils:directory")
API = "/api/v1/organisations/"


@pytest.fixture
def estate(db):
    waste = factories.service_area("waste-and-recycling")
    contact = factories.service_area("customer-contact")
    leeds = factories.OrganisationFactory(name="Leeds", register_code="LDS")
    manchester = factories.OrganisationFactory(name="Manchester", register_code="MAN")
    kent = factories.OrganisationFactory(name="Kent")
    hidden = factories.OrganisationFactory(name="Notyet", status="registered")
    factories.SystemInUseFactory(
        organisation=leeds,
        service_area=waste,
        supplier="Bartec",
        product="Collective",
        contract_end_date=datetime.date(2027, 3, 31),
    )
    factories.SystemInUseFactory(
        organisation=manchester,
        service_area=waste,
        supplier="Bartec",
        product="Collective",
        contract_end_date=datetime.date(2027, 6, 30),
    )
    factories.SystemInUseFactory(
        organisation=manchester,
        service_area=contact,
        supplier="Salesforce",
        product="Service Cloud",
        contract_end_date=None,
    )
    factories.SystemInUseFactory(
        organisation=kent, service_area=contact, supplier="Granicus", product="GovDelivery"
    )
    factories.SystemInUseFactory(
        organisation=hidden, service_area=waste, supplier="Bartec", product="Collective"
    )
    return {"leeds": leeds, "manchester": manchester, "kent": kent}


def page_names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


def api_names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"supplier": "Bartec"}, ["Leeds", "Manchester"]),
        ({"supplier": "  bARtec "}, ["Leeds", "Manchester"]),
        ({"product": "collective"}, ["Leeds", "Manchester"]),
        ({"service_area": "customer-contact"}, ["Kent", "Manchester"]),
        ({"contract_ends_before": "2027-04-30"}, ["Leeds"]),
        ({"supplier": "Bartec", "contract_ends_before": "2027-12-31"}, ["Leeds", "Manchester"]),
        # One system must meet every profile filter: Manchester's Salesforce is not waste.
        ({"supplier": "Salesforce", "service_area": "waste-and-recycling"}, []),
        ({"supplier": "Nobody Ltd"}, []),
        ({"q": "salesforce"}, ["Manchester"]),
        ({"q": "service cloud"}, ["Manchester"]),
        ({"q": "Leeds"}, ["Leeds"]),
    ],
)
def test_profile_filters_on_page_and_api(client, api_client, estate, params, expected):
    page = client.get(URL, params)
    assert page.status_code == 200
    assert page_names(page) == expected
    api = api_client.get(API, params)
    assert api.status_code == 200
    assert api_names(api) == expected


def test_each_result_shows_the_matching_facts(client, api_client, estate):
    html = client.get(URL, {"supplier": "bartec"}).content.decode()
    assert "Waste and recycling: Bartec Collective, contract ends March 2027" in html
    assert "Waste and recycling: Bartec Collective, contract ends June 2027" in html
    assert "Salesforce" not in html.split('id="directory-results"')[1]
    html = client.get(URL, {"q": "salesforce"}).content.decode()
    assert "Customer contact: Salesforce Service Cloud, no fixed contract end" in html
    rows = api_client.get(API, {"supplier": "BARTEC"}).json()["results"]
    assert rows[0]["matching_systems"] == [
        {
            "service_area": "waste-and-recycling",
            "service_area_name": "Waste and recycling",
            "supplier": "Bartec",
            "product": "Collective",
            "contract_end_date": "2027-03-31",
        }
    ]
    # No profile filter, no facts (and no extra query).
    assert api_client.get(API).json()["results"][0]["matching_systems"] == []


def test_filters_offer_existing_names_as_suggestions(client, estate):
    html = client.get(URL).content.decode()
    assert 'list="directory-suppliers"' in html and '<datalist id="directory-suppliers">' in html
    assert '<option value="Bartec"></option>' in html
    assert '<option value="Salesforce"></option>' in html
    assert '<option value="customer-contact">Customer contact</option>' in html


@pytest.mark.parametrize(
    "params",
    [
        {"contract_ends_before": "31/02/2027"},
        {"contract_ends_before": "not a date"},
        {"supplier": "x" * 151},
        {"product": "x" * 151},
        {"service_area": "no-such-area"},
    ],
)
def test_bad_filter_values_are_refused_not_errors(client, api_client, estate, params):
    page = client.get(URL, params)
    assert page.status_code == 200
    assert "Some filters were not recognised" in page.content.decode()
    api = api_client.get(API, params)
    assert api.status_code == 400
    assert list(params) == list(api.json())


def test_nul_in_a_filter_is_refused_by_the_middleware(client, api_client, estate):
    assert client.get(URL, {"supplier": "Bar\x00tec"}).status_code == 400
    assert api_client.get(API, {"q": "sales\x00force"}).status_code == 400


@pytest.mark.parametrize("count", [3, 30])
def test_filtered_query_count_does_not_grow(
    client, api_client, db, django_assert_max_num_queries, count
):
    waste = factories.service_area("waste-and-recycling")
    for organisation in factories.OrganisationFactory.create_batch(count):
        factories.SystemInUseFactory(organisation=organisation, service_area=waste)
        factories.SystemInUseFactory(
            organisation=organisation, service_area=waste, supplier="bartec ", product="Other"
        )
    params = {"supplier": "Bartec", "service_area": "waste-and-recycling", "q": "bartec"}
    # The page's 8 (see test_directory) plus the service area check and the
    # matching systems' prefetch.
    with django_assert_max_num_queries(10):
        response = client.get(URL, params)
    assert len(response.context["organisations"]) == min(count, 25)
    assert len(response.context["organisations"][0].matching_systems) == 2
    # Facet options (3), the service area, count, page, matching systems.
    with django_assert_max_num_queries(7):
        response = api_client.get(API, params)
    assert response.json()["count"] == count


# Normalisation ----------------------------------------------------------------------------


def test_keys_make_one_supplier_of_many_spellings(db):
    one = factories.SystemInUseFactory(supplier="Bartec", product="Collective")
    two = factories.SystemInUseFactory(supplier="  bartec ", product="COLLECTIVE ")
    three = factories.SystemInUseFactory(supplier="BAR TEC", product="Collective")
    assert one.supplier_key == two.supplier_key == "bartec"
    assert one.product_key == two.product_key == "collective"
    assert three.supplier_key == "bar tec"


def legacy_rows():
    """Rows as they were before the keys existed: mixed spellings, no keys."""
    rows = [
        factories.SystemInUseFactory(supplier=supplier, product=product)
        for supplier, product in [
            ("Bartec", "Collective"),
            ("bartec ", "collective"),
            ("BARTEC", "Collective"),
            ("Capita", "One"),
        ]
    ]
    SystemInUse.objects.update(supplier_key="", product_key="")
    return rows


def spellings() -> set[tuple[str, str, str, str]]:
    return set(
        SystemInUse.objects.values_list("supplier", "product", "supplier_key", "product_key")
    )


def test_merge_gives_each_supplier_its_most_used_spelling(db):
    legacy_rows()
    assert merge_spellings(SystemInUse) == 2
    assert spellings() == {
        ("Bartec", "Collective", "bartec", "collective"),
        ("Capita", "One", "capita", "one"),
    }
    assert merge_spellings(SystemInUse) == 0  # idempotent


def test_the_data_migration_merges_existing_rows(db):
    legacy_rows()
    migration = importlib.import_module("councils.migrations.0006_system_supplier_product_keys")
    migration.merge_existing_spellings(django_apps, None)
    assert spellings() == {
        ("Bartec", "Collective", "bartec", "collective"),
        ("Capita", "One", "capita", "one"),
    }


def test_profile_form_reuses_the_supplier_on_record(client_for, officer, council, estate):
    waste = factories.service_area("waste-and-recycling")
    add = reverse("councils:facet_add", kwargs={"slug": council.slug, "facet": "systems"})
    client = client_for(officer)
    form = client.get(add).content.decode()
    assert 'list="system-suppliers"' in form and '<option value="Bartec"></option>' in form
    response = client.post(
        add,
        {
            "service_area": waste.pk,
            "supplier": "  bARTEC ",
            "product": "collective",
            "contract_end_date_day": "",
            "contract_end_date_month": "",
            "contract_end_date_year": "",
            "satisfaction": "",
        },
    )
    assert response.status_code == 302
    system = SystemInUse.objects.get(organisation=council)
    assert (system.supplier, system.product) == ("Bartec", "Collective")
    # A new name is added as typed (tidied): the "add new" path.
    client.post(
        add,
        {
            "service_area": waste.pk,
            "supplier": " Brand  New Ltd ",
            "product": "Thing",
            "satisfaction": "",
        },
    )
    assert SystemInUse.objects.filter(organisation=council, supplier="Brand New Ltd").exists()
    assert client.get(URL, {"supplier": "bartec"}).context["page"].paginator.count == 3


def test_profile_form_refuses_an_over_long_supplier(client_for, officer, council):
    waste = factories.service_area("waste-and-recycling")
    add = reverse("councils:facet_add", kwargs={"slug": council.slug, "facet": "systems"})
    response = client_for(officer).post(
        add, {"service_area": waste.pk, "supplier": "x" * 151, "product": "P", "satisfaction": ""}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not SystemInUse.objects.filter(organisation=council).exists()


def test_editing_reuses_others_spelling_but_a_sole_user_can_correct_its_own(db, officer, council):
    from councils.services.profiles import update_system

    waste = factories.service_area("waste-and-recycling")
    mine = factories.SystemInUseFactory(
        organisation=council, service_area=waste, supplier="IDOX", product="uniform"
    )
    mine = update_system(
        system=mine, by=officer, service_area=waste, supplier="Idox", product="Uniform"
    )
    assert (mine.supplier, mine.product) == ("Idox", "Uniform")
    factories.SystemInUseFactory(supplier="Capita", product="One")
    mine = update_system(
        system=mine, by=officer, service_area=waste, supplier=" capita ", product="ONE"
    )
    assert (mine.supplier, mine.product, mine.supplier_key) == ("Capita", "One", "capita")
