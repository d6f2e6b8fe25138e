"""Profile editing: own members add, change and remove systems, needs and
skills offered; everyone else is refused and nothing changes."""

import datetime

import pytest
from django.urls import reverse

from councils.models import Need, SkillOffer, SystemInUse
from notifications.models import Activity
from tests import factories


def edit_url(organisation) -> str:
    return reverse("councils:profile_edit", kwargs={"slug": organisation.slug})


def add_url(organisation, facet: str) -> str:
    return reverse("councils:facet_add", kwargs={"slug": organisation.slug, "facet": facet})


def row_url(name: str, organisation, facet: str, pk: int) -> str:
    return reverse(
        f"councils:facet_{name}", kwargs={"slug": organisation.slug, "facet": facet, "pk": pk}
    )


@pytest.fixture
def waste(db):
    return factories.service_area("waste-and-recycling")


@pytest.fixture
def research(db):
    return factories.skill("user-research")


def system_data(area, **overrides) -> dict:
    data = {
        "service_area": area.pk,
        "supplier": "Bartec",
        "product": "Collective",
        "contract_end_date_day": "31",
        "contract_end_date_month": "3",
        "contract_end_date_year": "2027",
        "satisfaction": "4",
    }
    data.update(overrides)
    return data


# Happy paths -------------------------------------------------------------------------------


def test_overview_lists_each_part_with_add_buttons(client_for, officer, council):
    factories.SystemInUseFactory(organisation=council, supplier="Civica", product="Open Revenues")
    response = client_for(officer).get(edit_url(council))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Civica Open Revenues" in html
    for facet in ("systems", "needs", "skills"):
        assert add_url(council, facet) in html


def test_member_adds_a_system(client_for, officer, council, waste):
    client = client_for(officer)
    form = client.get(add_url(council, "systems")).content.decode()
    assert 'class="govuk-date-input"' in form
    assert 'name="contract_end_date_day"' in form
    assert 'class="govuk-radios"' in form and 'class="govuk-select' in form

    response = client.post(add_url(council, "systems"), system_data(waste), follow=True)
    assert response.redirect_chain[-1][0] == edit_url(council)
    system = SystemInUse.objects.get(organisation=council)
    assert (system.supplier, system.product) == ("Bartec", "Collective")
    assert system.contract_end_date == datetime.date(2027, 3, 31)
    assert system.satisfaction == 4
    assert system.service_area == waste
    html = response.content.decode()
    assert "System added: Bartec Collective" in html and "govuk-notification-banner" in html
    activity = Activity.objects.get(verb="profile.system_added")
    assert activity.actor == officer and activity.organisation == council


def test_system_without_date_or_score_is_fine(client_for, officer, council, waste):
    data = system_data(
        waste,
        contract_end_date_day="",
        contract_end_date_month="",
        contract_end_date_year="",
        satisfaction="",
    )
    client_for(officer).post(add_url(council, "systems"), data)
    system = SystemInUse.objects.get(organisation=council)
    assert system.contract_end_date is None and system.satisfaction is None


def test_member_changes_a_system(client_for, facilitator, council, waste):
    system = factories.SystemInUseFactory(organisation=council, satisfaction=2)
    client = client_for(facilitator)
    form = client.get(row_url("edit", council, "systems", system.pk)).content.decode()
    assert 'value="Bartec"' in form
    response = client.post(
        row_url("edit", council, "systems", system.pk),
        system_data(waste, product="Collective 2", satisfaction="5", contract_end_date_day="1"),
    )
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.product == "Collective 2"
    assert system.satisfaction == 5
    assert system.contract_end_date == datetime.date(2027, 3, 1)
    assert Activity.objects.filter(verb="profile.system_updated").count() == 1


def test_member_removes_a_system_after_confirming(client_for, officer, council):
    system = factories.SystemInUseFactory(organisation=council)
    client = client_for(officer)
    confirm = client.get(row_url("delete", council, "systems", system.pk))
    assert "Are you sure you want to remove this system?" in confirm.content.decode()
    assert SystemInUse.objects.filter(pk=system.pk).exists()
    response = client.post(row_url("delete", council, "systems", system.pk), follow=True)
    assert not SystemInUse.objects.filter(pk=system.pk).exists()
    assert "System removed: Bartec Collective" in response.content.decode()
    assert Activity.objects.filter(verb="profile.system_removed", organisation=council).exists()


