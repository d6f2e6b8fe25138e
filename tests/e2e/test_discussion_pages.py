"""Updates, discussion, cost sharing and moderation in a real browser, with
axe-core on every page: an officer of the lead posts an update and a comment
and edits it; a visiting council's officer flags it; a platform admin (signing
in with their second factor) deletes it from the moderation queue."""

import pytest

from initiatives.models import Comment, CommentFlag, Initiative, Partnership
from tests import factories
from tests.e2e.browsing import check, press, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def shared(council):
    initiative = Initiative.objects.create(
        title="Shared waste round planning",
        slug="shared-waste-round-planning",
        summary="Plan waste rounds together.",
        lead_organisation=council,
        visibility=Initiative.Visibility.PUBLIC,
        estimated_cost_pence=12_345_678,
        cost_split_method=Initiative.CostSplit.POPULATION,
    )
    Partnership.objects.create(
        initiative=initiative, organisation=council, role="lead", status="active"
    )
    partner = factories.OrganisationFactory(name="Partnerton", population=400_000)
    Partnership.objects.create(initiative=initiative, organisation=partner, status="active")
    return initiative


def test_update_comment_flag_and_moderate(page, new_page, axe, officer, outsider, staff, shared):
    detail = f"/initiatives/{shared.slug}/"
    sign_in(page, officer, axe=axe)
    page.goto(detail)
    check(page, axe)
    assert page.locator("#cost-sharing-table tbody tr").count() == 2

    page.locator("#update-title").fill("Discovery finished")
    page.locator("#update-body").fill("We interviewed **twelve** crews.")
    press(page, "Post update")
    page.locator("#updates strong", has_text="twelve").wait_for()
    assert page.locator("#updates strong", has_text="twelve").count() == 1
    check(page, axe)

    page.locator("#comment-body").fill("Who else runs Bartec?")
    press(page, "Post comment")
    comment = Comment.objects.get()
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit your comment").click()
    check(page, axe)
    page.locator("#comment-body").fill("Who else runs Bartec Collective?")
    press(page, "Save changes")
    page.locator(f"#comment-{comment.pk}", has_text="Edited").wait_for()
    assert page.locator(f"#comment-{comment.pk}", has_text="Edited").count() == 1

    visitor = new_page()
    sign_in(visitor, outsider, axe=axe)
    visitor.goto(detail)
    visitor.locator(f"#comment-{comment.pk}").get_by_role("link", name="Flag").click()
    check(visitor, axe)
    press(visitor, "Flag comment")  # no reason: an error summary
    assert visitor.locator(".govuk-error-summary").count() == 1
    check(visitor, axe)
    visitor.locator("#id_reason").fill("Advertising a supplier")
    press(visitor, "Flag comment")
    assert CommentFlag.objects.count() == 1

    moderator = new_page()
    sign_in(moderator, staff, axe=axe)
    moderator.goto("/moderation/flags/")
    check(moderator, axe)
    press(moderator, f"Delete comment on {shared.title} flagged by {outsider.display_name}")
    assert moderator.get_by_text("There are no open flags.").count() == 1
    comment.refresh_from_db()
    assert comment.deleted_by == staff

    page.goto(detail)
    page.locator(f"#comment-{comment.pk}", has_text="Comment deleted").wait_for()
    assert page.locator(f"#comment-{comment.pk}", has_text="Comment deleted").count() == 1
    check(page, axe)


def test_custom_shares_form_and_delete_confirmation(page, axe, council_admin, shared):
    Initiative.objects.filter(pk=shared.pk).update(cost_split_method="custom")
    comment = factories.CommentFactory(initiative=shared, author=council_admin, body="Draft note")
    sign_in(page, council_admin, axe=axe)
    page.goto(f"/initiatives/{shared.slug}/cost-shares/")
    check(page, axe)
    inputs = page.locator("#main-content input.govuk-input")
    inputs.nth(0).fill("70")
    inputs.nth(1).fill("20")
    press(page, "Save shares")
    page.locator(".govuk-error-summary").wait_for()
    assert page.locator(".govuk-error-summary").count() == 1
    check(page, axe)
    inputs.nth(1).fill("30")
    press(page, "Save shares")
    page.locator("#cost-sharing-table").wait_for()
    assert page.locator("#cost-sharing-table").count() == 1
    check(page, axe)

    page.goto(f"/initiatives/{shared.slug}/comments/{comment.pk}/delete/")
    check(page, axe)
    press(page, "Delete comment")
    page.locator(f"#comment-{comment.pk}", has_text="Comment deleted").wait_for()
    assert page.locator(f"#comment-{comment.pk}", has_text="Comment deleted").count() == 1


def test_the_comment_box_counts_its_characters(page, axe, officer, shared):
    """GOV.UK Frontend's character count runs (initialised by static/js/app.mjs
    under the strict CSP) and says how many characters are left, or how many
    too many; the server still refuses an over-long comment."""
    sign_in(page, officer, axe=axe)
    page.goto(f"/initiatives/{shared.slug}/")
    group = page.locator(".govuk-character-count", has=page.locator("#comment-body"))
    assert group.get_attribute("data-maxlength") == "5000"
    page.locator("#comment-body").fill("Who else runs Bartec?")
    status = group.locator(".govuk-character-count__status")
    status.filter(has_text="You have 4,979 characters remaining").wait_for()
    page.locator("#comment-body").fill("x" * 5003)
    status.filter(has_text="You have 3 characters too many").wait_for()
    check(page, axe)
    press(page, "Post comment")
    assert (
        page.locator(
            ".govuk-error-summary", has_text="Comment must be 5,000 characters or fewer"
        ).count()
        == 1
    )
    assert not Comment.objects.exists()
