"""Staff onboarding pages, driven through the test client as a platform admin
(``staff``), and refused to everyone else."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.tokens import hash_token
from councils.models import AccessRequest, EmailDomain, Invitation, Membership, Organisation
from councils.services.people import accept_invitation
from notifications.models import Activity
from tests import factories

ATTRIBUTION = "Contains data from mySociety (CC BY 4.0)"


def url(name, *args):
    return reverse(f"onboarding:{name}", args=args)


# Search --------------------------------------------------------------------------------


def test_index_searches_every_organisation_by_name_or_code(
    client_for, staff, council, registered, ended, supplier
):
    client = client_for(staff)

    everything = client.get(url("index"))
    assert everything.status_code == 200
    for organisation in (council, registered, ended, supplier):
        assert organisation.name in everything.content.decode()
    assert ATTRIBUTION in everything.content.decode()

    by_name = client.get(url("index"), {"q": "wakef"}).content.decode()
    assert "Wakefield" in by_name and "Leedsham" not in by_name
    by_code = client.get(url("index"), {"q": "wkf"}).content.decode()
    assert "Wakefield" in by_code and "Leedsham" not in by_code
    by_gss = client.get(url("index"), {"q": "E08000036"}).content.decode()
    assert "Wakefield" in by_gss and "Oldshire" not in by_gss
    ended_only = client.get(url("index"), {"status": "ended"}).content.decode()
    assert "Oldshire" in ended_only and "Wakefield" not in ended_only
    nothing = client.get(url("index"), {"q": "zzz-no-such"}).content.decode()
    assert "0 organisations match your search" in nothing


def test_index_paginates_results(client_for, staff):
    for number in range(30):
        factories.OrganisationFactory(name=f"Borough {number:02d}")
    client = client_for(staff)

    first = client.get(url("index"), {"q": "Borough"}).content.decode()
    second = client.get(url("index"), {"q": "Borough", "page": 2}).content.decode()

    assert "30 organisations match your search" in first
    assert "Borough 00" in first and "Borough 24" in first and "Borough 25" not in first
    assert "Borough 25" in second and "Borough 29" in second and "Borough 00" not in second
    assert 'aria-label="Page 2"' in first


def _organisations_and_requests(count: int) -> None:
    for number in range(count):
        factories.OrganisationFactory(name=f"Place {number:03d}")
        factories_user = factories.UserFactory()
        AccessRequest.objects.create(
            user=factories_user, organisation_name=f"Supplier {number}", reason="Why not"
        )


@pytest.mark.parametrize("count", [2, 40])
def test_index_query_count_does_not_grow(client_for, staff, count, django_assert_max_num_queries):
    _organisations_and_requests(count)
    client = client_for(staff)
    # session, user, MFA check (authenticator), the header's membership, organisations
    # count, organisations page, pending access requests joined to their users.
    with django_assert_max_num_queries(7):
        response = client.get(url("index"))
    assert response.status_code == 200
    assert response.content.decode().count("Approve<span") == count


# One organisation ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 15])
def test_organisation_page_query_count_does_not_grow(
    client_for, staff, registered, count, django_assert_max_num_queries
):
    for number in range(count):
        EmailDomain.objects.create(organisation=registered, domain=f"d{number}.wakefield.gov.uk")
        Invitation.objects.create(
            organisation=registered,
            email=f"person{number}@wakefield.gov.uk",
            role=Membership.Role.ADMIN,
            token_hash=f"{number:064d}",
            invited_by=staff,
            expires_at="2099-01-01T00:00:00Z",
        )
        factories.OrganisationFactory(name=f"Old Wakefield {number}", successor=registered)
    factories.member_of(registered, Membership.Role.ADMIN)
    client = client_for(staff)
    # session, user, MFA check (authenticator), organisation joined to its successor,
    # the header's membership, predecessors, e-mail domains, admins joined to users,
    # invitations joined to their senders and acceptors.
    with django_assert_max_num_queries(9):
        response = client.get(url("organisation", "wakefield"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(".wakefield.gov.uk</th>") == count  # domains
    assert body.count("@wakefield.gov.uk</th>") == count
    assert "Old Wakefield 0" in body
    assert ATTRIBUTION in body
    assert "Activate" in body


def test_unknown_organisation_is_404(client_for, staff):
    assert client_for(staff).get(url("organisation", "no-such-place")).status_code == 404


def test_staff_activate_a_registered_authority(client_for, staff, registered):
    response = client_for(staff).post(url("activate", "wakefield"), follow=True)

    registered.refresh_from_db()
    assert registered.status == Organisation.Status.ACTIVE
    assert "Wakefield is now active." in response.content.decode()
    assert Activity.objects.filter(verb="organisation.activated", actor=staff).count() == 1


def test_an_ended_authority_cannot_be_activated(client_for, staff, ended):
    response = client_for(staff).post(url("activate", "oldshire"), follow=True)

    ended.refresh_from_db()
    assert ended.status == Organisation.Status.ENDED
    assert "cannot be activated" in response.content.decode()
    assert not Activity.objects.filter(verb="organisation.activated").exists()


def test_activate_needs_post(client_for, staff, registered):
    assert client_for(staff).get(url("activate", "wakefield")).status_code == 405
    registered.refresh_from_db()
    assert registered.status == Organisation.Status.REGISTERED


# E-mail domains ------------------------------------------------------------------------


def test_staff_add_a_domain_lower_cased(client_for, staff, registered):
    response = client_for(staff).post(
        url("domain_add", "wakefield"), {"domain": "  @Wakefield.GOV.uk "}, follow=True
    )

    assert list(registered.email_domains.values_list("domain", flat=True)) == ["wakefield.gov.uk"]
    assert "Added the e-mail domain wakefield.gov.uk." in response.content.decode()
    assert Activity.objects.filter(verb="organisation.domain_added").count() == 1


def test_a_domain_of_another_organisation_is_refused(client_for, staff, registered, council):
    response = client_for(staff).post(url("domain_add", "wakefield"), {"domain": "LEEDSHAM.gov.uk"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "leedsham.gov.uk already belongs to Leedsham." in body
    assert not registered.email_domains.exists()
    assert EmailDomain.objects.get(domain="leedsham.gov.uk").organisation == council


@pytest.mark.parametrize("domain", ["not a domain", "wakefield", "https://x.gov.uk/", ""])
def test_invalid_domains_are_refused(client_for, staff, registered, domain):
    response = client_for(staff).post(url("domain_add", "wakefield"), {"domain": domain})

    assert response.status_code == 200
    assert 'class="govuk-error-message"' in response.content.decode()
    assert not EmailDomain.objects.exists()


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        (
            "gov.uk",
            "gov.uk is shared by many organisations, so it cannot identify one council. "
            "Use the council&#x27;s own domain, such as leeds.gov.uk.",
        ),
        ("co.uk", "co.uk is shared by many organisations"),
        ("GMail.com", "gmail.com is a public e-mail service"),
        ("btinternet.com", "btinternet.com is a public e-mail service"),
    ],
)
def test_shared_domains_are_refused_on_the_page(
    client_for, staff, registered, domain, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url("domain_add", "wakefield"), {"domain": domain})

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and message in body
    assert 'href="#id_domain"' in body  # the summary links to the field
    assert not EmailDomain.objects.exists()
    assert not Activity.objects.filter(verb="organisation.domain_added").exists()
    assert not mail.outbox


def test_staff_remove_a_domain(client_for, staff, council):
    domain = council.email_domains.get()

    response = client_for(staff).post(url("domain_delete", council.slug, domain.pk), follow=True)

    assert not EmailDomain.objects.filter(pk=domain.pk).exists()
    assert "Removed the e-mail domain leedsham.gov.uk." in response.content.decode()
    assert Activity.objects.filter(verb="organisation.domain_removed").count() == 1


def test_a_domain_cannot_be_removed_through_another_organisation(
    client_for, staff, council, registered
):
    domain = council.email_domains.get()

    response = client_for(staff).post(url("domain_delete", "wakefield", domain.pk))

    assert response.status_code == 404
    assert EmailDomain.objects.filter(pk=domain.pk).exists()


# First admin ---------------------------------------------------------------------------


def test_invite_first_admin_sends_a_link_that_makes_an_active_admin(
    client_for, staff, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url("invite_admin", "wakefield"),
            {"email": "Wendy.Walker@Wakefield.gov.uk"},
            follow=True,
        )

    assert "Invitation sent to wendy.walker@wakefield.gov.uk." in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.role == Membership.Role.ADMIN
    assert invitation.email == "wendy.walker@wakefield.gov.uk"
    assert invitation.invited_by == staff
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wendy.walker@wakefield.gov.uk"]
    token = re.search(r"/councils/invitations/([^/\s]+)/", message.body).group(1)
    # Only the hash is stored; the raw token lives in the e-mail alone.
    assert invitation.token_hash == hash_token(token)
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert "wendy.walker@wakefield.gov.uk" in response.content.decode()  # invitations sent

    # The acceptance page (another part of the platform) ends in this service call.
    wendy = factories.UserFactory(email="wendy.walker@wakefield.gov.uk")
    membership = accept_invitation(raw_token=token, user=wendy)
    registered.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    assert membership.status == Membership.Status.ACTIVE
    assert membership.organisation == registered
    assert registered.status == Organisation.Status.ACTIVE


def test_invite_with_a_bad_address_shows_an_error(client_for, staff, registered):
    response = client_for(staff).post(url("invite_admin", "wakefield"), {"email": "not-an-email"})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_a_first_admin_at_a_webmail_address_asks_first(
    client_for, staff, registered, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    warning = (
        "alex@gmail.com is a personal e-mail address. Invitations usually go to council "
        "addresses; send it anyway?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url("invite_admin", "wakefield"), {"email": "Alex@GMail.com"})
    body = asked.content.decode()
    assert asked.status_code == 200
    assert "govuk-warning-text" in body and warning in body
    assert 'name="confirm_personal_address"' in body
    assert 'name="personal_address" value="alex@gmail.com"' in body
    assert not Invitation.objects.exists() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite_admin", "wakefield"),
            {
                "email": "alex@gmail.com",
                "personal_address": "alex@gmail.com",
                "confirm_personal_address": "on",
            },
            follow=True,
        )
    assert "Invitation sent to alex@gmail.com." in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.email == "alex@gmail.com" and invitation.is_personal_address
    assert "Personal address" in response.content.decode()  # in the invitations sent
    assert mail.outbox[0].to == ["alex@gmail.com"]


def test_no_invitations_to_an_ended_authority(
    client_for, staff, ended, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url("invite_admin", "oldshire"), {"email": "someone@oldshire.gov.uk"}
        )

    assert "has ended and cannot take new members" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


# Suppliers and other public bodies -------------------------------------------------------


def test_staff_add_a_supplier_with_domains(client_for, staff):
    client = client_for(staff)
    assert client.get(url("organisation_create")).status_code == 200

    response = client.post(
        url("organisation_create"),
        {
            "kind": Organisation.Kind.SUPPLIER,
            "official_name": "Blue Fin Systems Limited",
            "name": "Blue Fin Systems",
            "website": "https://bluefin.example",
            "domains": "BlueFin.example\nbluefin.co.uk",
        },
        follow=True,
    )

    organisation = Organisation.objects.get(official_name="Blue Fin Systems Limited")
    assert organisation.kind == Organisation.Kind.SUPPLIER
    assert organisation.status == Organisation.Status.ACTIVE
    assert organisation.slug == "blue-fin-systems"
    assert sorted(organisation.email_domains.values_list("domain", flat=True)) == [
        "bluefin.co.uk",
        "bluefin.example",
    ]
    assert response.redirect_chain[-1][0] == url("organisation", "blue-fin-systems")
    assert Activity.objects.filter(verb="organisation.created").count() == 1


def test_a_supplier_with_a_taken_domain_is_not_created(client_for, staff, supplier):
    before = Organisation.objects.count()

    response = client_for(staff).post(
        url("organisation_create"),
        {
            "kind": Organisation.Kind.PUBLIC_BODY,
            "official_name": "Another Body",
            "domains": "another.example, acme.example",
        },
    )

    assert response.status_code == 200
    assert "acme.example already belongs to Acme Digital Ltd." in response.content.decode()
    assert Organisation.objects.count() == before
    assert not EmailDomain.objects.filter(domain="another.example").exists()


def test_a_supplier_with_a_webmail_domain_is_not_created(client_for, staff):
    before = Organisation.objects.count()

    response = client_for(staff).post(
        url("organisation_create"),
        {
            "kind": Organisation.Kind.SUPPLIER,
            "official_name": "Another Supplier",
            "domains": "another.example\ngmail.com",
        },
    )

    assert response.status_code == 200
    assert "gmail.com is a public e-mail service" in response.content.decode()
    assert Organisation.objects.count() == before
    assert not EmailDomain.objects.exists()


def test_councils_cannot_be_added_by_hand(client_for, staff):
    response = client_for(staff).post(
        url("organisation_create"),
        {"kind": Organisation.Kind.COUNCIL, "official_name": "Fake Borough Council"},
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Organisation.objects.filter(official_name="Fake Borough Council").exists()


# Access requests -----------------------------------------------------------------------


def test_index_lists_pending_access_requests(client_for, staff, access_request):
    body = client_for(staff).get(url("index")).content.decode()
    assert "Northwind Software Ltd" in body
    assert url("access_request_decide", access_request.pk, "approve") in body
    assert url("access_request_decide", access_request.pk, "reject") in body


def test_approving_creates_the_organisation_with_the_requester_as_admin(
    client_for, staff, access_request, requester, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url("access_request_decide", access_request.pk, "approve"), follow=True
        )

    organisation = Organisation.objects.get(name="Northwind Software Ltd")
    assert organisation.kind == Organisation.Kind.SUPPLIER
    assert organisation.status == Organisation.Status.ACTIVE
    assert organisation.website == "https://northwind.example"
    membership = Membership.objects.get(user=requester)
    assert (membership.organisation, membership.role, membership.status) == (
        organisation,
        Membership.Role.ADMIN,
        Membership.Status.ACTIVE,
    )
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.APPROVED
    assert access_request.organisation == organisation
    assert access_request.decided_by == staff
    assert [message.to for message in mail.outbox] == [["rita.requester@northwind.example"]]
    assert "has been approved" in mail.outbox[0].body
    assert Activity.objects.filter(verb="access_request.approved").count() == 1
    assert response.redirect_chain[-1][0] == url("organisation", organisation.slug)


def test_rejecting_tells_the_requester_why(
    client_for, staff, access_request, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    confirm = client.get(url("access_request_decide", access_request.pk, "reject"))
    assert "We run the waste system for twelve councils." in confirm.content.decode()
    before = Organisation.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("access_request_decide", access_request.pk, "reject"),
            {"reason": "Please apply with a company e-mail address."},
        )

    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.REJECTED
    assert Organisation.objects.count() == before
    assert not Membership.objects.filter(user=access_request.user).exists()
    assert len(mail.outbox) == 1
    assert "has not been approved" in mail.outbox[0].body
    assert "Please apply with a company e-mail address." in mail.outbox[0].body
    assert Activity.objects.filter(verb="access_request.rejected").count() == 1


def test_a_decided_request_cannot_be_decided_again(
    client_for, staff, access_request, django_capture_on_commit_callbacks
):
    access_request.status = AccessRequest.Status.REJECTED
    access_request.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url("access_request_decide", access_request.pk, "approve"), follow=True
        )

    assert "This request was already rejected." in response.content.decode()
    assert not Organisation.objects.filter(name="Northwind Software Ltd").exists()
    assert not mail.outbox


def test_a_requester_who_already_belongs_somewhere_is_not_approved(
    client_for, staff, access_request, requester, council
):
    factories.MembershipFactory(user=requester, organisation=council)

    response = client_for(staff).post(
        url("access_request_decide", access_request.pk, "approve"), follow=True
    )

    assert "already belongs to Leedsham" in response.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert not Organisation.objects.filter(name="Northwind Software Ltd").exists()


def test_an_unknown_decision_is_404(client_for, staff, access_request):
    response = client_for(staff).post(url("access_request_decide", access_request.pk, "maybe"))
    assert response.status_code == 404
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING


# Everyone else is refused, and nothing changes --------------------------------------------


def _requests(registered, council, access_request):
    domain = council.email_domains.get()
    return [
        ("get", url("index"), {}),
        ("get", url("organisation", registered.slug), {}),
        ("get", url("organisation_create"), {}),
        ("post", url("organisation_create"), {"kind": "supplier", "official_name": "Sneaky"}),
        ("get", url("access_request_decide", access_request.pk, "approve"), {}),
        ("post", url("access_request_decide", access_request.pk, "approve"), {}),
        ("post", url("access_request_decide", access_request.pk, "reject"), {}),
        ("post", url("activate", registered.slug), {}),
        ("post", url("domain_add", registered.slug), {"domain": "sneaky.gov.uk"}),
        ("post", url("domain_delete", council.slug, domain.pk), {}),
        ("post", url("invite_admin", registered.slug), {"email": "me@sneaky.example"}),
    ]


@pytest.mark.parametrize("persona", [None, "officer", "council_admin", "outsider", "supplier_user"])
def test_everyone_but_staff_is_refused_and_anonymous_visitors_asked_to_sign_in(
    request,
    client,
    persona,
    registered,
    council,
    access_request,
    django_capture_on_commit_callbacks,
):
    if persona is not None:
        user = request.getfixturevalue(persona)
        if persona == "outsider":
            # A council admin: without 2FA the MFA middleware would redirect them
            # to set it up before the onboarding policy is even asked.
            factories.enrol_totp(user)
        client.force_login(user)
    organisations_before = Organisation.objects.count()
    domains_before = sorted(EmailDomain.objects.values_list("domain", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        for method, path, data in _requests(registered, council, access_request):
            response = getattr(client, method)(path, data)
            if persona is None:
                assert response.status_code == 302, (method, path)
                assert response["Location"].startswith("/accounts/login/?next=")
            else:
                assert response.status_code == 403, (persona, method, path)
            assert "Wakefield" not in response.content.decode()

    registered.refresh_from_db()
    access_request.refresh_from_db()
    assert registered.status == Organisation.Status.REGISTERED
    assert access_request.status == AccessRequest.Status.PENDING
    assert Organisation.objects.count() == organisations_before
    assert sorted(EmailDomain.objects.values_list("domain", flat=True)) == domains_before
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_staff_without_two_factor_are_sent_to_set_it_up(client, registered):
    staff = factories.UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.get(url("index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    client.post(url("activate", registered.slug))
    registered.refresh_from_db()
    assert registered.status == Organisation.Status.REGISTERED