def test_member_adds_changes_and_removes_a_need(client_for, officer, council, waste):
    client = client_for(officer)
    client.post(
        add_url(council, "needs"),
        {"service_area": waste.pk, "description": "  A route optimiser  ", "priority": "high"},
    )
    need = Need.objects.get(organisation=council)
    assert (need.description, need.priority) == ("A route optimiser", Need.Priority.HIGH)
    client.post(
        row_url("edit", council, "needs", need.pk),
        {"service_area": waste.pk, "description": "A route optimiser", "priority": "low"},
    )
    need.refresh_from_db()
    assert need.priority == Need.Priority.LOW
    client.post(row_url("delete", council, "needs", need.pk))
    assert not Need.objects.filter(organisation=council).exists()
    assert list(
        Activity.objects.filter(organisation=council).order_by("id").values_list("verb", flat=True)
    ) == ["profile.need_added", "profile.need_updated", "profile.need_removed"]


def test_member_offers_a_skill(client_for, officer, council, research):
    client = client_for(officer)
    client.post(add_url(council, "skills"), {"skill": research.pk, "detail": "Two researchers"})
    offer = SkillOffer.objects.get(organisation=council)
    assert offer.skill == research and offer.detail == "Two researchers"
    response = client.post(
        row_url("edit", council, "skills", offer.pk), {"skill": research.pk, "detail": "One"}
    )
    assert response.status_code == 302  # keeping the same skill is not a duplicate
    offer.refresh_from_db()
    assert offer.detail == "One"


def test_taxonomy_from_the_data_migration_is_offered(client_for, officer, council):
    form = client_for(officer).get(add_url(council, "systems")).content.decode()
    assert ">Waste and recycling</option>" in form
    assert ">Digital front door</option>" in form
    skills = client_for(officer).get(add_url(council, "skills")).content.decode()
    assert ">Service design</option>" in skills


# Bad input ---------------------------------------------------------------------------------


def assert_error(response, message: str):
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert message in html
    assert "govuk-form-group--error" in html
    assert "<title>Error:" in html


@pytest.mark.parametrize(
    ("overrides", "message", "anchor"),
    [
        ({"satisfaction": "7"}, "Choose a satisfaction score from 1 to 5", "id_satisfaction_0"),
        ({"contract_end_date_day": "banana"}, "Contract end date must be a real date", None),
        (
            {"contract_end_date_day": "31", "contract_end_date_month": "2"},
            "must be a real date",
            None,
        ),
        ({"contract_end_date_month": ""}, "Contract end date must include a month", None),
        ({"contract_end_date_year": "27"}, "Contract end date must be a real date", None),
        ({"supplier": "   "}, "Enter the supplier&#x27;s name", "id_supplier"),
        (
            {"service_area": "99999"},
            "Select one of the options given for the service area",
            "id_service_area",
        ),
    ],
)
def test_bad_system_input_shows_errors_and_writes_nothing(
    client_for, officer, council, waste, overrides, message, anchor
):
    response = client_for(officer).post(
        add_url(council, "systems"), system_data(waste, **overrides)
    )
    assert_error(response, message)
    html = response.content.decode()
    assert f'href="#{anchor or "id_contract_end_date"}"' in html
    if anchor is None:
        # The typed values come back so the person can correct them.
        assert f'value="{overrides.get("contract_end_date_day", "31")}"' in html
    assert not SystemInUse.objects.exists()
    assert not Activity.objects.exists()


def test_bad_edit_changes_nothing(client_for, officer, council, waste):
    system = factories.SystemInUseFactory(organisation=council, satisfaction=3)
    response = client_for(officer).post(
        row_url("edit", council, "systems", system.pk),
        system_data(waste, product="Changed", satisfaction="7"),
    )
    assert_error(response, "Choose a satisfaction score from 1 to 5")
    system.refresh_from_db()
    assert (system.product, system.satisfaction) == ("Collective", 3)


def test_empty_need_description_is_refused(client_for, officer, council, waste):
    response = client_for(officer).post(
        add_url(council, "needs"), {"service_area": waste.pk, "description": "", "priority": "high"}
    )
    assert_error(response, "Describe what your council needs")
    assert not Need.objects.exists()


def test_need_priority_must_be_offered(client_for, officer, council, waste):
    response = client_for(officer).post(
        add_url(council, "needs"),
        {"service_area": waste.pk, "description": "X", "priority": "urgent"},
    )
    assert_error(response, "Choose high, medium or low priority")
    assert not Need.objects.exists()


def test_duplicate_skill_offer_is_a_field_error(client_for, officer, council, research):
    factories.SkillOfferFactory(organisation=council, skill=research)
    response = client_for(officer).post(
        add_url(council, "skills"), {"skill": research.pk, "detail": "Again"}
    )
    assert_error(response, "Your council already offers this skill")
    assert 'href="#id_skill"' in response.content.decode()
    assert SkillOffer.objects.filter(organisation=council).count() == 1


