"""Pages say only what the platform does today. There are no live workshops,
no digests and nothing is sent to followers yet, so no page a person reads on
the way (the home page, the stage form, the update form, the role menus)
promises them."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NOT_YET = re.compile(r"workshop|digest|follower|are told|will be told", re.IGNORECASE)


def visible_text(response) -> str:
    """The page's text between <main> tags, without markup."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_home_page_promises_nothing_that_does_not_exist(client):
    text = visible_text(client.get(reverse("home")))
    assert "Work together on council services" in text
    assert not NOT_YET.search(text), NOT_YET.search(text)


def test_stage_and_update_forms_promise_nothing_that_does_not_exist(client_for, officer, council):
    initiative = factories.make_initiative(council)
    client = client_for(officer)
    stage = visible_text(client.get(f"/initiatives/{initiative.slug}/stage/"))
    assert "Change stage" in stage and "stage timeline" in stage
    assert not NOT_YET.search(stage), NOT_YET.search(stage)
    update = visible_text(
        client.get(reverse("initiatives:update_create", kwargs={"slug": initiative.slug}))
    )
    assert not NOT_YET.search(update), NOT_YET.search(update)


def test_role_menus_promise_no_workshops(client_for, council, council_admin, officer):
    text = visible_text(
        client_for(council_admin).get(reverse("councils:people", args=[council.slug]))
    )
    assert "Facilitator" in text and "Council admin" in text
    assert not re.search("workshop", text, re.IGNORECASE)
