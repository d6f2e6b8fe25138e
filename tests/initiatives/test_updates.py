"""Updates: the lead and committed partners report progress once; everyone
who can see the initiative reads it. Pages and API share the rules."""

import pytest
from django.urls import reverse

from initiatives.models import Initiative, Update
from notifications.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def _url(initiative):
    return reverse("initiatives:update_create", kwargs={"slug": initiative.slug})


def _api(initiative):
    return f"/api/v1/initiatives/{initiative.slug}/updates/"


GOOD = {"title": "Alpha started", "body": "We have **three** councils testing."}


def test_lead_officer_posts_an_update_and_it_appears_newest_first(client_for, officer, initiative):
    factories.UpdateFactory(initiative=initiative, author=officer, title="Older news")
    client = client_for(officer)
    response = client.post(_url(initiative), GOOD)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{initiative.get_absolute_url()}#updates")
    update = Update.objects.get(title="Alpha started")
    assert update.author == officer
    assert update.organisation == initiative.lead_organisation
    activity = Activity.objects.get(verb="update.posted")
    assert activity.actor == officer and activity.organisation == initiative.lead_organisation

    page = client.get(initiative.get_absolute_url())
    html = page.content.decode()
    assert "Your update has been posted." in html
    assert html.index("Alpha started") < html.index("Older news")
    assert "<strong>three</strong>" in html  # Markdown rendered


def test_committed_partner_member_may_post(client_for, committed_partner_officer, initiative):
    response = client_for(committed_partner_officer).post(_url(initiative), GOOD)
    assert response.status_code == 302
    assert (
        Update.objects.get().organisation
        == committed_partner_officer.memberships.get().organisation
    )


def test_an_accepted_supplier_may_post(client_for, supplier, supplier_user, initiative):
    factories.PartnershipFactory(
        initiative=initiative, organisation=supplier, role="supplier", status="active"
    )
    assert client_for(supplier_user).post(_url(initiative), GOOD).status_code == 302
    assert Update.objects.get().organisation == supplier


@pytest.mark.parametrize("persona", ["outsider", "interested_officer", "supplier_user", "staff"])
def test_others_are_refused_and_nothing_is_written(client_for, request, initiative, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(_url(initiative)).status_code == 403
    assert client.post(_url(initiative), GOOD).status_code == 403
    assert not Update.objects.exists()
    page = client.get(initiative.get_absolute_url())
    assert "Post an update" not in page.content.decode()


def test_anonymous_is_sent_to_sign_in_and_nothing_is_written(client, initiative):
    response = client.post(_url(initiative), GOOD)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Update.objects.exists()


def test_draft_initiative_is_not_found_for_outsiders(client_for, council, outsider):
    draft = factories.make_initiative(
        council, visibility=Initiative.Visibility.DRAFT, slug="secret"
    )
    assert client_for(outsider).post(_url(draft), GOOD).status_code == 404
    assert not Update.objects.exists()


def test_bad_input_shows_errors_and_writes_nothing(client_for, officer, initiative):
    response = client_for(officer).post(_url(initiative), {"title": "", "body": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a title for the update" in html
    assert "Enter the update" in html
    assert not Update.objects.exists()


def test_form_page_and_detail_form_for_the_lead(client_for, officer, initiative):
    client = client_for(officer)
    page = client.get(_url(initiative))
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Post an update</h1>' in page.content.decode()
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert f'action="{_url(initiative)}"' in detail


# --- API -----------------------------------------------------------------


def test_api_lists_updates_publicly_and_lead_posts(api_client, officer, initiative):
    factories.UpdateFactory(initiative=initiative, author=officer, title="First")
    listing = api_client.get(_api(initiative))
    assert listing.status_code == 200
    assert [u["title"] for u in listing.json()["results"]] == ["First"]

    api_client.force_authenticate(officer)
    created = api_client.post(_api(initiative), GOOD, format="json")
    assert created.status_code == 201
    assert created.json()["title"] == "Alpha started"
    assert "<strong>three</strong>" in created.json()["body_html"]
    titles = [u["title"] for u in api_client.get(_api(initiative)).json()["results"]]
    assert titles == ["Alpha started", "First"]


def test_api_refuses_non_partners_with_403(api_client, outsider, initiative):
    api_client.force_authenticate(outsider)
    assert api_client.post(_api(initiative), GOOD, format="json").status_code == 403
    assert not Update.objects.exists()


def test_api_anonymous_post_is_refused(api_client, initiative):
    assert api_client.post(_api(initiative), GOOD, format="json").status_code == 401
    assert not Update.objects.exists()


def test_api_bad_input_gives_field_errors(api_client, officer, initiative):
    api_client.force_authenticate(officer)
    response = api_client.post(_api(initiative), {"title": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"title", "body"}
    assert not Update.objects.exists()


def test_api_invisible_initiative_is_404(api_client, council, outsider):
    draft = factories.make_initiative(
        council, visibility=Initiative.Visibility.DRAFT, slug="secret"
    )
    factories.UpdateFactory(initiative=draft, title="Private news")
    api_client.force_authenticate(outsider)
    assert api_client.get(_api(draft)).status_code == 404
    assert api_client.post(_api(draft), GOOD, format="json").status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(_api(draft)).status_code == 404