def test_changing_an_offer_into_a_duplicate_is_refused(client_for, officer, council, research):
    design = factories.skill("service-design")
    factories.SkillOfferFactory(organisation=council, skill=research)
    other = factories.SkillOfferFactory(organisation=council, skill=design)
    response = client_for(officer).post(
        row_url("edit", council, "skills", other.pk), {"skill": research.pk, "detail": ""}
    )
    assert_error(response, "Your council already offers this skill")
    other.refresh_from_db()
    assert other.skill == design


def test_unknown_facet_is_404(client_for, officer, council):
    assert client_for(officer).get(add_url(council, "secrets")).status_code == 404


# Refusals ----------------------------------------------------------------------------------


@pytest.fixture
def rows(council):
    return {
        "systems": factories.SystemInUseFactory(organisation=council),
        "needs": factories.NeedFactory(organisation=council),
        "skills": factories.SkillOfferFactory(organisation=council),
    }


def snapshot():
    return (
        list(SystemInUse.objects.values()),
        list(Need.objects.values()),
        list(SkillOffer.objects.values()),
    )


def every_request(council, rows, waste):
    yield "get", edit_url(council), {}
    yield "post", add_url(council, "systems"), system_data(waste)
    yield "post", add_url(council, "needs"), {"service_area": waste.pk, "description": "X"}
    for facet, obj in rows.items():
        yield "get", row_url("edit", council, facet, obj.pk), {}
        yield "post", row_url("edit", council, facet, obj.pk), system_data(waste)
        yield "get", row_url("delete", council, facet, obj.pk), {}
        yield "post", row_url("delete", council, facet, obj.pk), {}


def test_outsider_is_refused_everywhere_and_nothing_changes(
    client_for, outsider, council, rows, waste
):
    client = client_for(outsider)
    before = snapshot()
    for method, path, data in every_request(council, rows, waste):
        response = getattr(client, method)(path, data)
        assert response.status_code == 403, (method, path)
        assert "Bartec" not in response.content.decode()
    assert snapshot() == before
    assert not Activity.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, council, rows, waste):
    before = snapshot()
    for method, path, data in every_request(council, rows, waste):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


def test_supplier_and_staff_cannot_edit_a_council_profile(
    client_for, supplier_user, staff, council, rows
):
    for user in (supplier_user, staff):
        assert client_for(user).get(edit_url(council)).status_code == 403


def test_pending_member_cannot_edit(client_for, council):
    pending = factories.UserFactory()
    factories.MembershipFactory(user=pending, organisation=council, status="pending")
    assert client_for(pending).get(edit_url(council)).status_code == 403


def test_another_councils_row_is_404_through_my_own_profile(
    client_for, officer, council, other_council, waste
):
    """An outsider's row id under my own council's URL: 404, as if it did not exist."""
    theirs = {
        "systems": factories.SystemInUseFactory(organisation=other_council),
        "needs": factories.NeedFactory(organisation=other_council),
        "skills": factories.SkillOfferFactory(organisation=other_council),
    }
    client = client_for(officer)
    before = snapshot()
    for facet, obj in theirs.items():
        for name in ("edit", "delete"):
            path = row_url(name, council, facet, obj.pk)
            assert client.get(path).status_code == 404
            assert client.post(path, system_data(waste)).status_code == 404
    assert snapshot() == before


def test_registered_organisation_profile_is_404(client_for, officer):
    registered = factories.OrganisationFactory(status="registered")
    assert client_for(officer).get(edit_url(registered)).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_overview_query_count_does_not_grow(
    client_for, officer, council, django_assert_max_num_queries, count
):
    factories.SystemInUseFactory.create_batch(count, organisation=council)
    factories.NeedFactory.create_batch(count, organisation=council)
    for index in range(count):
        factories.SkillOfferFactory(organisation=council, skill=factories.skill(f"s-{index}"))
    client = client_for(officer)
    # session, user, membership, organisation, then systems, needs and skills
    # offered, each with its taxonomy joined.
    with django_assert_max_num_queries(7):
        response = client.get(edit_url(council))
    assert response.status_code == 200
    assert response.content.decode().count("Remove<span") == 3 * count


def test_a_score_can_be_taken_back(client_for, officer, council, waste):
    system = factories.SystemInUseFactory(organisation=council, satisfaction=None)
    client = client_for(officer)
    form = client.get(row_url("edit", council, "systems", system.pk)).content.decode()
    assert 'value="" checked' in form  # "Not rated" is shown as the current answer
    system.satisfaction = 2
    system.save()
    client.post(row_url("edit", council, "systems", system.pk), system_data(waste, satisfaction=""))
    system.refresh_from_db()
    assert system.satisfaction is None
