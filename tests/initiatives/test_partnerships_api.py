"""Partnership API: each action through /api/v1/, the same services and
policies as the pages; 404 for invisible initiatives, 403 for visible but not
allowed, 401 for anonymous writes, 400 with field errors for bad input."""

import pytest

from councils.models import Organisation
from initiatives.models import Follow, Partnership, PartnershipEvent
from tests import factories

from .support.partnerships import Role, Status, Visibility, add_partnership, snapshot

BASE = "/api/v1/initiatives"


def test_express_interest(api_for, initiative, partner_council, partner_officer):
    response = api_for(partner_officer).post(f"{BASE}/{initiative.slug}/interest/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["slug"] == "partnerton"
    assert (body["status"], body["role"]) == ("interested", "partner")
    assert body["events"][0]["to_status"] == "interested"
    assert body["events"][0]["actor"] == partner_officer.display_name
    assert Follow.objects.filter(user=partner_officer, initiative=initiative).exists()
    # Again: refused with a reason (the state machine, not the policy, would say so).
    again = api_for(partner_officer).post(f"{BASE}/{initiative.slug}/interest/")
    assert again.status_code == 403
    assert Partnership.objects.filter(organisation=partner_council).count() == 1


def test_express_interest_with_a_note(api_for, initiative, partner_council, partner_officer):
    client = api_for(partner_officer)
    too_long = client.post(
        f"{BASE}/{initiative.slug}/interest/", {"note": "x" * 501}, format="json"
    )
    assert too_long.status_code == 400 and "note" in too_long.json()
    assert not Partnership.objects.filter(organisation=partner_council).exists()
    response = client.post(
        f"{BASE}/{initiative.slug}/interest/", {"note": "We run the same system."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["events"][0]["note"] == "We run the same system."


def test_anonymous_writes_are_refused(api_for, initiative):
    client = api_for(None)
    lead = initiative.partnerships.get()
    for path in (
        "interest/",
        "follow/",
        "lead/",
        "partnerships/invite/",
        f"partnerships/{lead.pk}/commit/",
        f"partnerships/{lead.pk}/accept/",
        f"partnerships/{lead.pk}/decline/",
        f"partnerships/{lead.pk}/withdraw/",
    ):
        assert client.post(f"{BASE}/{initiative.slug}/{path}").status_code == 401, path
    assert Partnership.objects.count() == 1 and not PartnershipEvent.objects.exists()


@pytest.mark.parametrize("visibility", [Visibility.PARTNERS, Visibility.DRAFT])
def test_invisible_initiatives_are_404_for_every_endpoint(
    visibility, api_for, council, outsider, supplier
):
    factories.enrol_totp(outsider)
    hidden = factories.make_initiative(council, visibility=visibility)
    lead = hidden.partnerships.get()
    client = api_for(outsider)
    assert client.get(f"{BASE}/{hidden.slug}/partnerships/").status_code == 404
    assert api_for(None).get(f"{BASE}/{hidden.slug}/partnerships/").status_code == 404
    assert client.delete(f"{BASE}/{hidden.slug}/follow/").status_code == 404
    for path, body in (
        ("interest/", {}),
        ("follow/", {}),
        ("lead/", {"organisation": "otherton"}),
        ("partnerships/invite/", {"organisation": supplier.slug}),
        (f"partnerships/{lead.pk}/commit/", {"political_sponsor": "A", "officer_sponsor": "B"}),
        (f"partnerships/{lead.pk}/accept/", {}),
        (f"partnerships/{lead.pk}/decline/", {}),
        (f"partnerships/{lead.pk}/withdraw/", {}),
    ):
        response = client.post(f"{BASE}/{hidden.slug}/{path}", body, format="json")
        assert response.status_code == 404, path
        assert "Leedsham" not in response.content.decode()
    assert Partnership.objects.filter(initiative=hidden).count() == 1
    assert not PartnershipEvent.objects.exists()


def test_list_partnerships_with_events_and_no_names_for_the_public(
    api_for, initiative, partner_council, partner_admin, partner_officer
):
    partnership = add_partnership(initiative, partner_council)
    PartnershipEvent.objects.create(
        partnership=partnership, from_status="", to_status="interested", actor=partner_officer
    )
    public = api_for(None).get(f"{BASE}/{initiative.slug}/partnerships/")
    assert public.status_code == 200
    rows = public.json()
    assert [row["organisation"]["slug"] for row in rows] == [
        initiative.lead_organisation.slug,
        "partnerton",
    ]
    assert rows[1]["events"][0]["to_status"] == "interested"
    assert rows[1]["events"][0]["actor"] is None  # names are for signed-in users
    signed_in = api_for(partner_admin).get(f"{BASE}/{initiative.slug}/partnerships/").json()
    assert signed_in[1]["events"][0]["actor"] == partner_officer.display_name


def test_commit_with_sign_off(api_for, initiative, partner_council, partner_admin):
    partnership = add_partnership(initiative, partner_council)
    factories.skill("user-research")
    response = api_for(partner_admin).post(
        f"{BASE}/{initiative.slug}/partnerships/{partnership.pk}/commit/",
        {
            "political_sponsor": "Cllr Jane Smith",
            "officer_sponsor": "Raj Patel",
            "pledged_pence": 250_000,
            "pledged_staff_days": 10,
            "pledged_skills": ["user-research"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "committed"
    assert body["pledged_pence"] == 250_000
    assert body["pledged_skills"] == ["user-research"]
    assert body["signed_off_by"] == partner_admin.display_name
    partnership.refresh_from_db()
    assert partnership.status == Status.COMMITTED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"officer_sponsor": "B"}, "political_sponsor"),
        ({"political_sponsor": "", "officer_sponsor": "B"}, "political_sponsor"),
        ({"political_sponsor": "A"}, "officer_sponsor"),
        ({"political_sponsor": "A", "officer_sponsor": "B", "pledged_pence": -1}, "pledged_pence"),
        ({"political_sponsor": "A", "officer_sponsor": "B", "pledged_pence": "x"}, "pledged_pence"),
        (
            {"political_sponsor": "A", "officer_sponsor": "B", "pledged_staff_days": 1.5},
            "pledged_staff_days",
        ),
        (
            {"political_sponsor": "A", "officer_sponsor": "B", "pledged_skills": ["nope"]},
            "pledged_skills",
        ),
        ({"political_sponsor": "   ", "officer_sponsor": "B"}, "political_sponsor"),
    ],
)
def test_commit_bad_input_is_400_with_field_errors(
    body, field, api_for, initiative, partner_council, partner_admin
):
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    response = api_for(partner_admin).post(
        f"{BASE}/{initiative.slug}/partnerships/{partnership.pk}/commit/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(partnership) == before


@pytest.mark.parametrize("who", ["partner_officer", "officer", "council_admin", "outsider"])
def test_commit_is_403_for_anyone_but_the_partners_admin(
    who, request, api_for, initiative, partner_council
):
    user = request.getfixturevalue(who)
    if who == "outsider":
        factories.enrol_totp(user)
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    response = api_for(user).post(
        f"{BASE}/{initiative.slug}/partnerships/{partnership.pk}/commit/",
        {"political_sponsor": "A", "officer_sponsor": "B"},
        format="json",
    )
    assert response.status_code == 403
    assert snapshot(partnership) == before


@pytest.mark.parametrize("session", [True, False], ids=["session", "token"])
def test_commit_needs_two_factor(session, api_for, initiative, partner_council):
    from councils.models import Membership

    admin = factories.member_of(partner_council, Membership.Role.ADMIN, totp=False)
    partnership = add_partnership(initiative, partner_council)
    client = api_for(None)
    if session:
        client.force_login(admin)  # the middleware sees the user
    else:
        client.force_authenticate(admin)  # as with a token: only DRF sees the user
    response = client.post(
        f"{BASE}/{initiative.slug}/partnerships/{partnership.pk}/commit/",
        {"political_sponsor": "A", "officer_sponsor": "B"},
        format="json",
    )
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    partnership.refresh_from_db()
    assert partnership.status == Status.INTERESTED


def test_accept_decline_withdraw(
    api_for, initiative, partner_council, partner_admin, council_admin
):
    committed = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    path = f"{BASE}/{initiative.slug}/partnerships/{committed.pk}"
    # Only the lead's admins decide.
    assert api_for(partner_admin).post(f"{path}/accept/").status_code == 403
    response = api_for(council_admin).post(f"{path}/accept/", {"note": "Welcome"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert response.json()["events"][-1]["note"] == "Welcome"
    # Accepting twice: refused, one event.
    assert api_for(council_admin).post(f"{path}/accept/").status_code == 403
    assert committed.events.count() == 1
    # The lead cannot withdraw the partner; the partner's admin can.
    assert api_for(council_admin).post(f"{path}/withdraw/").status_code == 403
    response = api_for(partner_admin).post(f"{path}/withdraw/", {"note": "Budget"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_decline_with_a_too_long_note_is_400(api_for, initiative, partner_council, council_admin):
    partnership = add_partnership(initiative, partner_council, status=Status.INTERESTED)
    path = f"{BASE}/{initiative.slug}/partnerships/{partnership.pk}/decline/"
    response = api_for(council_admin).post(path, {"note": "x" * 501}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    partnership.refresh_from_db()
    assert partnership.status == Status.INTERESTED
    response = api_for(council_admin).post(path, {"note": "No"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"


def test_invite(api_for, initiative, supplier, council_admin, officer):
    path = f"{BASE}/{initiative.slug}/partnerships/invite/"
    assert api_for(officer).post(path, {"organisation": supplier.slug}).status_code == 403
    bad = api_for(council_admin).post(path, {"organisation": "no-such-org"}, format="json")
    assert bad.status_code == 400 and "organisation" in bad.json()
    missing = api_for(council_admin).post(path, {}, format="json")
    assert missing.status_code == 400 and "organisation" in missing.json()
    response = api_for(council_admin).post(path, {"organisation": supplier.slug}, format="json")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["role"]) == ("invited", "supplier")
    again = api_for(council_admin).post(path, {"organisation": supplier.slug}, format="json")
    assert again.status_code == 400
    assert "organisation" in again.json()
    assert Partnership.objects.filter(organisation=supplier).count() == 1


def test_hand_over_lead(api_for, initiative, council, partner_council, supplier, council_admin):
    add_partnership(initiative, partner_council, status=Status.ACTIVE)
    add_partnership(initiative, supplier, status=Status.ACTIVE)
    path = f"{BASE}/{initiative.slug}/lead/"
    refused = api_for(council_admin).post(path, {"organisation": supplier.slug}, format="json")
    assert refused.status_code == 400
    assert "organisation" in refused.json()
    initiative.refresh_from_db()
    assert initiative.lead_organisation == council

    response = api_for(council_admin).post(path, {"organisation": "partnerton"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["lead_organisation"]["slug"] == "partnerton"
    roles = {row["organisation"]["slug"]: row["role"] for row in response.json()["partnerships"]}
    assert roles[council.slug] == Role.PARTNER and roles["partnerton"] == Role.LEAD
    initiative.refresh_from_db()
    assert initiative.lead_organisation == partner_council
    # The old lead's admin is no longer the lead's admin.
    again = api_for(council_admin).post(path, {"organisation": council.slug}, format="json")
    assert again.status_code == 403


def test_follow_and_unfollow(api_for, initiative, outsider):
    path = f"{BASE}/{initiative.slug}/follow/"
    client = api_for(outsider)
    assert client.post(path).json() == {"following": True, "follower_count": 1}
    assert client.post(path).json() == {"following": True, "follower_count": 1}  # idempotent
    assert client.delete(path).json() == {"following": False, "follower_count": 0}
    assert client.delete(path).json() == {"following": False, "follower_count": 0}
    assert api_for(None).post(path).status_code == 401


def test_the_schema_documents_the_partnership_endpoints(api_for):
    response = api_for(None).get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    for path in (
        "/api/v1/initiatives/{slug}/interest/",
        "/api/v1/initiatives/{slug}/partnerships/",
        "/api/v1/initiatives/{slug}/partnerships/{id}/commit/",
        "/api/v1/initiatives/{slug}/partnerships/{id}/accept/",
        "/api/v1/initiatives/{slug}/partnerships/{id}/decline/",
        "/api/v1/initiatives/{slug}/partnerships/{id}/withdraw/",
        "/api/v1/initiatives/{slug}/partnerships/invite/",
        "/api/v1/initiatives/{slug}/lead/",
        "/api/v1/initiatives/{slug}/follow/",
    ):
        assert path in schema, path


def test_ended_organisations_cannot_be_invited(api_for, initiative, council_admin):
    ended = factories.OrganisationFactory(name="Oldshire", status=Organisation.Status.ENDED)
    response = api_for(council_admin).post(
        f"{BASE}/{initiative.slug}/partnerships/invite/",
        {"organisation": ended.slug},
        format="json",
    )
    assert response.status_code == 400
    assert not Partnership.objects.filter(organisation=ended).exists()
