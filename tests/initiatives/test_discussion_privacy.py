"""People's names are for members of active organisations and staff only
(``councils.policies.may_see_personal_names``, as on council pages and in
the partners table): anonymous visitors to a public initiative see which
organisation wrote an update or comment, never who. The full matrix of
viewers and doors is tests/security/test_personal_names.py."""

import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def written(initiative, officer):
    officer.full_name = "Priya Namesake"
    officer.save(update_fields=["full_name"])
    factories.UpdateFactory(initiative=initiative, author=officer, title="Alpha done")
    factories.CommentFactory(initiative=initiative, author=officer, body="We can help.")
    return initiative


def test_anonymous_page_shows_organisations_not_names(client, written):
    html = client.get(written.get_absolute_url()).content.decode()
    assert "Alpha done" in html and "We can help." in html
    assert "Priya Namesake" not in html
    assert "An officer at Leedsham" in html


def test_signed_in_page_shows_names(client_for, written, outsider):
    html = client_for(outsider).get(written.get_absolute_url()).content.decode()
    assert html.count("Priya Namesake") >= 2


@pytest.mark.parametrize("section", ["updates", "comments"])
def test_anonymous_api_hides_authors(written, section, outsider):
    url = f"/api/v1/initiatives/{written.slug}/{section}/"
    anonymous = APIClient().get(url).json()
    rows = anonymous["results"] if isinstance(anonymous, dict) else anonymous
    assert rows and all(row["author"] is None for row in rows)
    assert all(row["organisation"] for row in rows)

    signed_in = APIClient()
    signed_in.force_authenticate(outsider)
    body = signed_in.get(url).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {row["author"] for row in rows} == {"Priya Namesake"}


def test_partnership_history_names_nobody_for_anonymous(client, council, other_council):
    from initiatives.services import partnerships

    visible = factories.make_initiative(council, slug="history")
    outsider_admin = factories.member_of(other_council, "admin", full_name="Oscar Visible")
    partnerships.express_interest(initiative=visible, organisation=other_council, by=outsider_admin)
    html = client.get(visible.get_absolute_url()).content.decode()
    assert "Oscar Visible" not in html
    assert "by Otherton" not in html  # no misattribution of who acted
