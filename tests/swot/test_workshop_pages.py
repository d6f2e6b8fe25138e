"""The workshop pages through the test client: the list, creating and editing
a workshop, and its overview. Each page refuses outsiders (404, the same as
for a workshop that does not exist) and participants who are not
facilitators (403) where only facilitators may act, and bad input changes
nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Initiative
from swot.models import Participant, Workshop
from swot.services import board, workshops
from tests import factories

pytestmark = pytest.mark.django_db


def _participant(workshop, user):
    return Participant.objects.get(workshop=workshop, user=user)


def _move_to(workshop, user, *phases):
    for phase in phases:
        board.perform(
            workshop_id=workshop.pk,
            participant=_participant(workshop, user),
            kind="phase.set",
            args={"phase": phase},
        )
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def workshop(facilitator, officer):
    ws = workshops.create_workshop(
        by=facilitator,
        title="Waste collaboration",
        purpose="Are we ready to share a waste contract?",
        scheduled_for=timezone.localdate() + datetime.timedelta(days=7),
    )
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer])
    return ws


def _create_data(**overrides):
    data = {
        "title": "Planning systems together",
        "purpose": "Where could we share a planning system?",
        "scheduled_for_day": "",
        "scheduled_for_month": "",
        "scheduled_for_year": "",
        "template": "readiness",
        "votes_per_participant": "5",
        "initiative": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# The list ------------------------------------------------------------------------------


def test_list_needs_sign_in(client):
    response = client.get(reverse("swot:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_empty_list_says_why_and_offers_no_create_button_to_officers(client_for, officer):
    response = client_for(officer).get(reverse("swot:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have not been invited to any upcoming workshop" in html
    assert "None of your workshops is running now" in html
    assert "No results have been shared yet" in html
    assert reverse("swot:create") not in html
    assert "Facilitators and council admins can create workshops" in html


def test_list_splits_workshops_by_phase_with_their_facts(client_for, facilitator, officer):
    upcoming = workshops.create_workshop(
        by=facilitator, title="Upcoming one", scheduled_for=datetime.date(2031, 3, 27)
    )
    live = workshops.create_workshop(by=facilitator, title="Live one")
    workshops.invite_users(workshop=live, by=_participant(live, facilitator), users=[officer])
    _move_to(live, facilitator, "brainstorm")
    closed = workshops.create_workshop(by=facilitator, title="Closed one")
    _move_to(closed, facilitator, "brainstorm", "group", "vote", "actions", "closed")

    response = client_for(facilitator).get(reverse("swot:list"))
    html = response.content.decode()
    assert reverse("swot:create") in html  # facilitators may create
    live_section = html[html.index('id="live-heading"') : html.index('id="upcoming-heading"')]
    upcoming_section = html[html.index('id="upcoming-heading"') : html.index('id="closed-heading"')]
    closed_section = html[html.index('id="closed-heading"') : html.index('id="shared-heading"')]
    assert "Live one" in live_section and "Live: brainstorm" in live_section
    assert "Upcoming one" in upcoming_section and "27 March 2031" in upcoming_section
    assert "Closed one" in closed_section
    assert reverse("swot:detail", kwargs={"pk": upcoming.pk}) in upcoming_section
    assert "Leedsham" in upcoming_section  # the owner council
    # The live workshop has the facilitator and the officer.
    row = live_section[live_section.index("Live one") :]
    assert 'data-label="People">2<' in row


def test_shared_results_list_other_councils_closed_workshops(client_for, facilitator, outsider):
    ws = workshops.create_workshop(by=facilitator, title="Shared lessons")
    _move_to(ws, facilitator, "brainstorm", "group", "vote", "actions", "closed")
    workshops.share_results(workshop=ws, by=_participant(ws, facilitator), shared=True)
    workshops.create_workshop(by=facilitator, title="Not shared at all")

    html = client_for(outsider).get(reverse("swot:list")).content.decode()
    shared = html[html.index('id="shared-heading"') :]
    assert "Shared lessons" in shared
    assert f"/workshops/{ws.pk}/" in shared
    assert "Not shared at all" not in html


@pytest.mark.parametrize("count", [1, 6])
def test_list_query_count_does_not_grow(
    client_for, facilitator, officer, django_assert_max_num_queries, count
):
    for n in range(count):
        ws = workshops.create_workshop(by=facilitator, title=f"Workshop {n}")
        workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[officer])
        if n % 2:
            _move_to(ws, facilitator, "brainstorm")
    client = client_for(officer)
    # session, user, membership, own workshops (with their counts), shared
    # results (with theirs): five, however many workshops.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("swot:list"))
    assert response.content.decode().count('class="govuk-table__row"') >= count


# Creating ------------------------------------------------------------------------------


def test_create_form_is_for_facilitators_and_admins_only(client, client_for, officer, facilitator):
    assert client.get(reverse("swot:create")).status_code == 302
    assert client_for(officer).get(reverse("swot:create")).status_code == 403
    assert client_for(officer).post(reverse("swot:create"), _create_data()).status_code == 403
    assert not Workshop.objects.exists()
    response = client_for(facilitator).get(reverse("swot:create"))
    assert response.status_code == 200
    assert "Collaboration readiness" in response.content.decode()


def test_creating_a_workshop(client_for, facilitator):
    future = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(facilitator).post(
        reverse("swot:create"),
        _create_data(
            scheduled_for_day=str(future.day),
            scheduled_for_month=str(future.month),
            scheduled_for_year=str(future.year),
            anonymous_items="on",
            votes_per_participant="3",
        ),
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("swot:people", kwargs={"pk": workshop.pk})
    assert workshop.title == "Planning systems together"
    assert workshop.scheduled_for == future
    assert workshop.anonymous_items and not workshop.private_brainstorm
    assert workshop.votes_per_participant == 3
    assert workshop.template == "readiness" and workshop.prompts["strengths"]
    assert workshop.owner.name == "Leedsham"
    assert _participant(workshop, facilitator).role == Participant.Role.FACILITATOR


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the title"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"votes_per_participant": "0"}, "votes_per_participant", "between 1 and 50"),
        ({"votes_per_participant": "many"}, "votes_per_participant", "whole number"),
        ({"template": "kanban"}, "template", "Choose a template"),
        (
            {"scheduled_for_day": "31", "scheduled_for_month": "2", "scheduled_for_year": "2031"},
            "scheduled_for",
            "Date must be a real date",
        ),
        (
            {"scheduled_for_day": "1", "scheduled_for_month": "1", "scheduled_for_year": "2020"},
            "scheduled_for",
            "today or in the future",
        ),
    ],
)
def test_bad_input_shows_errors_and_creates_nothing(
    client_for, facilitator, overrides, field, message
):
    response = client_for(facilitator).post(reverse("swot:create"), _create_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert not Workshop.objects.exists()


def test_linked_initiative_is_one_the_council_takes_part_in(
    client_for, facilitator, council, other_council
):
    own = factories.make_initiative(council, title="Our waste initiative")
    theirs = factories.make_initiative(
        other_council, title="Their draft", visibility=Initiative.Visibility.DRAFT
    )
    client = client_for(facilitator)
    html = client.get(reverse("swot:create")).content.decode()
    assert "Our waste initiative" in html
    assert "Their draft" not in html
    refused = client.post(reverse("swot:create"), _create_data(initiative=theirs.slug))
    assert refused.status_code == 400
    assert "initiative" in refused.context["form"].errors
    assert not Workshop.objects.exists()
    client.post(reverse("swot:create"), _create_data(initiative=own.slug))
    assert Workshop.objects.get().initiative == own


def test_a_nul_character_is_refused_before_the_form(client_for, facilitator):
    response = client_for(facilitator).post(reverse("swot:create"), _create_data(title="A\x00B"))
    assert response.status_code == 400
    assert not Workshop.objects.exists()


# Editing -------------------------------------------------------------------------------


def test_facilitator_edits_the_details(client_for, facilitator, workshop):
    url = reverse("swot:edit", kwargs={"pk": workshop.pk})
    client = client_for(facilitator)
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert 'value="Waste collaboration"' in form_page.content.decode()
    response = client.post(
        url, {"title": "Waste, renamed", "purpose": "", "votes_per_participant": "7"}
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Waste, renamed"
    assert workshop.votes_per_participant == 7
    assert workshop.scheduled_for is None  # the date was cleared


def test_edit_refuses_bad_input_and_changes_nothing(client_for, facilitator, workshop):
    url = reverse("swot:edit", kwargs={"pk": workshop.pk})
    response = client_for(facilitator).post(url, {"title": "", "votes_per_participant": "99"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "votes_per_participant"}
    workshop.refresh_from_db()
    assert workshop.title == "Waste collaboration" and workshop.votes_per_participant == 5


def test_only_facilitators_edit(client_for, officer, outsider, council_admin, workshop):
    url = reverse("swot:edit", kwargs={"pk": workshop.pk})
    data = {"title": "Hijacked", "votes_per_participant": "5"}
    # A participant who is not a facilitator: the workshop is theirs to see, not to edit.
    assert client_for(officer).get(url).status_code == 403
    assert client_for(officer).post(url, data).status_code == 403
    # Not taking part (even an admin of the owner council, or another council): 404.
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(council_admin).post(url, data).status_code == 404
    workshop.refresh_from_db()
    assert workshop.title == "Waste collaboration"


def test_options_leave_the_form_once_the_brainstorm_starts(client_for, facilitator, workshop):
    _move_to(workshop, facilitator, "brainstorm")
    url = reverse("swot:edit", kwargs={"pk": workshop.pk})
    client = client_for(facilitator)
    html = client.get(url).content.decode()
    assert 'name="anonymous_items"' not in html
    assert "cannot change once the brainstorm has started" in html
    # Posting them anyway changes nothing (the form does not take them).
    client.post(
        url,
        {"title": "Still waste", "anonymous_items": "on", "votes_per_participant": "5"},
    )
    workshop.refresh_from_db()
    assert workshop.title == "Still waste" and not workshop.anonymous_items


def test_a_closed_workshop_cannot_be_edited(client_for, facilitator, workshop):
    _move_to(workshop, facilitator, "brainstorm", "group", "vote", "actions", "closed")
    url = reverse("swot:edit", kwargs={"pk": workshop.pk})
    client = client_for(facilitator)
    assert client.get(url)["Location"] == reverse("swot:detail", kwargs={"pk": workshop.pk})
    response = client.post(url, {"title": "Too late"})
    assert response.status_code == 400
    assert "This workshop has closed." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.title == "Waste collaboration"


# The overview --------------------------------------------------------------------------


def test_overview_for_a_participant(client_for, officer, facilitator, workshop):
    response = client_for(officer).get(reverse("swot:detail", kwargs={"pk": workshop.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Are we ready to share a waste contract?" in html
    assert f'href="/workshops/{workshop.pk}/board/"' in html
    assert "Open the board" in html
    assert facilitator.display_name in html and officer.display_name in html
    assert reverse("swot:people", kwargs={"pk": workshop.pk}) not in html
    assert reverse("swot:edit", kwargs={"pk": workshop.pk}) not in html


def test_overview_for_a_facilitator_links_people_and_edit(client_for, facilitator, workshop):
    html = (
        client_for(facilitator)
        .get(reverse("swot:detail", kwargs={"pk": workshop.pk}))
        .content.decode()
    )
    assert "Manage people" in html
    assert reverse("swot:people", kwargs={"pk": workshop.pk}) in html
    assert reverse("swot:edit", kwargs={"pk": workshop.pk}) in html


def test_overview_refuses_outsiders_and_removed_people(
    client, client_for, outsider, officer, facilitator, workshop
):
    url = reverse("swot:detail", kwargs={"pk": workshop.pk})
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get("/workshops/999999/").status_code == 404
    workshops.remove_participant(
        workshop=workshop,
        by=_participant(workshop, facilitator),
        participant=_participant(workshop, officer),
    )
    assert client_for(officer).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_overview_hides_a_linked_initiative_the_viewer_may_not_see(
    client_for, facilitator, outsider, council
):
    secret = factories.make_initiative(
        council, title="Partners only plan", visibility=Initiative.Visibility.PARTNERS
    )
    ws = workshops.create_workshop(by=facilitator, title="About a plan", initiative=secret)
    workshops.invite_users(workshop=ws, by=_participant(ws, facilitator), users=[outsider])
    url = reverse("swot:detail", kwargs={"pk": ws.pk})
    assert "Partners only plan" in client_for(facilitator).get(url).content.decode()
    assert "Partners only plan" not in client_for(outsider).get(url).content.decode()


def test_overview_query_count(client_for, officer, workshop, django_assert_max_num_queries):
    client = client_for(officer)
    # session, user, membership, the viewer's participant (with the workshop),
    # the people (with users and organisations), the owner council.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("swot:detail", kwargs={"pk": workshop.pk})).status_code == 200


def test_navigation_links_workshops_for_signed_in_people_only(client, client_for, officer):
    assert 'href="/workshops/"' not in client.get("/").content.decode()
    html = client_for(officer).get(reverse("swot:list")).content.decode()
    assert (
        '<a class="govuk-service-navigation__link" href="/workshops/" aria-current="true"' in html
    )
