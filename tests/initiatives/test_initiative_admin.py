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


def test_tags_added_or_renamed_in_the_admin_are_normalised(client_for, superuser):
    from initiatives.models import Tag

    client = client_for(superuser)
    response = client.post("/django-admin/initiatives/tag/add/", {"name": "Garden_Waste "})
    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("garden waste", "garden-waste")
    # Another spelling of the same tag is refused, not a second row (or a 500).
    response = client.post("/django-admin/initiatives/tag/add/", {"name": "GARDEN WASTE"})
    assert response.status_code == 200 and "already exists" in response.content.decode()
    response = client.post(f"/django-admin/initiatives/tag/{tag.pk}/change/", {"name": "C++"})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("c++", Tag.slug_for("c++"))
    assert Tag.objects.count() == 1
