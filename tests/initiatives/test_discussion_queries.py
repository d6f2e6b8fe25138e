"""The updates, discussion and cost-sharing sections run a constant number of
queries whatever the number of updates, comments or partners."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from councils.models import Membership
from initiatives.models import CommentFlag, Initiative
from initiatives.views.cost_sharing import cost_sharing_context
from initiatives.views.discussion import discussion_context
from tests import factories

from .support.partnerships import add_partnership

pytestmark = pytest.mark.django_db

INCLUDES = (
    "initiatives/includes/updates.html",
    "initiatives/includes/cost_sharing.html",
    "initiatives/includes/discussion.html",
)


def build(council, n):
    """An initiative with ``n`` partners (each with a commenting member),
    ``n`` updates and ``n`` comments, some edited, deleted or flagged."""
    initiative = factories.make_initiative(
        council,
        slug=f"busy-{n}",
        visibility=Initiative.Visibility.PLATFORM,
        estimated_cost_pence=9_999_999,
        cost_split_method=Initiative.CostSplit.POPULATION,
    )
    flagger = factories.member_of(council, Membership.Role.MEMBER)
    for i in range(n):
        org = factories.OrganisationFactory(population=100_000 + i)
        add_partnership(initiative, org, status="active" if i % 2 else "committed")
        author = factories.member_of(org, Membership.Role.MEMBER)
        factories.UpdateFactory(initiative=initiative, author=author, organisation=org)
        comment = factories.CommentFactory(initiative=initiative, author=author)
        if i % 3 == 0:
            CommentFlag.objects.create(comment=comment, flagged_by=flagger, reason="check")
    return initiative, flagger


def render_section(initiative, user):
    request = RequestFactory().get(initiative.get_absolute_url())
    request.user = user
    context = {"initiative": initiative, "user": user, "request": request}
    context.update(discussion_context(initiative=initiative, user=user))
    context.update(cost_sharing_context(initiative=initiative, user=user))
    return "".join(render_to_string(name, context, request=request) for name in INCLUDES)


@pytest.mark.parametrize("n", [2, 30])
@pytest.mark.parametrize("viewer", ["flagger", "outsider", "council_admin"])
def test_section_query_count_is_constant(
    council, request, django_assert_max_num_queries, n, viewer
):
    initiative, flagger = build(council, n)
    user = flagger if viewer == "flagger" else request.getfixturevalue(viewer)
    user = type(user).objects.get(pk=user.pk)  # no cached membership
    initiative = Initiative.objects.select_related("lead_organisation").get(pk=initiative.pk)
    # Expected: the viewer's membership (1); visibility of a platform initiative
    # for a non-lead viewer, asked by the section, can_post_update and
    # can_comment (≤3); the viewer's flags (1); comments with authors and
    # organisations (1); the viewer's partnership for can_post_update (≤1, none
    # when the page prefetched partnerships); updates with authors and
    # organisations (1); cost-sharing partnerships with organisations (1).
    # Rendering adds none.
    with django_assert_max_num_queries(9):
        html = render_section(initiative, user)
    assert html.count('class="app-comment"') == n
    assert html.count('class="app-update"') == n
    assert html.count('<th scope="row" class="govuk-table__header">') == n + 1


def test_whole_page_query_count_does_not_grow_with_discussion(client_for, council, officer):
    counts = []
    for n in (2, 30):
        initiative, _ = build(council, n)
        client = client_for(officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(initiative.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
