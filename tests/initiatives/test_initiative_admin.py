"""The Django admin lists and opens every initiative model for platform admins."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(email="root@platform.example", is_staff=True, is_superuser=True)
    factories.enrol_totp(user)
    return user


def test_every_initiative_model_lists_and_opens(client_for, superuser, council, officer):
    initiative = factories.InitiativeFactory(lead_organisation=council, tags=["Bins"])
    partnership = initiative.partnerships.get()
    client = client_for(superuser)
    for model in (
        "initiative",
        "tag",
        "partnership",
        "partnershipevent",
        "stagechange",
        "follow",
        "update",
        "comment",
        "commentflag",
    ):
        response = client.get(f"/django-admin/initiatives/{model}/")
        assert response.status_code == 200, model
    assert (
        client.get(f"/django-admin/initiatives/initiative/{initiative.pk}/change/").status_code
        == 200
    )
    assert (
        client.get(f"/django-admin/initiatives/partnership/{partnership.pk}/change/").status_code
        == 200
    )
    search = client.get("/django-admin/initiatives/initiative/", {"q": initiative.title})
    assert initiative.title in search.content.decode()


def test_admin_refuses_council_users(client_for, officer):
    response = client_for(officer).get("/django-admin/initiatives/initiative/")
    assert response.status_code == 302
