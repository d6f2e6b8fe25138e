"""The Django admin: every registered model's list, search and forms render
for a platform admin, register facts are read-only, and tokens cannot be minted."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import ApiToken, User
from councils.models import AccessRequest, EmailDomain, Organisation
from notifications.services import record_activity
from tests import factories


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(email="root@platform.example", is_staff=True, is_superuser=True)
    factories.enrol_totp(user)
    return user


@pytest.fixture
def some_of_everything(council, officer, supplier, registered, access_request):
    factories.SystemInUseFactory(organisation=council)
    factories.NeedFactory(organisation=council)
    factories.SkillOfferFactory(organisation=council)
    ApiToken.objects.create(user=officer, name="Laptop", prefix="ccp_abcd", token_hash="f" * 64)
    record_activity(verb="organisation.activated", organisation=council, target=council)


def admin_urls():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        if info[0] in ("accounts", "councils", "notifications"):
            yield pytest.param(info, id=".".join(info))


@pytest.mark.parametrize("info", list(admin_urls()))
def test_every_changelist_and_search_renders(client, superuser, some_of_everything, info):
    client.force_login(superuser)
    changelist = reverse("admin:{}_{}_changelist".format(*info))

    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "lee"}).status_code == 200


def test_register_facts_are_read_only_for_register_organisations(client, superuser, council):
    client.force_login(superuser)
    response = client.get(reverse("admin:councils_organisation_change", args=[council.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="status"' in body  # onboarding stays editable
    assert 'name="gss_code"' not in body and 'name="register_code"' not in body


def test_users_are_added_by_email_in_lower_case(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Leedsham.gov.uk",
            "usable_password": "true",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "a-long-unusual-passphrase-42",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="new.person@leedsham.gov.uk").exists()
    duplicate = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "NEW.person@leedsham.gov.uk", "usable_password": "false"},
    )
    assert "already exists" in duplicate.content.decode()
    assert User.objects.filter(email__iexact="new.person@leedsham.gov.uk").count() == 1


def test_api_tokens_cannot_be_created_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_activate_action_uses_the_onboarding_service(client, superuser, registered):
    client.force_login(superuser)

    client.post(
        reverse("admin:councils_organisation_changelist"),
        {"action": "activate_organisations", "_selected_action": [registered.pk]},
    )

    registered.refresh_from_db()
    assert registered.status == Organisation.Status.ACTIVE


def test_reject_action_decides_access_requests(
    client, superuser, access_request, django_capture_on_commit_callbacks
):
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:councils_accessrequest_changelist"),
            {"action": "reject_requests", "_selected_action": [access_request.pk]},
        )

    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.REJECTED


def test_admin_is_refused_to_non_staff(client, council_admin):
    client.force_login(council_admin)
    response = client.get(reverse("admin:councils_organisation_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    ("domain", "message"),
    [("gov.uk", "gov.uk is shared by many organisations"), ("gmail.com", "public e-mail service")],
)
def test_the_admin_refuses_shared_domains(client, superuser, registered, domain, message):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:councils_emaildomain_add"),
        {"organisation": registered.pk, "domain": domain},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmailDomain.objects.exists()
    response = client.post(
        reverse("admin:councils_emaildomain_add"),
        {"organisation": registered.pk, "domain": "wakefield.gov.uk"},
    )
    assert response.status_code == 302
    assert EmailDomain.objects.get().domain == "wakefield.gov.uk"


def test_the_invitation_list_flags_personal_addresses(client, superuser, council, council_admin):
    from councils.services.people import create_invitation

    create_invitation(
        organisation=council,
        email="alex@gmail.com",
        role="member",
        by=council_admin,
        confirm_personal_address=True,
    )
    client.force_login(superuser)
    body = client.get(reverse("admin:councils_invitation_changelist")).content.decode()
    assert "Personal address" in body and 'alt="True"' in body
