"""Partnership services: every legal transition, the illegal ones refused with
nothing changed and no event written, pledge validation, events with actors,
partner_count, auto-follow, activity and e-mails."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from councils.models import Membership
from initiatives.models import Follow, Initiative, Partnership, PartnershipEvent
from initiatives.services import partnerships as services
from notifications.models import Activity
from tests import factories

from .support.partnerships import Role, Status, Visibility, add_partnership, snapshot


def _events(partnership) -> list[tuple]:
    return list(
        PartnershipEvent.objects.filter(partnership=partnership)
        .order_by("created_at", "id")
        .values_list("from_status", "to_status", "from_role", "to_role", "actor_id")
    )


def _sign_off(partnership, by, **overrides):
    kwargs = {
        "political_sponsor": "Cllr Jane Smith, Cabinet Member for Environment",
        "officer_sponsor": "Raj Patel, Director of Place",
        "pledged_pence": 1_500_000,
        "pledged_staff_days": 20,
        "pledged_skills": [],
    }
    kwargs.update(overrides)
    return services.sign_off_commitment(partnership=partnership, by=by, **kwargs)


# --- express interest ----------------------------------------------------------------


def test_officer_expresses_interest(
    initiative, partner_council, partner_officer, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partnership = services.express_interest(
            initiative=initiative, organisation=partner_council, by=partner_officer
        )
    partnership.refresh_from_db()
    assert (partnership.status, partnership.role) == (Status.INTERESTED, Role.PARTNER)
    assert _events(partnership) == [("", "interested", "", "partner", partner_officer.pk)]
    assert Follow.objects.filter(user=partner_officer, initiative=initiative).exists()
    assert Activity.objects.filter(verb="partnership.interested", actor=partner_officer).exists()
    # Interest alone does not make a partner.
    initiative.refresh_from_db()
    assert initiative.partner_count == 1
    # The lead's admins hear about it.
    assert [m.to for m in mail.outbox] == [[council_admin.email]]
    assert "Partnerton is interested" in mail.outbox[0].subject


def test_supplier_interest_is_a_supplier_request(initiative, supplier, supplier_user):
    partnership = services.express_interest(
        initiative=initiative, organisation=supplier, by=supplier_user
    )
    assert (partnership.status, partnership.role) == (Status.INTERESTED, Role.SUPPLIER)


@pytest.mark.parametrize("previous", [Status.WITHDRAWN, Status.DECLINED])
def test_interest_again_after_withdrawing_or_being_declined_starts_afresh(
    previous, initiative, partner_council, partner_officer, partner_admin
):
    partnership = add_partnership(initiative, partner_council, status=previous)
    partnership.political_sponsor = "Old sponsor"
    partnership.officer_sponsor = "Old officer"
    partnership.pledged_pence = 100
    partnership.signed_off_by = partner_admin
    partnership.save()
    partnership.pledged_skills.add(factories.skill("data"))

    again = services.express_interest(
        initiative=initiative, organisation=partner_council, by=partner_officer
    )
    again.refresh_from_db()
    assert again.pk == partnership.pk
    assert again.status == Status.INTERESTED
    assert (again.political_sponsor, again.pledged_pence, again.signed_off_by) == ("", 0, None)
    assert not again.pledged_skills.exists()
    assert _events(again) == [(previous, "interested", "partner", "partner", partner_officer.pk)]


def test_invited_supplier_answers_by_expressing_interest(initiative, supplier, supplier_user):
    partnership = add_partnership(initiative, supplier, status=Status.INVITED)
    services.express_interest(initiative=initiative, organisation=supplier, by=supplier_user)
    partnership.refresh_from_db()
    assert (partnership.status, partnership.role) == (Status.INTERESTED, Role.SUPPLIER)


@pytest.mark.parametrize("status", [Status.INTERESTED, Status.COMMITTED, Status.ACTIVE])
def test_interest_refused_when_already_open(status, initiative, partner_council, partner_officer):
    partnership = add_partnership(initiative, partner_council, status=status)
    before = snapshot(partnership)
    with pytest.raises(ValidationError, match="already"):
        services.express_interest(
            initiative=initiative, organisation=partner_council, by=partner_officer
        )
    assert snapshot(partnership) == before
    assert Partnership.objects.filter(initiative=initiative).count() == 2


def test_interest_refused_for_the_lead_and_for_drafts(
    council, officer, partner_council, partner_officer
):
    public = factories.make_initiative(council)
    with pytest.raises(ValidationError, match="leads this initiative"):
        services.express_interest(initiative=public, organisation=council, by=officer)
    draft = factories.make_initiative(council, visibility=Visibility.DRAFT)
    with pytest.raises(ValidationError, match="draft"):
        services.express_interest(
            initiative=draft, organisation=partner_council, by=partner_officer
        )
    assert not Partnership.objects.filter(organisation=partner_council).exists()
    assert not PartnershipEvent.objects.exclude(to_status=Status.ACTIVE).exists()


def test_interest_refused_for_someone_elses_organisation(initiative, partner_council, outsider):
    with pytest.raises(PermissionDenied):
        services.express_interest(initiative=initiative, organisation=partner_council, by=outsider)
    assert not Partnership.objects.filter(organisation=partner_council).exists()


def test_interest_refused_on_a_partners_only_initiative_you_cannot_see(
    council, partner_council, partner_officer
):
    hidden = factories.make_initiative(council, visibility=Visibility.PARTNERS)
    with pytest.raises(PermissionDenied):
        services.express_interest(
            initiative=hidden, organisation=partner_council, by=partner_officer
        )
    assert not Partnership.objects.filter(organisation=partner_council).exists()


# --- sign-off ------------------------------------------------------------------------


@pytest.mark.parametrize("from_status", [Status.INTERESTED, Status.INVITED])
def test_admin_signs_off_commitment(
    from_status,
    initiative,
    partner_council,
    partner_admin,
    council_admin,
    django_capture_on_commit_callbacks,
):
    partnership = add_partnership(initiative, partner_council, status=from_status)
    skills = [factories.skill("user-research"), factories.skill("data-science")]
    with django_capture_on_commit_callbacks(execute=True):
        _sign_off(partnership, partner_admin, pledged_skills=skills)
    partnership.refresh_from_db()
    assert partnership.status == Status.COMMITTED
    assert partnership.political_sponsor == "Cllr Jane Smith, Cabinet Member for Environment"
    assert partnership.officer_sponsor == "Raj Patel, Director of Place"
    assert (partnership.pledged_pence, partnership.pledged_staff_days) == (1_500_000, 20)
    assert set(partnership.pledged_skills.all()) == set(skills)
    assert partnership.signed_off_by == partner_admin
    assert partnership.signed_off_at is not None
    assert _events(partnership) == [
        (from_status, "committed", "partner", "partner", partner_admin.pk)
    ]
    initiative.refresh_from_db()
    assert initiative.partner_count == 2  # the lead and the committed partner
    assert Follow.objects.filter(user=partner_admin, initiative=initiative).exists()
    assert Activity.objects.filter(verb="partnership.committed", actor=partner_admin).exists()
    assert [m.to for m in mail.outbox] == [[council_admin.email]]
    assert "Cllr Jane Smith" in mail.outbox[0].body


def test_officer_cannot_sign_off(initiative, partner_council, partner_officer):
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    with pytest.raises(PermissionDenied):
        _sign_off(partnership, partner_officer)
    assert snapshot(partnership) == before


def test_another_councils_admin_cannot_sign_off(initiative, partner_council, outsider):
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    with pytest.raises(PermissionDenied):
        _sign_off(partnership, outsider)
    assert snapshot(partnership) == before


@pytest.mark.parametrize(
    "status", [Status.COMMITTED, Status.ACTIVE, Status.WITHDRAWN, Status.DECLINED]
)
def test_sign_off_refused_in_other_states(status, initiative, partner_council, partner_admin):
    partnership = add_partnership(initiative, partner_council, status=status)
    before = snapshot(partnership)
    with pytest.raises(ValidationError, match="Only an interested or invited"):
        _sign_off(partnership, partner_admin)
    assert snapshot(partnership) == before


def test_suppliers_do_not_sign_off(initiative, supplier):
    supplier_admin = factories.member_of(supplier, Membership.Role.ADMIN)
    partnership = add_partnership(initiative, supplier, status=Status.INTERESTED)
    before = snapshot(partnership)
    with pytest.raises(ValidationError, match="Suppliers"):
        _sign_off(partnership, supplier_admin)
    assert snapshot(partnership) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"political_sponsor": ""}, "political_sponsor"),
        ({"political_sponsor": "   "}, "political_sponsor"),
        ({"officer_sponsor": ""}, "officer_sponsor"),
        ({"officer_sponsor": "x" * 201}, "officer_sponsor"),
        ({"pledged_pence": -1}, "pledged_pence"),
        ({"pledged_pence": 12.5}, "pledged_pence"),
        ({"pledged_pence": "100"}, "pledged_pence"),
        ({"pledged_pence": True}, "pledged_pence"),
        ({"pledged_pence": 10**15}, "pledged_pence"),
        ({"pledged_staff_days": -3}, "pledged_staff_days"),
        ({"pledged_staff_days": None}, "pledged_staff_days"),
        ({"pledged_skills": ["user-research"]}, "pledged_skills"),
    ],
)
def test_bad_pledges_and_sponsors_are_refused_field_by_field(
    overrides, field, initiative, partner_council, partner_admin
):
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    with pytest.raises(ValidationError) as exc:
        _sign_off(partnership, partner_admin, **overrides)
    assert field in exc.value.message_dict
    assert snapshot(partnership) == before


# --- accept / decline ----------------------------------------------------------------


def test_lead_admin_accepts_committed_council(
    initiative, partner_council, partner_admin, council_admin, django_capture_on_commit_callbacks
):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_partner(partnership=partnership, by=council_admin, note="Welcome!")
    partnership.refresh_from_db()
    assert partnership.status == Status.ACTIVE
    assert _events(partnership) == [("committed", "active", "partner", "partner", council_admin.pk)]
    assert PartnershipEvent.objects.get(partnership=partnership).note == "Welcome!"
    initiative.refresh_from_db()
    assert initiative.partner_count == 2
    assert Activity.objects.filter(verb="partnership.accepted").exists()
    assert [m.to for m in mail.outbox] == [[partner_admin.email]]


def test_lead_admin_accepts_interested_supplier(initiative, supplier, council_admin):
    partnership = add_partnership(initiative, supplier, status=Status.INTERESTED)
    services.accept_partner(partnership=partnership, by=council_admin)
    partnership.refresh_from_db()
    assert (partnership.status, partnership.role) == (Status.ACTIVE, Role.SUPPLIER)


def test_an_interested_council_must_sign_off_before_acceptance(
    initiative, partner_council, council_admin
):
    partnership = add_partnership(initiative, partner_council, status=Status.INTERESTED)
    before = snapshot(partnership)
    with pytest.raises(ValidationError, match="committed"):
        services.accept_partner(partnership=partnership, by=council_admin)
    assert snapshot(partnership) == before


@pytest.mark.parametrize("who", ["officer", "facilitator", "partner_admin", "outsider"])
def test_only_the_leads_admins_accept_or_decline(
    who, request, initiative, partner_council, partner_admin
):
    user = request.getfixturevalue(who)
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    before = snapshot(partnership)
    with pytest.raises(PermissionDenied):
        services.accept_partner(partnership=partnership, by=user)
    with pytest.raises(PermissionDenied):
        services.decline_partner(partnership=partnership, by=user)
    assert snapshot(partnership) == before


@pytest.mark.parametrize("status", [Status.INTERESTED, Status.COMMITTED])
def test_lead_admin_declines(
    status,
    initiative,
    partner_council,
    partner_admin,
    council_admin,
    django_capture_on_commit_callbacks,
):
    partnership = add_partnership(initiative, partner_council, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_partner(partnership=partnership, by=council_admin, note="Out of scope")
    partnership.refresh_from_db()
    assert partnership.status == Status.DECLINED
    assert _events(partnership) == [(status, "declined", "partner", "partner", council_admin.pk)]
    assert [m.to for m in mail.outbox] == [[partner_admin.email]]
    assert "Out of scope" in mail.outbox[0].body


@pytest.mark.parametrize("status", [Status.ACTIVE, Status.WITHDRAWN, Status.DECLINED])
def test_accept_and_decline_refused_in_other_states(
    status, initiative, partner_council, council_admin
):
    partnership = add_partnership(initiative, partner_council, status=status)
    before = snapshot(partnership)
    with pytest.raises(ValidationError):
        services.accept_partner(partnership=partnership, by=council_admin)
    with pytest.raises(ValidationError):
        services.decline_partner(partnership=partnership, by=council_admin)
    assert snapshot(partnership) == before


def test_the_lead_cannot_be_accepted_declined_or_withdrawn(initiative, council, council_admin):
    lead = initiative.partnerships.get(organisation=council)
    before = snapshot(lead)
    for service in (services.accept_partner, services.decline_partner):
        with pytest.raises(ValidationError):
            service(partnership=lead, by=council_admin)
    with pytest.raises(ValidationError, match="Hand over the lead"):
        services.withdraw_partnership(partnership=lead, by=council_admin)
    assert snapshot(lead) == before


def test_note_too_long_is_a_field_error(initiative, partner_council, council_admin):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    with pytest.raises(ValidationError) as exc:
        services.decline_partner(partnership=partnership, by=council_admin, note="x" * 501)
    assert "note" in exc.value.message_dict
    partnership.refresh_from_db()
    assert partnership.status == Status.COMMITTED


# --- withdraw ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.INVITED, Status.INTERESTED])
def test_any_member_withdraws_before_commitment(
    status, initiative, partner_council, partner_officer
):
    partnership = add_partnership(initiative, partner_council, status=status)
    services.withdraw_partnership(partnership=partnership, by=partner_officer, note="Not now")
    partnership.refresh_from_db()
    assert partnership.status == Status.WITHDRAWN
    assert _events(partnership) == [(status, "withdrawn", "partner", "partner", partner_officer.pk)]


@pytest.mark.parametrize("status", [Status.COMMITTED, Status.ACTIVE])
def test_only_admins_withdraw_a_commitment(
    status,
    initiative,
    partner_council,
    partner_officer,
    partner_admin,
    council_admin,
    django_capture_on_commit_callbacks,
):
    partnership = add_partnership(initiative, partner_council, status=status)
    from initiatives.services.partnerships import refresh_partner_count

    refresh_partner_count(initiative=initiative)
    before = snapshot(partnership)
    with pytest.raises(PermissionDenied, match="admins"):
        services.withdraw_partnership(partnership=partnership, by=partner_officer)
    assert snapshot(partnership) == before

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_partnership(partnership=partnership, by=partner_admin)
    partnership.refresh_from_db()
    assert partnership.status == Status.WITHDRAWN
    initiative.refresh_from_db()
    assert initiative.partner_count == 1
    # The lead hears that a committed partner left.
    assert [m.to for m in mail.outbox] == [[council_admin.email]]


def test_nobody_else_withdraws_an_organisation(initiative, partner_council, outsider, officer):
    partnership = add_partnership(initiative, partner_council, status=Status.INTERESTED)
    before = snapshot(partnership)
    for user in (outsider, officer):
        with pytest.raises(PermissionDenied):
            services.withdraw_partnership(partnership=partnership, by=user)
    assert snapshot(partnership) == before


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.DECLINED])
def test_withdraw_refused_when_already_closed(status, initiative, partner_council, partner_admin):
    partnership = add_partnership(initiative, partner_council, status=status)
    before = snapshot(partnership)
    with pytest.raises(ValidationError, match="already"):
        services.withdraw_partnership(partnership=partnership, by=partner_admin)
    assert snapshot(partnership) == before


# --- invite --------------------------------------------------------------------------


def test_lead_invites_a_council_whose_admin_then_commits(
    initiative, partner_council, partner_admin, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partnership = services.invite_partner(
            initiative=initiative, organisation=partner_council, by=council_admin
        )
    assert (partnership.status, partnership.role) == (Status.INVITED, Role.PARTNER)
    assert [m.to for m in mail.outbox] == [[partner_admin.email]]
    _sign_off(partnership, partner_admin)
    services.accept_partner(partnership=partnership, by=council_admin)
    assert [e[1] for e in _events(partnership)] == ["invited", "committed", "active"]


def test_lead_invites_a_supplier_who_accepts_then_the_lead_confirms(
    initiative, supplier, supplier_user, council_admin
):
    partnership = services.invite_partner(
        initiative=initiative, organisation=supplier, by=council_admin
    )
    assert (partnership.status, partnership.role) == (Status.INVITED, Role.SUPPLIER)
    services.express_interest(initiative=initiative, organisation=supplier, by=supplier_user)
    services.accept_partner(partnership=partnership, by=council_admin)
    partnership.refresh_from_db()
    assert (partnership.status, partnership.role) == (Status.ACTIVE, Role.SUPPLIER)
    assert [e[1] for e in _events(partnership)] == ["invited", "interested", "active"]


def test_invite_refused_for_open_partnerships_drafts_and_non_admins(
    council, initiative, partner_council, officer, council_admin
):
    add_partnership(initiative, partner_council, status=Status.INTERESTED)
    with pytest.raises(ValidationError) as exc:
        services.invite_partner(
            initiative=initiative, organisation=partner_council, by=council_admin
        )
    assert "organisation" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.invite_partner(initiative=initiative, organisation=council, by=council_admin)
    other = factories.OrganisationFactory()
    draft = factories.make_initiative(council, visibility=Visibility.DRAFT)
    with pytest.raises(ValidationError, match="draft"):
        services.invite_partner(initiative=draft, organisation=other, by=council_admin)
    with pytest.raises(PermissionDenied):
        services.invite_partner(initiative=initiative, organisation=other, by=officer)
    assert not Partnership.objects.filter(organisation=other).exists()


# --- hand over the lead --------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.COMMITTED, Status.ACTIVE])
def test_lead_admin_hands_over_the_lead(
    status,
    initiative,
    council,
    partner_council,
    partner_admin,
    council_admin,
    django_capture_on_commit_callbacks,
):
    new = add_partnership(initiative, partner_council, status=status)
    old = initiative.partnerships.get(organisation=council)
    with django_capture_on_commit_callbacks(execute=True):
        services.hand_over_lead(
            initiative=initiative, to_organisation=partner_council, by=council_admin
        )
    initiative.refresh_from_db()
    new.refresh_from_db()
    old.refresh_from_db()
    assert initiative.lead_organisation == partner_council
    assert (new.role, new.status) == (Role.LEAD, Status.ACTIVE)
    assert (old.role, old.status) == (Role.PARTNER, Status.ACTIVE)
    assert _events(old) == [("active", "active", "lead", "partner", council_admin.pk)]
    assert _events(new) == [(status, "active", "partner", "lead", council_admin.pk)]
    assert initiative.partner_count == 2
    assert Activity.objects.filter(verb="initiative.lead_handed_over").exists()
    assert [m.to for m in mail.outbox] == [[partner_admin.email]]
    # The old lead is now an ordinary partner: it may leave; the new lead may not.
    services.withdraw_partnership(partnership=old, by=council_admin)
    with pytest.raises(ValidationError):
        services.withdraw_partnership(partnership=new, by=partner_admin)


def test_lead_cannot_go_to_a_supplier_or_an_uncommitted_council(
    initiative, council, partner_council, supplier, council_admin
):
    add_partnership(initiative, supplier, status=Status.ACTIVE)
    add_partnership(initiative, partner_council, status=Status.INTERESTED)
    for organisation in (supplier, partner_council):
        with pytest.raises((ValidationError, PermissionDenied)):
            services.hand_over_lead(
                initiative=initiative, to_organisation=organisation, by=council_admin
            )
    initiative.refresh_from_db()
    assert initiative.lead_organisation == council
    assert PartnershipEvent.objects.filter(partnership__initiative=initiative).count() == 0


def test_only_the_leads_admins_hand_over(initiative, council, partner_council, officer, outsider):
    add_partnership(initiative, partner_council, status=Status.ACTIVE)
    for user in (officer, outsider):
        with pytest.raises(PermissionDenied):
            services.hand_over_lead(initiative=initiative, to_organisation=partner_council, by=user)
    assert Initiative.objects.get(pk=initiative.pk).lead_organisation == council


# --- the whole journey ----------------------------------------------------------------


def test_partner_count_follows_the_journey(
    initiative, partner_council, partner_officer, partner_admin, council_admin
):
    def count():
        initiative.refresh_from_db()
        return initiative.partner_count

    partnership = services.express_interest(
        initiative=initiative, organisation=partner_council, by=partner_officer
    )
    assert count() == 1
    _sign_off(partnership, partner_admin)
    assert count() == 2
    services.accept_partner(partnership=partnership, by=council_admin)
    assert count() == 2
    services.withdraw_partnership(partnership=partnership, by=partner_admin)
    assert count() == 1
    actors = [e[4] for e in _events(partnership)]
    assert actors == [partner_officer.pk, partner_admin.pk, council_admin.pk, partner_admin.pk]
