"""Discussion pages: post, edit within the window, delete (author, lead's
admins, staff), flag once, and sanitised Markdown."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from initiatives.models import Comment, CommentFlag, Initiative
from notifications.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, initiative, **kwargs):
    return reverse(f"initiatives:{name}", kwargs={"slug": initiative.slug, **kwargs})


@pytest.fixture
def outsider_comment(initiative, outsider):
    return factories.CommentFactory(initiative=initiative, author=outsider, body="Count us in.")


def age(comment, minutes):
    """Move a comment into the past in the database (no clock mocking)."""
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


# --- posting ---------------------------------------------------------------


def test_officer_posts_a_comment_shown_with_author_and_organisation(
    client_for, officer, initiative
):
    client = client_for(officer)
    response = client.post(url("comment_create", initiative), {"body": "We *love* this."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.author == officer and comment.organisation == initiative.lead_organisation
    assert Activity.objects.filter(verb="comment.posted", actor=officer).exists()
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "<em>love</em>" in html
    assert escape(officer.display_name) in html and "Leedsham" in html


def test_a_visiting_council_may_comment_on_a_public_initiative(client_for, outsider, initiative):
    response = client_for(outsider).post(url("comment_create", initiative), {"body": "Hello"})
    assert response.status_code == 302
    assert Comment.objects.get().organisation.name == "Otherton"


def test_empty_comment_gives_an_error_summary_and_writes_nothing(client_for, officer, initiative):
    response = client_for(officer).post(url("comment_create", initiative), {"body": "  "})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "Enter your comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_and_staff_cannot_comment(client, client_for, staff, initiative):
    response = client.post(url("comment_create", initiative), {"body": "Hi"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Sign in</a> to join the discussion" in page
    # Platform staff moderate rather than take part (no organisation to speak for).
    assert (
        client_for(staff).post(url("comment_create", initiative), {"body": "Hi"}).status_code == 403
    )
    assert not Comment.objects.exists()


def test_draft_discussion_is_404_for_outsiders(client_for, council, outsider):
    draft = factories.make_initiative(
        council, visibility=Initiative.Visibility.DRAFT, slug="secret"
    )
    comment = factories.CommentFactory(initiative=draft, author=None, body="private")
    client = client_for(outsider)
    assert client.post(url("comment_create", draft), {"body": "x"}).status_code == 404
    for name in ("comment_edit", "comment_delete", "comment_flag"):
        assert client.get(url(name, draft, pk=comment.pk)).status_code == 404
    assert Comment.objects.count() == 1


def test_comment_from_another_initiative_is_404(client_for, officer, council, initiative):
    other = factories.make_initiative(council, slug="other-one")
    comment = factories.CommentFactory(initiative=other, author=officer)
    response = client_for(officer).get(url("comment_edit", initiative, pk=comment.pk))
    assert response.status_code == 404


# --- Markdown --------------------------------------------------------------


def test_markdown_in_comments_is_sanitised(client_for, officer, initiative):
    body = (
        "Hello <script>alert('x')</script>\n\n"
        '<img src="x" onerror="alert(1)">\n\n'
        "[click me](javascript:alert(1)) and [ok](https://example.org)"
    )
    client = client_for(officer)
    client.post(url("comment_create", initiative), {"body": body})
    html = client.get(initiative.get_absolute_url()).content.decode()
    section = html[html.index('id="discussion"') :]
    assert "<script>alert" not in section
    assert "onerror" not in section
    assert "javascript:" not in section
    assert 'href="https://example.org"' in section


# --- editing ---------------------------------------------------------------


def test_author_edits_within_the_window(client_for, officer, initiative):
    comment = factories.CommentFactory(initiative=initiative, author=officer, body="Frist")
    age(comment, 14)
    client = client_for(officer)
    assert client.get(url("comment_edit", initiative, pk=comment.pk)).status_code == 200
    response = client.post(url("comment_edit", initiative, pk=comment.pk), {"body": "First"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "First" and comment.edited_at is not None
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Edited</strong>" in html


def test_editing_after_the_window_is_refused_clearly(client_for, officer, initiative):
    comment = factories.CommentFactory(initiative=initiative, author=officer, body="Original")
    age(comment, 16)
    client = client_for(officer)
    page = client.get(url("comment_edit", initiative, pk=comment.pk))
    assert page.status_code == 403
    assert "You can no longer edit this comment" in page.content.decode()
    response = client.post(url("comment_edit", initiative, pk=comment.pk), {"body": "Changed"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Original" and comment.edited_at is None
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert url("comment_edit", initiative, pk=comment.pk) not in detail


def test_others_cannot_edit(client_for, facilitator, officer, initiative):
    comment = factories.CommentFactory(initiative=initiative, author=officer, body="Mine")
    client = client_for(facilitator)
    assert client.get(url("comment_edit", initiative, pk=comment.pk)).status_code == 403
    assert (
        client.post(url("comment_edit", initiative, pk=comment.pk), {"body": "x"}).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.body == "Mine"


# --- deleting --------------------------------------------------------------


@pytest.mark.parametrize("deleter", ["outsider", "council_admin", "staff"])
def test_author_lead_admin_and_staff_may_delete(
    client_for, request, initiative, outsider_comment, deleter
):
    user = request.getfixturevalue(deleter)
    client = client_for(user)
    delete_url = url("comment_delete", initiative, pk=outsider_comment.pk)
    confirm = client.get(delete_url)
    assert confirm.status_code == 200 and "Delete this comment?" in confirm.content.decode()
    assert client.post(delete_url).status_code == 302
    outsider_comment.refresh_from_db()
    assert outsider_comment.deleted_at is not None and outsider_comment.deleted_by == user
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Comment deleted" in html and "Count us in." not in html
    assert Activity.objects.filter(verb="comment.deleted", actor=user).exists()


@pytest.mark.parametrize("persona", ["officer", "facilitator", "supplier_user"])
def test_others_cannot_delete(client_for, request, initiative, outsider_comment, persona):
    client = client_for(request.getfixturevalue(persona))
    delete_url = url("comment_delete", initiative, pk=outsider_comment.pk)
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url).status_code == 403
    outsider_comment.refresh_from_db()
    assert outsider_comment.deleted_at is None


def test_deleting_twice_is_refused(client_for, outsider, initiative, outsider_comment):
    client = client_for(outsider)
    client.post(url("comment_delete", initiative, pk=outsider_comment.pk))
    assert client.post(url("comment_delete", initiative, pk=outsider_comment.pk)).status_code == 403


# --- flagging and moderation -----------------------------------------------


def test_flag_once_emails_staff_and_second_flag_is_refused(
    client_for, officer, staff, initiative, outsider_comment, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    flag_url = url("comment_flag", initiative, pk=outsider_comment.pk)
    assert client.get(flag_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(flag_url, {"reason": "Contains a phone number"})
    assert response.status_code == 302
    flag = CommentFlag.objects.get()
    assert flag.flagged_by == officer and flag.reason == "Contains a phone number"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff.email]
    assert "Contains a phone number" in mail.outbox[0].body
    assert reverse("initiatives:moderation_flags") in mail.outbox[0].body

    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "You flagged this comment" in page and flag_url not in page
    # The form itself still answers, with a clear refusal and nothing new written.
    again = client.post(flag_url, {"reason": "Again"})
    assert again.status_code == 400
    assert "You have already flagged this comment." in again.content.decode()
    assert CommentFlag.objects.count() == 1


def test_flag_needs_a_reason(client_for, officer, initiative, outsider_comment):
    response = client_for(officer).post(
        url("comment_flag", initiative, pk=outsider_comment.pk), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Tell us what is wrong with this comment" in response.content.decode()
    assert not CommentFlag.objects.exists()


def test_cannot_flag_own_or_deleted_comment(client_for, outsider, officer, initiative):
    own = factories.CommentFactory(initiative=initiative, author=outsider)
    gone = factories.CommentFactory(
        initiative=initiative, author=officer, deleted_at=timezone.now()
    )
    client = client_for(outsider)
    assert (
        client.post(url("comment_flag", initiative, pk=own.pk), {"reason": "x"}).status_code == 403
    )
    assert (
        client.post(url("comment_flag", initiative, pk=gone.pk), {"reason": "x"}).status_code == 403
    )
    assert not CommentFlag.objects.exists()


@pytest.fixture
def flag(initiative, officer, outsider_comment):
    return CommentFlag.objects.create(
        comment=outsider_comment, flagged_by=officer, reason="Rude to officers"
    )


def test_moderation_page_is_staff_only(client, client_for, officer, outsider, council_admin, flag):
    moderation = reverse("initiatives:moderation_flags")
    factories.enrol_totp(outsider)  # council admins without 2FA are sent to enrol first
    for user in (officer, outsider, council_admin):
        assert client_for(user).get(moderation).status_code == 403
    client.logout()
    response = client.get(moderation)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_staff_see_open_flags_and_dismiss_one(client_for, staff, initiative, flag):
    client = client_for(staff)
    page = client.get(reverse("initiatives:moderation_flags")).content.decode()
    assert "Rude to officers" in page and "Count us in." in page
    assert initiative.get_absolute_url() in page
    resolve = reverse("initiatives:moderation_flag_resolve", kwargs={"pk": flag.pk})
    response = client.post(resolve, {"outcome": "dismiss"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_by == staff and flag.resolved_at is not None
    flag.comment.refresh_from_db()
    assert flag.comment.deleted_at is None
    page = client.get(reverse("initiatives:moderation_flags")).content.decode()
    assert "There are no open flags." in page
    assert client.post(resolve, {"outcome": "dismiss"}).status_code == 404


def test_staff_delete_a_flagged_comment_closing_all_its_flags(
    client_for, staff, facilitator, initiative, flag
):
    second = CommentFlag.objects.create(comment=flag.comment, flagged_by=facilitator, reason="Spam")
    client = client_for(staff)
    resolve = reverse("initiatives:moderation_flag_resolve", kwargs={"pk": flag.pk})
    assert client.post(resolve, {"outcome": "delete"}).status_code == 302
    flag.comment.refresh_from_db()
    assert flag.comment.deleted_by == staff
    second.refresh_from_db()
    assert second.resolved_at is not None
    assert not CommentFlag.objects.filter(resolved_at__isnull=True).exists()


def test_resolving_needs_a_valid_outcome_and_staff(client_for, staff, officer, flag):
    resolve = reverse("initiatives:moderation_flag_resolve", kwargs={"pk": flag.pk})
    assert client_for(officer).post(resolve, {"outcome": "dismiss"}).status_code == 403
    response = client_for(staff).post(resolve, {"outcome": "banish"}, follow=True)
    assert "Choose whether to delete the comment or dismiss." in response.content.decode()
    flag.refresh_from_db()
    assert flag.resolved_at is None


def _form_group_with(html: str, element_id: str) -> str:
    """The GOV.UK form group holding the element with ``element_id``."""
    groups = html.split('<div class="govuk-form-group')
    return next(group for group in groups if f'id="{element_id}"' in group)


def test_comment_and_update_boxes_are_govuk_character_counts(client_for, officer, initiative):
    html = client_for(officer).get(initiative.get_absolute_url()).content.decode()
    box = _form_group_with(html, "comment-body")
    assert box.startswith(
        ' govuk-character-count" data-module="govuk-character-count" data-maxlength="5000">'
    )
    assert 'class="govuk-textarea govuk-js-character-count"' in box
    assert 'aria-describedby="comment-body-info comment-body-hint"' in box
    assert '<div id="comment-body-info" class="govuk-hint govuk-character-count__message">' in box
    assert "You can enter up to 5,000 characters" in box
    assert 'data-maxlength="5000"' in _form_group_with(html, "update-body")
    # A one-line input is not counted.
    assert "character-count" not in _form_group_with(html, "update-title")


def test_the_server_still_refuses_an_over_long_comment(client_for, officer, initiative):
    response = client_for(officer).post(url("comment_create", initiative), {"body": "x" * 5001})
    assert response.status_code == 400
    assert "Comment must be 5,000 characters or fewer" in response.content.decode()
    assert not Comment.objects.exists()
