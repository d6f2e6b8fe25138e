"""One registry of profile parts (``councils.profile_parts``) drives both
doors: every registered part has its page routes and form, its API
collection and serializers, and a place in the organisation's API body, so a
part cannot be added to one door and forgotten in the other."""

import pytest
from django.urls import reverse

from councils.api.profiles import PART_SERIALIZERS, PART_VIEWSETS
from councils.forms.profiles import PART_FORMS
from councils.models import Need, SkillOffer, SystemInUse
from councils.profile_parts import PROFILE_PARTS
from tests import factories

FACTORIES = {
    SystemInUse: factories.SystemInUseFactory,
    Need: factories.NeedFactory,
    SkillOffer: factories.SkillOfferFactory,
}

PART_KEYS = list(PROFILE_PARTS)


def test_each_door_has_every_part_and_nothing_else():
    assert set(PART_FORMS) == set(PROFILE_PARTS)
    assert set(PART_SERIALIZERS) == set(PROFILE_PARTS)
    assert set(PART_VIEWSETS) == set(PROFILE_PARTS)
    for key, part in PROFILE_PARTS.items():
        # The API collection is built from the very same registry entry.
        assert PART_VIEWSETS[key].part is part
        assert PART_SERIALIZERS[key].output.Meta.model is part.model


@pytest.mark.parametrize("key", PART_KEYS)
def test_the_page_door_serves_each_registered_part(client_for, officer, council, key):
    part = PROFILE_PARTS[key]
    client = client_for(officer)
    editor = client.get(reverse("councils:profile_edit", kwargs={"slug": council.slug}))
    add_url = reverse("councils:facet_add", kwargs={"slug": council.slug, "facet": key})
    assert add_url in editor.content.decode()
    form_page = client.get(add_url)
    assert form_page.status_code == 200
    assert part.add_heading in form_page.content.decode()
    assert isinstance(form_page.context["form"], PART_FORMS[key])


def test_a_part_the_registry_does_not_know_is_404(client_for, officer, council):
    url = reverse("councils:facet_add", kwargs={"slug": council.slug, "facet": "contracts"})
    assert client_for(officer).get(url).status_code == 404


@pytest.mark.parametrize("key", PART_KEYS)
def test_the_api_door_serves_each_registered_part(api_client, council, key):
    part = PROFILE_PARTS[key]
    row = FACTORIES[part.model](organisation=council)
    collection = api_client.get(f"/api/v1/organisations/{council.slug}/{part.api_path}/")
    assert collection.status_code == 200
    assert [item["id"] for item in collection.json()] == [row.pk]
    body = api_client.get(f"/api/v1/organisations/{council.slug}/").json()
    assert [item["id"] for item in body[part.related_name]] == [row.pk]
    assert reverse(f"{part.api_basename}-list", kwargs={"organisation_slug": council.slug}) == (
        f"/api/v1/organisations/{council.slug}/{part.api_path}/"
    )
