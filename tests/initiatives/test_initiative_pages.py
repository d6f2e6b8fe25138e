"""Create, edit and stage pages; the duplicate check; the initiative page."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from initiatives.models import Follow, Initiative, Partnership, StageChange
from notifications.models import Activity
from tests import factories

from .support.initiative import form_data, one_of_each_visibility

pytestmark = pytest.mark.django_db

CREATE = "/initiatives/new/"


# --- create -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _waste(db):
    """The service area ``form_data`` chooses."""
    factories.service_area("waste")


START_FIELDS = ("title", "summary", "service_areas", "stage", "visibility")
LATER_FIELDS = (
    "description",
    "tags",
    "collaboration_level",
    "looking_for_partners",
    "estimated_cost",
    "funding_band",
    "funding_sources",
    "cost_split_method",
    "start_date_day",
    "end_date_day",
    "key_contact",
    "skills_needed",
)


def test_the_first_step_asks_only_the_essentials(client_for, officer):
    html = client_for(officer).get(CREATE).content.decode()
    assert html.count("<h1") == 1
    for name in START_FIELDS:
        assert f'name="{name}"' in html, name
    form = html[html.index('<form method="post"') :]
    for name in LATER_FIELDS:
        assert f'name="{name}"' not in form, name
    for heading in ("Cost and funding", "Dates", "People and skills"):
        assert heading not in html  # no headings over sections not asked yet
    assert 'data-module="govuk-character-count" data-maxlength="280"' in html
    assert 'hx-trigger="keyup changed delay:500ms"' in html
    assert 'id="similar-initiatives" class="app-similar-region" aria-live="polite"' in html
    assert "Check for similar initiatives" in html
    assert "csrfmiddlewaretoken" in html


def _start(client, **overrides):
    data = {
        "title": "Garden waste subscriptions",
        "summary": "One online service for garden waste renewals.",
        "service_areas": ["waste"],
        "stage": "idea",
        "visibility": "draft",
        "duplicates_seen": "1",
        **overrides,
    }
    return client.post(CREATE, {k: v for k, v in data.items() if v is not None})


def test_officer_proposes_in_steps_saving_a_draft_first(client_for, officer, council):
    factories.skill("user-research")
    client = client_for(officer)
    response = _start(client)
    initiative = Initiative.objects.get()
    check = f"/initiatives/{initiative.slug}/check/"
    assert response.status_code == 302 and response["Location"] == check
    assert initiative.visibility == "draft" and initiative.lead_organisation == council
    assert list(initiative.service_areas.values_list("slug", flat=True)) == ["waste"]
    assert Partnership.objects.filter(initiative=initiative, role="lead").count() == 1
    assert Follow.objects.filter(user=officer, initiative=initiative).exists()

    page = client.get(check).content.decode()
    assert "saved as a draft" in page and "Check your initiative" in page
    for section in ("about", "working", "money", "dates"):
        assert f"/initiatives/{initiative.slug}/edit/?section={section}" in page
    assert "Not added yet" in page
    assert "former member" not in page  # no key contact yet is not a former one

    edit = f"/initiatives/{initiative.slug}/edit/"
    money = client.get(edit, {"section": "money"}).content.decode()
    assert 'name="estimated_cost"' in money and 'name="title"' not in money
    response = client.post(
        edit,
        {
            "section": "money",
            "estimated_cost": "12,500.50",
            "funding_band": "under_50k",
            "funding_sources": ["own_budgets", "local_digital_fund"],
            "cost_split_method": "equal",
        },
    )
    assert response.status_code == 302 and response["Location"] == check
    response = client.post(
        edit,
        {
            "section": "dates",
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2026",
            "start_date_estimated": "on",
        },
    )
    assert response["Location"] == check
    response = client.post(
        edit,
        {
            "section": "working",
            "collaboration_level": "co_designing",
            "looking_for_partners": "on",
            "skills_needed": ["user-research"],
            "key_contact": str(officer.pk),
        },
    )
    assert response["Location"] == check
    initiative.refresh_from_db()
    # Each section changed only its own fields.
    assert initiative.title == "Garden waste subscriptions"
    assert initiative.estimated_cost_pence == 1_250_050  # £12,500.50 exactly
    assert initiative.funding_sources == ["own_budgets", "local_digital_fund"]
    assert initiative.start_date == datetime.date(2026, 4, 1) and initiative.start_date_estimated
    assert initiative.key_contact == officer
    assert list(initiative.service_areas.values_list("slug", flat=True)) == ["waste"]
    page = client.get(check).content.decode()
    assert "£12,500.50" in page and "1 April 2026" in page and "User research" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"summary": "x" * 281}, "Summary must be 280 characters or fewer"),
        ({"service_areas": None}, "Select at least one service area"),
        ({"visibility": "secret"}, "Select one of the options given for ‘Who can see it?’"),
    ],
)
def test_bad_first_step_shows_error_summary_and_writes_nothing(
    client_for, officer, overrides, message
):
    response = _start(client_for(officer), **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize(
    ("section", "data", "message"),
    [
        ("money", {"estimated_cost": "12.345"}, "no more than 2 decimal places"),
        ("money", {"estimated_cost": "-5"}, "Estimated cost must be £0 or more"),
        ("money", {"estimated_cost": "lots"}, "Enter the estimated cost as an amount in pounds"),
        ("money", {"estimated_cost": "1e6"}, "Enter the estimated cost as an amount in pounds"),
        (
            "money",
            {"funding_sources": ["lottery"]},
            "Select one of the options given for the funding sources",
        ),
        (
            "dates",
            {"start_date_day": "31", "start_date_month": "2", "start_date_year": "2026"},
            "must be a real date",
        ),
        (
            "dates",
            {"start_date_day": "3", "start_date_year": "2026"},
            "Start date must include a month",
        ),
        (
            "dates",
            {
                "start_date_day": "2",
                "start_date_month": "2",
                "start_date_year": "2026",
                "end_date_day": "1",
                "end_date_month": "2",
                "end_date_year": "2026",
            },
            "End date must be the same as or after the start date",
        ),
        (
            "about",
            {"title": "Kept", "summary": "Kept", "visibility": "draft"},
            "Select at least one service area",
        ),
    ],
)
def test_bad_section_input_shows_errors_and_changes_nothing(
    client_for, officer, council, section, data, message
):
    initiative = factories.InitiativeFactory(
        lead_organisation=council, title="Keep me", service_areas=[factories.service_area("waste")]
    )
    defaults = {
        "money": {"funding_band": "unknown", "cost_split_method": "equal"},
        "dates": {},
        "about": {},
    }[section]
    response = client_for(officer).post(
        f"/initiatives/{initiative.slug}/edit/", {"section": section, **defaults, **data}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html and "<title>Error: " in html
    assert f'name="section" value="{section}"' in html
    initiative.refresh_from_db()
    assert initiative.title == "Keep me" and initiative.estimated_cost_pence is None
    assert initiative.start_date is None
    assert initiative.service_areas.count() == 1


def test_key_contact_from_another_council_is_refused(client_for, officer, council, outsider):
    initiative = factories.InitiativeFactory(lead_organisation=council)
    response = client_for(officer).post(
        f"/initiatives/{initiative.slug}/edit/",
        {
            "section": "working",
            "collaboration_level": "co_designing",
            "key_contact": str(outsider.pk),
        },
    )
    assert response.status_code == 200
    assert "Select one of the options given for the key contact" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.key_contact is None


def test_only_the_lead_checks_and_changes_sections(client_for, council, outsider):
    initiative = factories.InitiativeFactory(lead_organisation=council)
    client = client_for(outsider)
    assert client.get(f"/initiatives/{initiative.slug}/check/").status_code == 403
    response = client.post(
        f"/initiatives/{initiative.slug}/edit/", {"section": "money", "estimated_cost": "5"}
    )
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.estimated_cost_pence is None


def test_create_refused_for_anonymous_supplier_and_unaffiliated(client_for, supplier_user):
    response = Client().post(CREATE, form_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(supplier_user).post(CREATE, form_data()).status_code == 403
    assert client_for(factories.UserFactory()).get(CREATE).status_code == 403
    assert Initiative.objects.count() == 0


# --- duplicate check --------------------------------------------------------------------


def test_similar_endpoint_htmx_partial_lists_visible_lookalikes(client_for, officer, other_council):
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Garden waste renewals online",
        summary="Subscriptions for garden waste collections",
    )
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Garden waste draft plan",
        summary="Garden waste subscriptions",
        visibility="draft",
    )
    factories.InitiativeFactory(lead_organisation=other_council, title="Parking permits")
    response = client_for(officer).get(
        "/initiatives/similar/",
        {"title": "Garden waste subscriptions", "summary": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Another council may already be doing this" in html
    assert "Garden waste renewals online" in html
    assert "Garden waste draft plan" not in html  # another council's draft never leaks
    assert "Parking permits" not in html
    # Seen live: the form's hidden flag is switched on out of band.
    assert 'id="duplicates-seen" name="duplicates_seen" value="1" hx-swap-oob="true"' in html


def test_similar_endpoint_without_javascript_is_a_full_page(client, other_council):
    factories.InitiativeFactory(lead_organisation=other_council, title="Garden waste renewals")
    response = client.get("/initiatives/similar/", {"title": "garden waste"})
    html = response.content.decode()
    assert "<html" in html and html.count("<h1") == 1
    assert "Garden waste renewals" in html
    empty = client.get("/initiatives/similar/", {"title": "zebra crossings"}).content.decode()
    assert "No similar initiatives found yet." in empty


def test_no_js_check_button_shows_the_list_and_saves_nothing(client_for, officer, other_council):
    factories.InitiativeFactory(lead_organisation=other_council, title="Garden waste renewals")
    factories.service_area("waste")
    response = client_for(officer).post(
        CREATE,
        form_data(
            check_similar="1",
            duplicates_seen="0",
            summary="",
            service_areas=["waste"],
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Another council may already be doing this" in html
    assert 'name="duplicates_seen" value="1"' in html
    # What was typed comes back as typed, without judging unfinished fields.
    assert 'value="Garden waste subscriptions"' in html
    assert 'value="waste" checked' in html
    assert "govuk-error-summary" not in html
    assert Initiative.objects.count() == 1


def test_first_submit_with_lookalikes_asks_to_confirm_then_creates(
    client_for, officer, other_council
):
    factories.InitiativeFactory(lead_organisation=other_council, title="Garden waste renewals")
    client = client_for(officer)
    response = client.post(CREATE, form_data(duplicates_seen="0"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Save and continue anyway" in html and "Garden waste renewals" in html
    assert Initiative.objects.count() == 1
    response = client.post(CREATE, form_data(duplicates_seen="1"))
    assert response.status_code == 302
    assert Initiative.objects.count() == 2


# --- edit and stage ---------------------------------------------------------------------


def test_lead_member_edits_and_sees_current_values(client_for, officer, council):
    initiative = factories.InitiativeFactory(
        lead_organisation=council, title="Old title", estimated_cost_pence=150_000, tags=["Bins"]
    )
    client = client_for(officer)
    page = client.get(f"/initiatives/{initiative.slug}/edit/").content.decode()
    assert 'value="Old title"' in page and 'value="1500"' in page and 'value="bins"' in page
    assert 'name="stage"' not in page  # stage has its own page, for the timeline
    response = client.post(
        f"/initiatives/{initiative.slug}/edit/",
        form_data(title="New title", estimated_cost="99.99", tags="Bins, Routes"),
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "New title" and initiative.estimated_cost_pence == 9_999
    assert initiative.slug.startswith("shared-initiative")  # links keep working
    assert "Your changes have been saved." in client.get(response["Location"]).content.decode()


def test_edit_bad_input_changes_nothing(client_for, officer, council):
    initiative = factories.InitiativeFactory(lead_organisation=council, title="Keep me")
    response = client_for(officer).post(
        f"/initiatives/{initiative.slug}/edit/", form_data(title="", summary="x" * 300)
    )
    assert response.status_code == 200
    assert "Enter a title" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.title == "Keep me"


def test_edit_and_stage_refused_for_others(client_for, council, outsider):
    public = factories.InitiativeFactory(lead_organisation=council, title="Public one")
    draft = factories.InitiativeFactory(lead_organisation=council, visibility="draft")
    outsider_client = client_for(outsider)
    # Visible but not theirs: 403. Invisible: 404, the same as missing.
    assert outsider_client.get(f"/initiatives/{public.slug}/edit/").status_code == 403
    assert outsider_client.post(f"/initiatives/{public.slug}/edit/", form_data()).status_code == 403
    assert (
        outsider_client.post(f"/initiatives/{public.slug}/stage/", {"to_stage": "beta"}).status_code
        == 403
    )
    assert outsider_client.get(f"/initiatives/{draft.slug}/edit/").status_code == 404
    assert outsider_client.get(f"/initiatives/{draft.slug}/stage/").status_code == 404
    assert outsider_client.get("/initiatives/no-such-thing/edit/").status_code == 404
    response = Client().post(f"/initiatives/{public.slug}/stage/", {"to_stage": "beta"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    public.refresh_from_db()
    assert public.title == "Public one" and public.stage == "idea"


def test_stage_change_page_records_timeline(client_for, officer, council):
    initiative = factories.InitiativeFactory(lead_organisation=council, title="Staged")
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    )
    client = client_for(officer)
    page = client.get(f"/initiatives/{initiative.slug}/stage/").content.decode()
    assert 'name="to_stage"' in page and 'name="changed_on_day"' in page
    response = client.post(
        f"/initiatives/{initiative.slug}/stage/",
        {
            "to_stage": "discovery",
            "changed_on_day": "3",
            "changed_on_month": "2",
            "changed_on_year": "2026",
            "note": "Kick-off with three councils",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.stage == "discovery"
    assert Activity.objects.filter(verb="initiative.stage_changed").count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "Stage changed to Discovery." in detail
    assert "Idea to Discovery" in detail and "3 February 2026" in detail
    assert "Kick-off with three councils" in detail


def test_stage_change_bad_input(client_for, officer, council):
    initiative = factories.InitiativeFactory(lead_organisation=council, stage="alpha")
    client = client_for(officer)
    url = f"/initiatives/{initiative.slug}/stage/"
    same = client.post(url, {"to_stage": "alpha"}).content.decode()
    assert "already at Alpha" in same and "govuk-error-summary" in same
    future = timezone.localdate() + datetime.timedelta(days=3)
    later = client.post(
        url,
        {
            "to_stage": "beta",
            "changed_on_day": future.day,
            "changed_on_month": future.month,
            "changed_on_year": future.year,
        },
    ).content.decode()
    assert "today or in the past" in later
    before = client.post(
        url,
        {
            "to_stage": "beta",
            "changed_on_day": "1",
            "changed_on_month": "1",
            "changed_on_year": "2020",
        },
    ).content.decode()
    assert "must be on or after" in before and "when the initiative was recorded" in before
    assert "Select the new stage" in client.post(url, {}).content.decode()
    assert StageChange.objects.filter(initiative=initiative).count() == 0
    initiative.refresh_from_db()
    assert initiative.stage == "alpha"


# --- the initiative page ----------------------------------------------------------------


def test_detail_visibility(client_for, council, other_council, outsider, officer):
    client = Client()
    initiatives = one_of_each_visibility(council)
    urls = {vis: f"/initiatives/{i.slug}/" for vis, i in initiatives.items()}
    assert client.get(urls["public"]).status_code == 200
    for vis in ("platform", "partners", "draft"):
        assert client.get(urls[vis]).status_code == 404, vis
    outsider_client = client_for(outsider)
    assert outsider_client.get(urls["platform"]).status_code == 200
    assert outsider_client.get(urls["partners"]).status_code == 404
    assert outsider_client.get(urls["draft"]).status_code == 404
    factories.PartnershipFactory(initiative=initiatives["partners"], organisation=other_council)
    assert outsider_client.get(urls["partners"]).status_code == 200
    assert client_for(officer).get(urls["draft"]).status_code == 200


def test_detail_shows_overview_timeline_and_similar(client, council, other_council):
    initiative = factories.InitiativeFactory(
        lead_organisation=council,
        title="Garden waste renewals",
        summary="Renew garden waste online",
        description="Some <script>alert(1)</script> **markdown**",
        funding_sources=["local_digital_fund"],
        estimated_cost_pence=2_500_000,
        service_areas=[factories.service_area("waste")],
        tags=["Subscriptions"],
    )
    StageChange.objects.create(initiative=initiative, from_stage="", to_stage="idea")
    factories.InitiativeFactory(lead_organisation=other_council, title="Garden waste portal")
    html = client.get(f"/initiatives/{initiative.slug}/").content.decode()
    assert html.count("<h1") == 1
    assert "<script>alert" not in html and "<strong>markdown</strong>" in html
    assert "Local Digital Fund" in html and "£25,000" in html
    assert "subscriptions" in html and "Waste" in html
    assert "Started at Idea" in html
    assert 'id="similar-heading"' in html and "Garden waste portal" in html
    assert "Edit initiative" not in html  # anonymous


def _add_activity(initiative, officer, council, start: int, stop: int) -> None:
    """Partners, timeline entries, updates, comments, tags and look-alikes."""
    for i in range(start, stop):
        org = factories.OrganisationFactory()
        factories.PartnershipFactory(initiative=initiative, organisation=org, status="committed")
        StageChange.objects.create(initiative=initiative, to_stage="idea", note=f"n{i}")
        factories.UpdateFactory(initiative=initiative, organisation=org, author=officer)
        factories.CommentFactory(initiative=initiative, organisation=council, author=officer)
        initiative.tags.add(factories.TagFactory(name=f"Tag {i}"))
        factories.InitiativeFactory(lead_organisation=org, title=f"Busy initiative twin {i}")


def test_detail_query_count_is_constant(
    client_for, officer, council, django_assert_max_num_queries
):
    initiative = factories.InitiativeFactory(
        lead_organisation=council,
        title="Busy initiative",
        service_areas=[factories.service_area(f"area-{i}") for i in range(3)],
    )
    client = client_for(officer)
    url = f"/initiatives/{initiative.slug}/"
    counts = []
    for start, stop in ((0, 2), (2, 25)):
        _add_activity(initiative, officer, council, start, stop)
        # 16 today: session, user, membership; the initiative (lead and key
        # contact joined) + service areas, tags, skills and timeline prefetches;
        # similar initiatives (one query); partners section (partnerships,
        # pledged skills, events, follow counts); discussion section (flags,
        # comments, updates). 20 leaves room for a section to grow by a query.
        with django_assert_max_num_queries(20) as captured:
            response = client.get(url)
        counts.append(len(captured))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("app-timeline__item") == stop
        assert "Edit initiative" in html and "Change stage" in html
        assert f"tag {stop - 1}" in html
    assert counts[0] == counts[1], counts  # 2 or 25 of everything: the same queries


def test_missing_initiative_is_404(client):
    assert client.get("/initiatives/does-not-exist/").status_code == 404


def test_timeline_and_key_contact_name_people_only_for_members(
    client_for, council, officer, outsider
):
    """Names go to members of active organisations (the rule in
    ``councils.policies.may_see_personal_names``); a signed-in account with
    no membership sees the key contact's organisation and role, like an
    anonymous visitor."""
    initiative = factories.InitiativeFactory(lead_organisation=council, key_contact=officer)
    StageChange.objects.create(initiative=initiative, to_stage="idea", changed_by=officer)
    no_membership = factories.UserFactory()
    for viewer in (None, no_membership):
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(f"/initiatives/{initiative.slug}/").content.decode()
        assert officer.display_name not in page
        assert re.search(r"Key contact</dt><dd[^>]*>An officer at Leedsham<", page)
    member = client_for(outsider).get(f"/initiatives/{initiative.slug}/").content.decode()
    assert member.count(officer.display_name) >= 2  # key contact and the timeline


def test_similar_panel_needs_two_things_in_common(council, other_council):
    waste = factories.service_area("waste")
    initiative = factories.InitiativeFactory(
        lead_organisation=council,
        title="Garden waste subscriptions online",
        summary="Residents renew garden waste collections",
        service_areas=[waste],
    )
    factories.InitiativeFactory(
        lead_organisation=other_council,
        title="Missed bin reports",
        summary="Report a missed waste collection",
        service_areas=[waste],
    )
    factories.InitiativeFactory(lead_organisation=other_council, title="Taxi licences online")
    html = Client().get(f"/initiatives/{initiative.slug}/").content.decode()
    similar = html[html.index('id="similar-heading"') :]
    assert "Missed bin reports" in similar  # shared words and a shared service area
    assert "Taxi licences online" not in similar  # only "online" in common
