"""The dashboard a platform admin gets (their work: onboarding, access
requests, the moderation queue), and council admins' way to "Manage people"
from their dashboard and council page."""

import pytest

from councils.models import AccessRequest
from initiatives.models import CommentFlag
from tests import factories

pytestmark = pytest.mark.django_db


def _requests_and_flags(n: int, officer, council):
    for i in range(n):
        AccessRequest.objects.create(
            user=factories.UserFactory(email=f"supplier{i}@supplier.example"),
            organisation_name=f"Supplier {i} Ltd",
            reason="We build planning software.",
        )
        initiative = factories.InitiativeFactory(lead_organisation=council, title=f"Flagged {i}")
        comment = factories.CommentFactory(initiative=initiative, author=officer)
        CommentFlag.objects.create(comment=comment, flagged_by=officer, reason="Rude")


def test_staff_see_onboarding_access_requests_and_the_moderation_queue(
    client_for, staff, officer, council
):
    _requests_and_flags(2, officer, council)
    html = client_for(staff).get("/").content.decode()
    assert "You are not part of an organisation yet" not in html
    assert "request access" not in html.lower()
    assert '<h1 class="govuk-heading-xl">Platform admin</h1>' in html
    assert "Supplier 0 Ltd" in html and "Supplier 1 Ltd" in html
    assert 'href="/onboarding/"' in html
    assert "2 flagged comments waiting for review" in html
    assert 'href="/moderation/flags/"' in html and "Flagged 0" in html


def test_staff_dashboard_says_when_nothing_is_waiting(client_for, staff):
    html = client_for(staff).get("/").content.decode()
    assert "No requests for an organisation are waiting" in html
    assert "No flagged comments are waiting" in html


@pytest.mark.parametrize("n", [1, 8])
def test_staff_dashboard_queries_do_not_grow_with_data(
    client_for, staff, officer, council, django_assert_max_num_queries, n
):
    _requests_and_flags(n, officer, council)
    client = client_for(staff)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_officers_do_not_get_the_staff_panel(client_for, officer, council):
    _requests_and_flags(1, officer, council)
    html = client_for(officer).get("/").content.decode()
    assert "Platform admin" not in html and "Supplier 0 Ltd" not in html
    assert "Manage people" not in html


def test_council_admins_reach_manage_people_from_dashboard_and_council_page(
    client_for, council_admin, council
):
    factories.enrol_totp(council_admin)
    client = client_for(council_admin)
    people = f"/councils/{council.slug}/people/"
    assert f'href="{people}"' in client.get("/").content.decode()
    assert f'href="{people}"' in client.get(council.get_absolute_url()).content.decode()


def test_officers_see_no_manage_people_link_on_the_council_page(client_for, officer, council):
    html = client_for(officer).get(council.get_absolute_url()).content.decode()
    assert f"/councils/{council.slug}/people/" not in html
