"""The summary page, its exports and print view, sharing the results, the
closing e-mail, and the facilitator's suggested groups on the board: each
shows only what its viewer may see (anonymous authors never, unrevealed
items never)."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from swot.models import Group, Item, Participant, Workshop
from swot.services import workshops
from tests import factories

from .results_setup import board_in_actions, do, place

DUE = datetime.date(timezone.localdate().year + 2, 3, 31)


@pytest.fixture
def ready(facilitator, officer, outsider, other_council):
    ready = board_in_actions(facilitator, officer, outsider)
    ws = ready.workshop
    do(
        ws,
        officer,
        "action.add",
        text="Map contract end dates",
        items=[ready.items["w1"]],
        owner=f"organisation:{other_council.pk}",
        due_date=DUE.isoformat(),
    )
    do(
        ws,
        facilitator,
        "strategy.add",
        strategy_kind="WO",
        text="Buy together",
        items=[ready.items["w1"], ready.items["o1"]],
    )
    return ready


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _summary_url(ws, suffix="summary/"):
    return f"/workshops/{ws.pk}/{suffix}"


def test_summary_shows_what_the_workshop_produced(ready, officer, council, other_council):
    ws = ready.workshop
    page = _client(officer).get(_summary_url(ws))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Waste collaboration",
        "Legacy contracts ending",
        "2 votes",
        "Contracts",
        "Map contract end dates",
        f"31 March {DUE.year}",
        "Buy together",
        "Joint procurement with neighbours",
        council.name,
        other_council.name,
    ):
        assert text in html, text
    # Top-voted first within a quadrant.
    assert html.index("Legacy contracts ending") < html.index("Contract knowledge is thin")
    assert "Download CSV" in html and "?print=1" in html
    assert "Share the results" not in html  # the facilitator's, not an officer's
    # Not anonymous: authors are shown to people who may see names.
    assert f"Added by {officer.display_name}" in html


def test_who_may_read_the_summary(ready, facilitator, officer, outsider):
    ws = ready.workshop
    stranger = factories.member_of(factories.OrganisationFactory(), "member")
    assert _client(stranger).get(_summary_url(ws)).status_code == 404
    assert _client().get(_summary_url(ws)).status_code == 404
    assert _client(stranger).get(_summary_url(ws, "summary.csv")).status_code == 404
    assert _client().get("/workshops/999999/summary/").status_code == 404
    code = workshops.set_guest_link(workshop=ws, by=place(ws, facilitator), enabled=True)
    guest, token = workshops.join_as_guest(workshop_id=ws.pk, code=code, name="Gina")
    guest_client = Client()
    session = guest_client.session
    session["swot_guest_tokens"] = {str(ws.pk): token}
    session.save()
    assert guest_client.get(_summary_url(ws)).status_code == 404  # guests see the board only
    # Shared but still running: not yet.
    workshops.share_results(workshop=ws, by=place(ws, facilitator), shared=True)
    assert _client(stranger).get(_summary_url(ws)).status_code == 404
    do(ws, facilitator, "phase.set", phase="closed")
    assert _client(stranger).get(_summary_url(ws)).status_code == 200
    assert _client(stranger).get(_summary_url(ws, "summary.md")).status_code == 200
    assert _client().get(_summary_url(ws)).status_code == 404  # signed in only
    assert guest_client.get(_summary_url(ws)).status_code == 404


def test_facilitator_shares_and_unshares_the_results(ready, facilitator, officer):
    ws = ready.workshop
    url = _summary_url(ws, "summary/share")
    assert "Share the results" in _client(facilitator).get(_summary_url(ws)).content.decode()
    response = _client(officer).post(url, {"shared": "yes"})
    assert response.status_code == 403
    assert not Workshop.objects.get(pk=ws.pk).results_shared
    response = _client(facilitator).post(url, {"shared": "yes"})
    assert response.status_code == 302 and response.url == _summary_url(ws)
    assert Workshop.objects.get(pk=ws.pk).results_shared
    page = _client(facilitator).get(_summary_url(ws)).content.decode()
    assert "Stop sharing the results" in page
    _client(facilitator).post(url, {"shared": "no"})
    assert not Workshop.objects.get(pk=ws.pk).results_shared
    assert _client(facilitator).get(url).status_code == 405


def test_anonymous_workshops_never_show_an_author(facilitator, officer, outsider):
    ready = board_in_actions(facilitator, officer, outsider, anonymous_items=True)
    ws = ready.workshop
    do(ws, facilitator, "phase.set", phase="closed")
    for viewer in (facilitator, outsider, officer):
        client = _client(viewer)
        for suffix in ("summary/", "summary/?print=1", "summary.csv", "summary.md"):
            body = client.get(_summary_url(ws, suffix)).content.decode()
            assert "Legacy contracts ending" in body
            assert "Added by" not in body and "added by" not in body
            for person in (officer, facilitator):
                assert person.display_name not in body.replace(viewer.display_name, "")
    rows = list(
        csv.DictReader(
            io.StringIO(_client(facilitator).get(_summary_url(ws, "summary.csv")).content.decode())
        )
    )
    assert all(row["author"] == "" for row in rows)
    assert all(officer.display_name not in m.body for m in mail.outbox)


def test_unrevealed_items_never_appear(facilitator, officer, outsider):
    ws = workshops.create_workshop(by=facilitator, title="Private", private_brainstorm=True)
    workshops.invite_users(workshop=ws, by=place(ws, facilitator), users=[officer, outsider])
    do(ws, facilitator, "phase.set", phase="brainstorm")
    do(ws, officer, "item.add", quadrant="weaknesses", text="Our secret weakness")
    for suffix in ("summary/", "summary.csv", "summary.md", "summary/?print=1"):
        body = _client(outsider).get(_summary_url(ws, suffix)).content.decode()
        assert "Our secret weakness" not in body
    assert "Our secret weakness" in _client(officer).get(_summary_url(ws)).content.decode()


def test_csv_and_markdown_exports(ready, officer, other_council):
    ws = ready.workshop
    Item.objects.filter(pk=ready.items["t1"]).update(text='=HYPERLINK("http://x")')
    response = _client(officer).get(_summary_url(ws, "summary.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="workshop-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_section = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert len(by_section["item"]) == 6
    assert {r["text"] for r in by_section["group"]} == {"Contracts"}
    (action,) = by_section["action"]
    assert action["owner"] == other_council.name and action["due_date"] == DUE.isoformat()
    assert action["from_items"] == "Legacy contracts ending"
    (strategy,) = by_section["strategy"]
    assert strategy["quadrant_or_kind"] == "WO"
    assert "'=HYPERLINK" in response.content.decode()  # a formula is shown, never run
    md = _client(officer).get(_summary_url(ws, "summary.md"))
    assert md["Content-Type"] == "text/markdown; charset=utf-8"
    text = md.content.decode()
    assert text.startswith("# Waste collaboration")
    assert "## Actions" in text and "- **Map contract end dates**" in text
    assert "- **WO**: Buy together" in text and "&amp;" not in text


def test_print_view_is_the_summary_without_the_sites_navigation(ready, officer):
    html = _client(officer).get(_summary_url(ready.workshop, "summary/?print=1")).content.decode()
    assert "Legacy contracts ending" in html and "swot-print.css" in html
    assert "govuk-service-navigation" not in html and "govuk-footer" not in html
    page = _client(officer).get(_summary_url(ready.workshop)).content.decode()
    assert 'swot-print.css" media="print"' in page


def test_summary_queries_do_not_grow(ready, officer, facilitator, django_assert_max_num_queries):
    ws = ready.workshop
    counts = []
    for n in (2, 12):
        while Item.objects.filter(workshop=ws).count() < 6 + n:
            Item.objects.create(
                workshop=ws, quadrant="threats", text="More", author=place(ws, facilitator)
            )
            Group.objects.create(workshop=ws, quadrant="threats", name="G")
        client = _client(officer)
        # Session, user, membership; the viewer's place and the workshop; items,
        # groups, actions (+ items), strategies (+ items), people.
        with django_assert_max_num_queries(16) as captured:
            assert client.get(_summary_url(ws)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# The closing e-mail -----------------------------------------------------------------------------


def test_closing_sends_the_summary_to_everyone_who_took_part(
    ready, facilitator, officer, outsider, django_capture_on_commit_callbacks
):
    ws = ready.workshop
    host = place(ws, facilitator)
    left = factories.member_of(factories.OrganisationFactory(), "member", email="left@x.gov.uk")
    workshops.invite_users(workshop=ws, by=host, users=[left])
    workshops.remove_participant(workshop=ws, by=host, participant=place(ws, left))
    with django_capture_on_commit_callbacks(execute=True):
        # Invited by e-mail, no account yet (the invitation link is the pages' route).
        Participant.objects.create(workshop=ws, email="new.person@otherton.gov.uk")
        code = workshops.set_guest_link(workshop=ws, by=host, enabled=True)
        workshops.join_as_guest(workshop_id=ws.pk, code=code, name="Gina")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        do(ws, facilitator, "phase.set", phase="closed")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [facilitator.email, officer.email, outsider.email, "new.person@otherton.gov.uk"]
    )
    message = next(m for m in mail.outbox if m.to == [officer.email])
    assert message.subject == "Summary of the workshop “Waste collaboration”"
    for text in (
        "Legacy contracts ending (2 votes)",
        "Map contract end dates",
        f"31 March {DUE.year}",
        "WO: Buy together",
        f"/workshops/{ws.pk}/summary/",
    ):
        assert text in message.body, text
    assert "&amp;" not in message.body and "&#x27;" not in message.body


def test_closing_email_waits_for_the_close_to_be_saved(ready, facilitator):
    # No commit, no e-mail (the test's transaction is never committed).
    do(ready.workshop, facilitator, "phase.set", phase="closed")
    assert mail.outbox == []


def test_a_failed_close_sends_nothing(ready, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        do(ready.workshop, officer, "phase.set", phase="closed")
    assert mail.outbox == []
    assert not Workshop.objects.get(pk=ready.workshop.pk).is_closed


# Suggested groups on the board ------------------------------------------------------------------


def _suggestions_panel(workshop, user, client=None):
    request = RequestFactory().get(f"/workshops/{workshop.pk}/board/")
    request.user = user
    request.session = client.session if client is not None else {}
    return render_to_string(
        "swot/board/_suggestions.html",
        {"workshop": workshop, "participant": place(workshop, user), "csrf_token": "t"},
        request=request,
    )


@pytest.fixture
def grouping(facilitator, officer):
    ws = workshops.create_workshop(by=facilitator, title="Grouping")
    workshops.invite_users(workshop=ws, by=place(ws, facilitator), users=[officer])
    do(ws, facilitator, "phase.set", phase="brainstorm")
    ids = [
        do(ws, officer, "item.add", quadrant="weaknesses", text=text).operation.data["item"]["id"]
        for text in ("Staff shortages", "Not enough staff", "Budget", "Staff turnover")
    ]
    do(ws, facilitator, "phase.set", phase="group")
    ws.refresh_from_db()
    return ws, ids


def test_facilitator_is_offered_groups_and_accepts_one(grouping, facilitator, officer):
    ws, ids = grouping
    html = _suggestions_panel(ws, facilitator)
    assert "Suggested groups" in html and "“Staff”" in html
    assert f'action="/workshops/{ws.pk}/board/op"' in html
    assert 'name="kind" value="group.create"' in html and 'name="name" value="Staff"' in html
    for item_id in (ids[0], ids[1], ids[3]):
        assert f'name="items" value="{item_id}"' in html
    assert f'name="items" value="{ids[2]}"' not in html
    assert "Change before accepting" in html and "Ignore" in html
    assert _suggestions_panel(ws, officer).strip() == ""  # only the facilitator's call
    assert not Group.objects.exists()  # nothing grouped without a person's say
    # Accepting is the ordinary operation, with the form's fields.
    do(ws, facilitator, "group.create", name="Staff", items=[ids[0], ids[1], ids[3]])
    assert Group.objects.get().items.count() == 3
    assert "“Staff”" not in _suggestions_panel(ws, facilitator)


def test_ignoring_a_suggestion_hides_it_for_that_facilitator(grouping, facilitator, officer):
    ws, ids = grouping
    client = _client(facilitator)
    key = f"weaknesses:{ids[0]},{ids[1]},{ids[3]}"
    url = f"/workshops/{ws.pk}/suggestions/ignore"
    assert _client(officer).post(url, {"suggestion": key}).status_code == 403
    assert _client().post(url, {"suggestion": key}).status_code == 404
    response = client.post(url, {"suggestion": key, "next": "https://evil.example/"})
    assert response.status_code == 303 and response.url == ws.get_absolute_url()
    html = _suggestions_panel(ws, facilitator, client)
    assert "“Staff”" not in html and "Show 1 ignored suggestion again" in html
    response = client.post(url, {"restore": "1", "next": f"/workshops/{ws.pk}/board/"})
    assert response.url == f"/workshops/{ws.pk}/board/"
    assert "“Staff”" in _suggestions_panel(ws, facilitator, client)
    assert not Group.objects.exists()


def test_a_changed_suggestion_may_keep_one_item(grouping, facilitator):
    """The "Change before accepting" form with one box left ticked sends one value."""
    ws, ids = grouping
    do(ws, facilitator, "group.create", name="Budget", items=str(ids[2]))
    assert list(Group.objects.get().items.values_list("pk", flat=True)) == [ids[2]]
