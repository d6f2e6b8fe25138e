"""/api/v1/organisations/<slug>/systems|needs|skills-offered/: the API door
to the same profile services and policy as the HTML forms."""

import pytest

from accounts.models import ApiToken
from core.tokens import hash_token
from councils.models import Need, SkillOffer, SystemInUse
from notifications.models import Activity
from tests import factories


def base(organisation, part: str) -> str:
    return f"/api/v1/organisations/{organisation.slug}/{part}/"


@pytest.fixture
def waste(db):
    return factories.service_area("waste-and-recycling")


def test_anyone_reads_a_visible_profile(api_client, council):
    system = factories.SystemInUseFactory(organisation=council)
    response = api_client.get(base(council, "systems"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [system.pk]
    assert api_client.get(f"{base(council, 'systems')}{system.pk}/").json()["supplier"] == "Bartec"


def test_member_adds_a_system_with_a_token(api_client, officer, council, waste):
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=officer, name="t", prefix=raw[:8], token_hash=hash_token(raw))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    response = api_client.post(
        base(council, "systems"),
        {
            "service_area": "waste-and-recycling",
            "supplier": "Bartec",
            "product": "Collective",
            "contract_end_date": "2027-03-31",
            "satisfaction": 4,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["service_area"] == {"slug": "waste-and-recycling", "name": "Waste and recycling"}
    assert body["contract_end_date"] == "2027-03-31"
    system = SystemInUse.objects.get(pk=body["id"])
    assert system.organisation == council
    assert Activity.objects.filter(verb="profile.system_added", actor=officer).exists()


def test_patch_changes_only_what_is_sent(api_client, officer, council):
    system = factories.SystemInUseFactory(organisation=council, satisfaction=2)
    api_client.force_authenticate(officer)
    response = api_client.patch(
        f"{base(council, 'systems')}{system.pk}/", {"satisfaction": 5}, format="json"
    )
    assert response.status_code == 200
    system.refresh_from_db()
    assert (system.supplier, system.satisfaction) == ("Bartec", 5)


def test_delete_removes_the_row(api_client, officer, council):
    need = factories.NeedFactory(organisation=council)
    api_client.force_authenticate(officer)
    assert api_client.delete(f"{base(council, 'needs')}{need.pk}/").status_code == 204
    assert not Need.objects.filter(pk=need.pk).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"satisfaction": 7}, "satisfaction"),  # shape is fine, the service's rule is not
        ({"service_area": "no-such-area"}, "service_area"),
        ({"contract_end_date": "31/02/2027"}, "contract_end_date"),
        ({"supplier": ""}, "supplier"),
    ],
)
def test_bad_input_is_400_with_the_field_and_writes_nothing(
    api_client, officer, council, waste, payload, field
):
    api_client.force_authenticate(officer)
    data = {"service_area": "waste-and-recycling", "supplier": "Bartec", "product": "X"}
    response = api_client.post(base(council, "systems"), {**data, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SystemInUse.objects.exists()
    assert not Activity.objects.exists()


def test_duplicate_skill_offer_is_400_on_skill(api_client, officer, council):
    factories.SkillOfferFactory(organisation=council, skill=factories.skill("user-research"))
    api_client.force_authenticate(officer)
    response = api_client.post(
        base(council, "skills-offered"), {"skill": "user-research"}, format="json"
    )
    assert response.status_code == 400
    assert "already offers this skill" in response.json()["skill"][0]
    assert SkillOffer.objects.filter(organisation=council).count() == 1


def test_outsider_reads_but_cannot_write(api_client, outsider, council, waste):
    system = factories.SystemInUseFactory(organisation=council)
    api_client.force_authenticate(outsider)
    assert api_client.get(base(council, "systems")).status_code == 200
    data = {"service_area": "waste-and-recycling", "supplier": "Evil", "product": "X"}
    assert api_client.post(base(council, "systems"), data, format="json").status_code == 403
    row = f"{base(council, 'systems')}{system.pk}/"
    assert api_client.patch(row, {"supplier": "Evil"}, format="json").status_code == 403
    assert api_client.delete(row).status_code == 403
    system.refresh_from_db()
    assert system.supplier == "Bartec"
    assert SystemInUse.objects.count() == 1


def test_anonymous_cannot_write(api_client, council, waste):
    data = {"service_area": "waste-and-recycling", "supplier": "Evil", "product": "X"}
    assert api_client.post(base(council, "systems"), data, format="json").status_code == 401
    assert not SystemInUse.objects.exists()


def test_another_councils_row_is_404_under_my_organisation(
    api_client, officer, council, other_council
):
    theirs = factories.SystemInUseFactory(organisation=other_council)
    api_client.force_authenticate(officer)
    row = f"{base(council, 'systems')}{theirs.pk}/"
    assert api_client.get(row).status_code == 404
    assert api_client.patch(row, {"supplier": "Mine now"}, format="json").status_code == 404
    assert api_client.delete(row).status_code == 404
    theirs.refresh_from_db()
    assert theirs.supplier == "Bartec"


def test_registered_organisation_profile_is_404(api_client, officer):
    registered = factories.OrganisationFactory(status="registered")
    api_client.force_authenticate(officer)
    assert api_client.get(base(registered, "needs")).status_code == 404
    assert api_client.post(base(registered, "needs"), {}, format="json").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(api_client, council, django_assert_max_num_queries, count):
    factories.SystemInUseFactory.create_batch(count, organisation=council)
    # The organisation, then its systems with their service areas joined.
    with django_assert_max_num_queries(2):
        response = api_client.get(base(council, "systems"))
    assert len(response.json()) == count
