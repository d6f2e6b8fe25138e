"""Partnership pages, driven like a browser: each action for the people allowed,
refusals (404 for invisible, 403 for visible-but-not-allowed, sign-in for
anonymous) that change nothing, form errors, and the partners section with its
query bound."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from councils.models import Membership
from initiatives.models import Follow, Partnership, PartnershipEvent
from initiatives.views.partnerships import partners_context
from tests import factories

from .support.partnerships import Role, Status, Visibility, add_partnership, snapshot


def url(name: str, initiative, **kwargs) -> str:
    return reverse(f"initiatives:{name}", kwargs={"slug": initiative.slug, **kwargs})


# --- express interest ----------------------------------------------------------------


def test_officer_expresses_interest_and_sees_their_council_on_the_page(
    client_for, initiative, partner_council, partner_officer
):
    client = client_for(partner_officer)
    response = client.post(url("express_interest", initiative), follow=True)
    assert response.redirect_chain[-1][0] == initiative.get_absolute_url()
    partnership = Partnership.objects.get(initiative=initiative, organisation=partner_council)
    assert partnership.status == Status.INTERESTED
    content = response.content.decode()
    assert "Partnerton is now interested" in content
    assert f'id="partnership-{partnership.pk}"' in content
    assert "Express interest for" not in content  # already interested


def test_interest_carries_a_note_to_the_lead(
    client_for,
    initiative,
    partner_council,
    partner_officer,
    council_admin,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    client = client_for(partner_officer)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Note to the lead (optional)" in page and 'data-maxlength="500"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("express_interest", initiative), {"note": "  We run the same system.  "}
        )
    assert response.status_code == 302
    event = PartnershipEvent.objects.get(partnership__organisation=partner_council)
    assert event.note == "We run the same system."
    to_lead = [m for m in mail.outbox if m.to == [council_admin.email]]
    assert to_lead and all("Their note: We run the same system." in m.body for m in to_lead)


def test_an_over_long_interest_note_is_refused_and_changes_nothing(
    client_for, initiative, partner_council, partner_officer
):
    response = client_for(partner_officer).post(
        url("express_interest", initiative), {"note": "x" * 501}, follow=True
    )
    assert "Note to the lead must be 500 characters or fewer." in response.content.decode()
    assert not Partnership.objects.filter(organisation=partner_council).exists()


def test_express_interest_is_post_only(client_for, initiative, partner_officer):
    response = client_for(partner_officer).get(url("express_interest", initiative))
    assert response.status_code == 405
    assert not Partnership.objects.filter(organisation__slug="partnerton").exists()


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, initiative):
    for name in ("express_interest", "follow", "hand_over_lead", "invite_partner"):
        response = client.post(url(name, initiative))
        assert response.status_code == 302
        assert reverse("account_login") in response.url
    assert Partnership.objects.filter(initiative=initiative).count() == 1
    assert not Follow.objects.exists()


def test_lead_officer_cannot_express_interest_in_their_own_initiative(
    client_for, initiative, officer
):
    response = client_for(officer).post(url("express_interest", initiative))
    assert response.status_code == 403
    assert Partnership.objects.filter(initiative=initiative).count() == 1


@pytest.mark.parametrize("visibility", [Visibility.PARTNERS, Visibility.DRAFT])
def test_outsider_gets_404_for_initiatives_they_cannot_see(
    client_for, council, outsider, visibility
):
    factories.enrol_totp(outsider)  # an admin: sign-off pages need two-factor first
    hidden = factories.make_initiative(council, visibility=visibility)
    client = client_for(outsider)
    lead = hidden.partnerships.get()
    for name, kwargs in [
        ("express_interest", {}),
        ("follow", {}),
        ("unfollow", {}),
        ("invite_partner", {}),
        ("hand_over_lead", {}),
        ("commit", {"pk": lead.pk}),
        ("accept", {"pk": lead.pk}),
        ("decline", {"pk": lead.pk}),
        ("withdraw", {"pk": lead.pk}),
    ]:
        response = client.post(url(name, hidden, **kwargs))
        assert response.status_code == 404, name
        assert "Leedsham" not in response.content.decode()
    assert Partnership.objects.filter(initiative=hidden).count() == 1
    assert not PartnershipEvent.objects.exists()


def test_a_partnership_of_another_initiative_is_404(
    client_for, council, initiative, partner_council, partner_admin
):
    other = factories.make_initiative(council, slug="other-initiative")
    partnership = add_partnership(other, partner_council)
    response = client_for(partner_admin).get(url("commit", initiative, pk=partnership.pk))
    assert response.status_code == 404


def test_a_refused_transition_explains_itself_and_changes_nothing(
    client_for, initiative, partner_council, council_admin
):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    client = client_for(council_admin)
    assert client.post(url("accept", initiative, pk=partnership.pk)).status_code == 302
    # A second click on a stale page: the policy now refuses (it is already active).
    response = client.post(url("accept", initiative, pk=partnership.pk))
    assert response.status_code == 403
    assert PartnershipEvent.objects.filter(partnership=partnership).count() == 1


# --- sign-off ------------------------------------------------------------------------


def test_admin_signs_off_with_sponsors_and_exact_pledges(
    client_for, initiative, partner_council, partner_admin
):
    partnership = add_partnership(initiative, partner_council)
    research = factories.skill("user-research")
    factories.skill("data-science")
    client = client_for(partner_admin)
    page = client.get(url("commit", initiative, pk=partnership.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Political sponsor" in html and "Officer sponsor" in html
    assert 'name="pledged_skills"' in html and "<h1" in html

    response = client.post(
        url("commit", initiative, pk=partnership.pk),
        {
            "political_sponsor": "Cllr Jane Smith",
            "officer_sponsor": "Raj Patel",
            "pledged_pounds": "£1,234.56",
            "pledged_staff_days": "12",
            "pledged_skills": ["user-research"],
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Status.COMMITTED
    assert partnership.pledged_pence == 123_456
    assert partnership.pledged_staff_days == 12
    assert list(partnership.pledged_skills.all()) == [research]
    assert partnership.signed_off_by == partner_admin


@pytest.mark.parametrize(
    ("pounds", "pence"),
    [("0.1", 10), ("19.99", 1999), ("1000000", 100_000_000), ("", 0), ("0.07", 7)],
)
def test_pounds_become_exact_pence(
    pounds, pence, client_for, initiative, partner_council, partner_admin
):
    partnership = add_partnership(initiative, partner_council)
    client_for(partner_admin).post(
        url("commit", initiative, pk=partnership.pk),
        {"political_sponsor": "A", "officer_sponsor": "B", "pledged_pounds": pounds},
    )
    partnership.refresh_from_db()
    assert (partnership.status, partnership.pledged_pence) == (Status.COMMITTED, pence)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"political_sponsor": ""}, "Enter the name of the political sponsor"),
        ({"officer_sponsor": ""}, "Enter the name of the officer sponsor"),
        ({"pledged_pounds": "12.345"}, "nearest penny"),
        ({"pledged_pounds": "-5"}, "cannot be negative"),
        ({"pledged_pounds": "lots"}, "Enter an amount in pounds"),
        ({"pledged_pounds": "1e5"}, "Enter an amount in pounds"),
        ({"pledged_staff_days": "-1"}, "Staff days pledged must be 0 or more"),
        ({"pledged_staff_days": "2.5"}, "whole number"),
        (
            {"pledged_skills": ["no-such-skill"]},
            "Select one of the options given for the skills pledged",
        ),
    ],
)
def test_bad_sign_off_input_shows_errors_and_changes_nothing(
    data, message, client_for, initiative, partner_council, partner_admin
):
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    body = {"political_sponsor": "Cllr A", "officer_sponsor": "Ms B", "pledged_pounds": "10"}
    body.update(data)
    response = client_for(partner_admin).post(url("commit", initiative, pk=partnership.pk), body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "govuk-error-message" in html
    assert message in html
    assert snapshot(partnership) == before


@pytest.mark.parametrize("who", ["partner_officer", "officer", "council_admin", "outsider"])
def test_only_the_partners_admin_sees_the_sign_off_page(
    who, request, client_for, initiative, partner_council, partner_admin
):
    partnership = add_partnership(initiative, partner_council)
    before = snapshot(partnership)
    user = request.getfixturevalue(who)
    if who == "outsider":
        factories.enrol_totp(user)  # an admin elsewhere: past the two-factor gate, then refused
    client = client_for(user)
    assert client.get(url("commit", initiative, pk=partnership.pk)).status_code == 403
    body = {"political_sponsor": "X", "officer_sponsor": "Y"}
    assert client.post(url("commit", initiative, pk=partnership.pk), body).status_code == 403
    assert snapshot(partnership) == before


def test_sign_off_needs_two_factor_authentication(client_for, initiative, partner_council):
    admin_without_mfa = factories.member_of(partner_council, Membership.Role.ADMIN, totp=False)
    partnership = add_partnership(initiative, partner_council)
    response = client_for(admin_without_mfa).post(
        url("commit", initiative, pk=partnership.pk),
        {"political_sponsor": "X", "officer_sponsor": "Y"},
    )
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response.url
    partnership.refresh_from_db()
    assert partnership.status == Status.INTERESTED


# --- accept, decline, withdraw -------------------------------------------------------


def test_lead_admin_accepts(client_for, initiative, partner_council, council_admin):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    client = client_for(council_admin)
    assert client.get(url("accept", initiative, pk=partnership.pk)).status_code == 405
    response = client.post(url("accept", initiative, pk=partnership.pk))
    assert response.status_code == 302
    assert response.url == initiative.get_absolute_url()
    partnership.refresh_from_db()
    assert partnership.status == Status.ACTIVE


@pytest.mark.parametrize("who", ["officer", "facilitator", "partner_admin", "outsider"])
def test_others_cannot_accept_or_decline(who, request, client_for, initiative, partner_council):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    before = snapshot(partnership)
    client = client_for(request.getfixturevalue(who))
    assert client.post(url("accept", initiative, pk=partnership.pk)).status_code == 403
    assert client.post(url("decline", initiative, pk=partnership.pk)).status_code == 403
    assert snapshot(partnership) == before


def test_lead_admin_declines_with_a_note(client_for, initiative, partner_council, council_admin):
    partnership = add_partnership(initiative, partner_council, status=Status.INTERESTED)
    client = client_for(council_admin)
    page = client.get(url("decline", initiative, pk=partnership.pk))
    assert page.status_code == 200
    assert "Decline Partnerton?" in page.content.decode()

    too_long = client.post(url("decline", initiative, pk=partnership.pk), {"note": "x" * 501})
    assert too_long.status_code == 400
    assert "There is a problem" in too_long.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == Status.INTERESTED

    response = client.post(url("decline", initiative, pk=partnership.pk), {"note": "Not a fit"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Status.DECLINED
    assert partnership.events.get().note == "Not a fit"


def test_officer_withdraws_interest_but_not_a_commitment(
    client_for, initiative, partner_council, partner_officer, partner_admin
):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    client = client_for(partner_officer)
    assert client.get(url("withdraw", initiative, pk=partnership.pk)).status_code == 403
    assert client.post(url("withdraw", initiative, pk=partnership.pk)).status_code == 403

    admin = client_for(partner_admin)
    assert admin.get(url("withdraw", initiative, pk=partnership.pk)).status_code == 200
    assert admin.post(url("withdraw", initiative, pk=partnership.pk)).status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Status.WITHDRAWN


def test_officer_withdraws_interest(client_for, initiative, partner_council, partner_officer):
    partnership = add_partnership(initiative, partner_council, status=Status.INTERESTED)
    response = client_for(partner_officer).post(
        url("withdraw", initiative, pk=partnership.pk), {"note": "Timing"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Status.WITHDRAWN


# --- invite and hand over ------------------------------------------------------------


def test_lead_admin_invites_an_organisation(
    client_for, initiative, council, partner_council, supplier, council_admin
):
    factories.OrganisationFactory(name="Endedshire", status="ended")
    client = client_for(council_admin)
    page = client.get(url("invite_partner", initiative))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Partnerton" in html and "Acme Digital Ltd" in html
    assert "Endedshire" not in html
    assert f'value="{council.slug}"' not in html  # not the lead itself

    response = client.post(url("invite_partner", initiative), {"organisation": supplier.slug})
    assert response.status_code == 302
    invited = Partnership.objects.get(initiative=initiative, organisation=supplier)
    assert (invited.status, invited.role) == (Status.INVITED, Role.SUPPLIER)

    again = client.post(url("invite_partner", initiative), {"organisation": supplier.slug})
    assert again.status_code == 400  # no longer in the list
    assert "Choose an organisation from the list" in again.content.decode()
    empty = client.post(url("invite_partner", initiative), {"organisation": ""})
    assert empty.status_code == 400
    assert "Choose an organisation to invite" in empty.content.decode()
    assert Partnership.objects.filter(initiative=initiative).count() == 2


def test_others_cannot_invite(client_for, initiative, officer, outsider, supplier):
    for user in (officer, outsider):
        client = client_for(user)
        assert client.get(url("invite_partner", initiative)).status_code == 403
        body = {"organisation": supplier.slug}
        assert client.post(url("invite_partner", initiative), body).status_code == 403
    assert not Partnership.objects.filter(organisation=supplier).exists()


def test_lead_admin_hands_over_the_lead(
    client_for, initiative, council, partner_council, supplier, council_admin
):
    add_partnership(initiative, partner_council, status=Status.COMMITTED)
    add_partnership(initiative, supplier, status=Status.ACTIVE)
    client = client_for(council_admin)
    page = client.get(url("hand_over_lead", initiative))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="partnerton"' in html
    assert f'value="{supplier.slug}"' not in html  # suppliers cannot lead

    refused = client.post(url("hand_over_lead", initiative), {"organisation": supplier.slug})
    assert refused.status_code == 400
    assert "Choose one of the committed partner councils" in refused.content.decode()
    initiative.refresh_from_db()
    assert initiative.lead_organisation == council

    response = client.post(url("hand_over_lead", initiative), {"organisation": "partnerton"})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.lead_organisation == partner_council


def test_hand_over_is_refused_without_an_eligible_partner_or_for_officers(
    client_for, initiative, partner_council, officer, council_admin
):
    assert client_for(council_admin).get(url("hand_over_lead", initiative)).status_code == 403
    add_partnership(initiative, partner_council, status=Status.ACTIVE)
    assert client_for(officer).get(url("hand_over_lead", initiative)).status_code == 403


# --- the partners section ------------------------------------------------------------


def _render_section(initiative, user) -> str:
    request = RequestFactory().get(initiative.get_absolute_url())
    request.user = user
    context = {"initiative": initiative, "user": user, "request": request}
    context.update(partners_context(initiative=initiative, user=user))
    return render_to_string("initiatives/includes/partners.html", context, request=request)


def _many_partners(initiative, n: int, signer) -> None:
    skills = [factories.skill("user-research"), factories.skill("data-science")]
    for i in range(n):
        org = factories.OrganisationFactory(name=f"Partner {i}")
        p = add_partnership(initiative, org, status=Status.COMMITTED)
        p.political_sponsor, p.officer_sponsor = f"Cllr {i}", f"Officer {i}"
        p.pledged_pence, p.signed_off_by = 250_050, signer
        p.save()
        p.pledged_skills.set(skills)
        PartnershipEvent.objects.create(
            partnership=p, from_status="interested", to_status="committed", actor=signer
        )


def test_partners_section_shows_sponsors_pledges_history_and_actions(
    initiative, partner_council, partner_admin, council_admin
):
    partnership = add_partnership(initiative, partner_council, status=Status.COMMITTED)
    partnership.political_sponsor = "Cllr Jane Smith"
    partnership.officer_sponsor = "Raj Patel"
    partnership.pledged_pence = 1_234_56
    partnership.pledged_staff_days = 3
    partnership.signed_off_by = partner_admin
    partnership.save()
    partnership.pledged_skills.set([factories.skill("user-research")])
    PartnershipEvent.objects.create(
        partnership=partnership,
        from_status="interested",
        to_status="committed",
        actor=partner_admin,
    )

    html = _render_section(initiative, council_admin)
    assert "Cllr Jane Smith" in html and "Raj Patel" in html
    assert "£1,234.56" in html and "3 staff days" in html and "User research" in html
    assert "Committed (signed off)" in html
    assert partner_admin.display_name in html  # the history names who
    assert url("accept", initiative, pk=partnership.pk) in html
    assert url("decline", initiative, pk=partnership.pk) in html
    assert url("invite_partner", initiative) in html
    assert url("hand_over_lead", initiative) in html  # a committed partner can take over

    # The public see the partners but not people's names (the sponsors' are
    # names too: their role and organisation instead) or anyone's buttons.
    public = _render_section(initiative, AnonymousUser())
    assert "Cllr Jane Smith" not in public and "Raj Patel" not in public
    assert f"A councillor at {partner_council.name}" in public
    assert f"Officer: An officer at {partner_council.name}" in public
    assert partner_admin.display_name not in public
    assert "/accept/" not in public and "Sign in to follow" in public

    # An outsider can express interest and follow, nothing else.
    outsider_view = _render_section(
        initiative, factories.member_of(factories.OrganisationFactory())
    )
    assert url("express_interest", initiative) in outsider_view
    assert url("follow", initiative) in outsider_view
    assert "/accept/" not in outsider_view and "/commit/" not in outsider_view


def test_a_supplier_asks_to_join_as_a_supplier(initiative, supplier_user):
    html = _render_section(initiative, supplier_user)
    assert "Ask to join as a supplier" in html
    assert url("express_interest", initiative) in html


def test_partner_admin_sees_the_sign_off_link(initiative, partner_council, partner_admin):
    partnership = add_partnership(initiative, partner_council, status=Status.INTERESTED)
    html = _render_section(initiative, partner_admin)
    assert url("commit", initiative, pk=partnership.pk) in html
    assert url("withdraw", initiative, pk=partnership.pk) in html


@pytest.mark.parametrize("n", [1, 25])
def test_partners_section_query_count_is_constant(
    n, django_assert_max_num_queries, council, partner_admin, council_admin
):
    initiative = factories.make_initiative(council, visibility=Visibility.PARTNERS)
    _many_partners(initiative, n, partner_admin)
    factories.member_of(council)  # a follower-to-be
    Follow.objects.create(user=council_admin, initiative=initiative)
    # Expected: membership (1); partnerships + organisation + signer (1); pledged
    # skills (1); events + actors (1); follow aggregate (1); = 5, whatever n.
    with django_assert_max_num_queries(5):
        html = _render_section(initiative, council_admin)
    assert html.count("/decline/") == n


@pytest.mark.parametrize("n", [1, 25])
def test_partners_section_query_count_for_an_outsider(
    n, django_assert_max_num_queries, council, partner_admin, outsider
):
    initiative = factories.make_initiative(council, visibility=Visibility.PLATFORM)
    _many_partners(initiative, n, partner_admin)
    # Expected: membership (1); partnerships (1); skills (1); events (1); follow
    # aggregate (1); visibility checks of a non-public initiative by the
    # policies that need one (express interest, follow) (2) = 7, whatever n.
    with django_assert_max_num_queries(7):
        html = _render_section(initiative, outsider)
    assert html.count("£2,500.50") == n


def test_detail_page_includes_the_partners_section(client_for, initiative, partner_officer):
    response = client_for(partner_officer).get(initiative.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="partners-heading"' in html
    assert url("express_interest", initiative) in html
