"""The discussion through the API: same services and policies as the pages."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from initiatives.models import Comment, CommentFlag, Initiative
from tests import factories

pytestmark = pytest.mark.django_db


def comments_url(initiative):
    return f"/api/v1/initiatives/{initiative.slug}/comments/"


def comment_url(initiative, comment):
    return f"{comments_url(initiative)}{comment.pk}/"


@pytest.fixture
def comment(initiative, officer):
    return factories.CommentFactory(initiative=initiative, author=officer, body="Original")


def test_anyone_reads_a_public_discussion_with_tombstones(api_client, initiative, officer):
    factories.CommentFactory(initiative=initiative, author=officer, body="Visible **words**")
    factories.CommentFactory(
        initiative=initiative, author=officer, body="Secret", deleted_at=timezone.now()
    )
    response = api_client.get(comments_url(initiative))
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["body"] == "Visible **words**"
    assert "<strong>words</strong>" in first["body_html"]
    assert first["organisation"]["name"] == "Leedsham"
    assert second["deleted"] is True
    assert second["body"] == "Comment deleted" and second["author"] is None
    assert "Secret" not in response.content.decode()


def test_post_comment_and_sanitised_html(api_client, outsider, initiative):
    api_client.force_authenticate(outsider)
    body = '<script>x()</script><a href="javascript:alert(1)">a</a> <img src=x onerror=alert(1)>'
    response = api_client.post(comments_url(initiative), {"body": body}, format="json")
    assert response.status_code == 201
    html = response.json()["body_html"]
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert Comment.objects.get().author == outsider


def test_post_comment_bad_input_and_refusals(api_client, initiative, staff):
    anonymous = api_client.post(comments_url(initiative), {"body": "x"}, format="json")
    assert anonymous.status_code == 401
    api_client.force_authenticate(staff)
    assert (
        api_client.post(comments_url(initiative), {"body": "x"}, format="json").status_code == 403
    )
    assert not Comment.objects.exists()


def test_post_comment_blank_body_is_400_with_field_error(api_client, officer, initiative):
    api_client.force_authenticate(officer)
    response = api_client.post(comments_url(initiative), {"body": ""}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()
    response = api_client.post(comments_url(initiative), {"body": "   "}, format="json")
    assert response.status_code == 400 and "body" in response.json()
    assert not Comment.objects.exists()


def test_author_patches_within_window_not_after(api_client, officer, comment, initiative):
    api_client.force_authenticate(officer)
    response = api_client.patch(comment_url(initiative, comment), {"body": "Fixed"}, format="json")
    assert response.status_code == 200
    assert response.json()["body"] == "Fixed" and response.json()["edited_at"]
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    late = api_client.patch(comment_url(initiative, comment), {"body": "Late"}, format="json")
    assert late.status_code == 403
    assert "15 minutes" in late.json()["detail"]
    comment.refresh_from_db()
    assert comment.body == "Fixed"


def test_patch_by_someone_else_or_empty_is_refused(
    api_client, facilitator, officer, comment, initiative
):
    api_client.force_authenticate(facilitator)
    assert (
        api_client.patch(comment_url(initiative, comment), {"body": "x"}, format="json").status_code
        == 403
    )
    api_client.force_authenticate(officer)
    assert (
        api_client.patch(comment_url(initiative, comment), {"body": ""}, format="json").status_code
        == 400
    )
    assert api_client.patch(comment_url(initiative, comment), {}, format="json").status_code == 400
    comment.refresh_from_db()
    assert comment.body == "Original"


def test_delete_by_author_lead_admin_staff_and_refusal(
    api_client, officer, council_admin, staff, outsider, initiative
):
    comments = [factories.CommentFactory(initiative=initiative, author=outsider) for _ in range(3)]
    api_client.force_authenticate(officer)
    assert api_client.delete(comment_url(initiative, comments[0])).status_code == 403
    for user, target in zip((outsider, council_admin, staff), comments, strict=True):
        api_client.force_authenticate(user)
        assert api_client.delete(comment_url(initiative, target)).status_code == 204
        target.refresh_from_db()
        assert target.deleted_by == user
    assert api_client.delete(comment_url(initiative, comments[0])).status_code == 403


def test_flag_once_through_api(
    api_client, outsider, staff, comment, initiative, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(outsider)
    flag_url = f"{comment_url(initiative, comment)}flag/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(flag_url, {"reason": "Off topic"}, format="json")
    assert response.status_code == 201
    assert [m.to for m in mail.outbox] == [[staff.email]]
    again = api_client.post(flag_url, {"reason": "Again"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"reason": ["You have already flagged this comment."]}
    assert api_client.post(flag_url, {"reason": ""}, format="json").status_code == 400
    assert CommentFlag.objects.count() == 1


def test_flag_own_comment_is_403(api_client, officer, comment, initiative):
    api_client.force_authenticate(officer)
    response = api_client.post(
        f"{comment_url(initiative, comment)}flag/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not CommentFlag.objects.exists()


def test_invisible_initiative_answers_404_everywhere(api_client, council, officer, outsider):
    draft = factories.make_initiative(
        council, visibility=Initiative.Visibility.DRAFT, slug="secret"
    )
    comment = factories.CommentFactory(initiative=draft, author=officer, body="private plans")
    api_client.force_authenticate(outsider)
    responses = [
        api_client.get(comments_url(draft)),
        api_client.post(comments_url(draft), {"body": "x"}, format="json"),
        api_client.get(comment_url(draft, comment)),
        api_client.patch(comment_url(draft, comment), {"body": "x"}, format="json"),
        api_client.delete(comment_url(draft, comment)),
        api_client.post(f"{comment_url(draft, comment)}flag/", {"reason": "x"}, format="json"),
        api_client.get(f"/api/v1/initiatives/{draft.slug}/cost-sharing/"),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert all("private plans" not in r.content.decode() for r in responses)
    comment.refresh_from_db()
    assert comment.deleted_at is None and comment.body == "private plans"


def test_comment_of_another_initiative_is_404(api_client, officer, council, initiative):
    other = factories.make_initiative(council, slug="another")
    comment = factories.CommentFactory(initiative=other, author=officer)
    api_client.force_authenticate(officer)
    assert api_client.get(comment_url(initiative, comment)).status_code == 404
