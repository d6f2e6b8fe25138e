"""The "Email notifications" page and /api/v1/me/notifications/: a person
changes only their own settings, bad input changes nothing, and the page
says when the next digest is due. Also the last-visit middleware."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from notifications.middleware import SESSION_KEY
from notifications.models import NotificationSettings
from notifications.services.preferences import settings_for
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/notifications/settings/"
API = "/api/v1/me/notifications/"

GOOD = {
    "digest_frequency": "daily",
    "digest_weekday": "2",
    "digest_hour": "17",
    "topics": ["topic_following", "topic_workshops"],
    "immediate": ["immediate_membership_decisions"],
}


def _fields(row):
    return {
        f.name: getattr(row, f.name)
        for f in NotificationSettings._meta.concrete_fields
        if f.name not in ("updated_at", "last_seen_at")
    }


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_shows_the_defaults_and_when_the_next_digest_is_due(client_for, officer):
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Email notifications</h1>' in html
    assert 'type="radio" value="weekly" checked' in html
    assert '<option value="8" selected>08:00</option>' in html
    assert '<option value="0" selected>Monday</option>' in html
    assert "Your next digest is due on" in html
    # Officers are not shown the admins-only switches.
    assert "Approvals waiting for me" not in html
    assert "needing my sign-off" not in html
    assert "Invitations to a workshop" in html


def test_council_admins_see_the_admin_switches(client_for, council_admin):
    html = client_for(council_admin).get(URL).content.decode()
    assert "Approvals waiting for me" in html
    assert "A partnership needing my sign-off" in html


def test_account_page_and_header_link_to_the_settings(client_for, officer):
    html = client_for(officer).get("/accounts/profile/").content.decode()
    assert html.count(f'href="{URL}"') == 2  # the header, and the summary list


def test_saving_changes_the_settings_and_shows_the_next_digest_in_uk_time(client_for, officer):
    client = client_for(officer)
    response = client.post(URL, GOOD, follow=True)
    assert response.status_code == 200
    row = NotificationSettings.objects.get(user=officer)
    assert (row.digest_frequency, row.digest_weekday, row.digest_hour) == ("daily", 2, 17)
    assert (row.topic_following, row.topic_workshops) == (True, True)
    assert (row.topic_my_council, row.topic_new_matching) == (False, False)
    assert row.immediate_membership_decisions is True
    assert row.immediate_workshop_invitations is False
    assert row.immediate_partnership_decisions is False
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Your email notification settings have been saved." in html
    # 17:00 on a British clock, whatever the season.
    uk = row.next_digest_at.astimezone(ZoneInfo("Europe/London"))
    assert uk.hour == 17
    assert row.next_digest_at > timezone.now()
    assert "at 5pm</time> (UK time)" in html


def test_an_officers_save_leaves_the_admin_only_switches_alone(client_for, officer):
    settings_for(officer)
    NotificationSettings.objects.filter(user=officer).update(
        topic_approvals=True, immediate_signoff_requests=True
    )
    client_for(officer).post(URL, {**GOOD, "topics": [], "immediate": []})
    row = NotificationSettings.objects.get(user=officer)
    assert row.topic_approvals is True and row.immediate_signoff_requests is True
    assert row.topic_workshops is False


def test_turning_the_digest_off_says_so(client_for, officer):
    response = client_for(officer).post(URL, {**GOOD, "digest_frequency": "off"}, follow=True)
    assert NotificationSettings.objects.get(user=officer).next_digest_at is None
    assert "You will not get a digest." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("digest_hour", "25", "Select"),
        ("digest_weekday", "9", "Select"),
        ("digest_frequency", "hourly", "Select"),
        ("topics", ["topic_everything"], "Select"),
    ],
)
def test_bad_input_shows_the_error_summary_and_changes_nothing(
    client_for, officer, field, value, message
):
    before = _fields(settings_for(officer))
    response = client_for(officer).post(URL, {**GOOD, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}' in html
    assert message in html
    assert html.startswith("<!DOCTYPE html>") or "<title>Error:" in html
    assert _fields(NotificationSettings.objects.get(user=officer)) == before


def test_an_officer_cannot_choose_an_admin_only_switch(client_for, officer):
    before = _fields(settings_for(officer))
    response = client_for(officer).post(URL, {**GOOD, "topics": ["topic_approvals"]})
    assert response.status_code == 400
    assert _fields(NotificationSettings.objects.get(user=officer)) == before


def test_settings_page_queries(client_for, officer, django_assert_max_num_queries):
    client = client_for(officer)
    client.get(URL)
    # session, user, the settings row, the membership (admin check and the
    # header's organisation), message storage reads nothing from the DB.
    with django_assert_max_num_queries(5):
        client.get(URL)


# Last visit ---------------------------------------------------------------------------


def test_signing_in_and_pages_record_the_visit_without_a_write_on_every_page(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    row = NotificationSettings.objects.get(user=officer)
    assert row.last_seen_at is not None  # signing in is a visit
    first = row.last_seen_at
    client.get(URL)
    # Within five minutes, a page view writes nothing (the session says when).
    with CaptureQueriesContext(connection) as captured:
        client.get("/accounts/profile/")
    # No write at all, and no read of last_seen_at either: the session decides.
    assert not [q for q in captured.captured_queries if "last_seen_at" in q["sql"]]
    assert not [q for q in captured.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert NotificationSettings.objects.get(user=officer).last_seen_at == first


def test_a_page_view_after_five_minutes_records_the_visit_once(client, officer):
    client.force_login(officer)
    session = client.session
    session[SESSION_KEY] = session[SESSION_KEY] - 6 * 60
    session.save()
    NotificationSettings.objects.filter(user=officer).update(
        last_seen_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    before = NotificationSettings.objects.get(user=officer).last_seen_at
    client.get(URL)
    after = NotificationSettings.objects.get(user=officer).last_seen_at
    assert after > before
    assert client.session[SESSION_KEY] > session[SESSION_KEY]


def test_api_calls_errors_and_anonymous_visits_are_not_visits(client, api_for, officer):
    api_for(officer).get("/api/v1/me/")
    api_for(officer).get(API)
    seen = NotificationSettings.objects.filter(last_seen_at__isnull=False)
    assert not seen.exists()
    client.get("/")
    client.force_login(factories.UserFactory(email="nobody@example.org"))
    NotificationSettings.objects.update(last_seen_at=None)
    session = client.session
    del session[SESSION_KEY]  # so only the kind of response stops the write
    session.save()
    client.get("/no-such-page/")
    client.post(URL, {})
    assert not seen.exists()


# API -------------------------------------------------------------------------------------


def test_api_get_and_patch_my_settings(api_for, officer):
    api = api_for(officer)
    body = api.get(API).json()
    assert body["digest_frequency"] == "weekly"
    assert body["digest_hour"] == 8
    assert body["next_digest_at"]
    response = api.patch(
        API, {"digest_hour": 6, "immediate_workshop_invitations": False}, format="json"
    )
    assert response.status_code == 200, response.content
    row = NotificationSettings.objects.get(user=officer)
    assert (row.digest_hour, row.immediate_workshop_invitations) == (6, False)
    assert response.json()["next_digest_at"] != body["next_digest_at"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"digest_hour": 25}, "digest_hour"),
        ({"digest_hour": -1}, "digest_hour"),
        ({"digest_weekday": 9}, "digest_weekday"),
        ({"digest_frequency": "hourly"}, "digest_frequency"),
        ({"topic_following": "perhaps"}, "topic_following"),
    ],
)
def test_api_bad_input_is_a_400_with_field_errors_and_changes_nothing(
    api_for, officer, payload, field
):
    before = _fields(settings_for(officer))
    response = api_for(officer).patch(API, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert _fields(NotificationSettings.objects.get(user=officer)) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"last_seen_at": "2020-01-01T00:00:00Z"},
        {"next_digest_at": "2020-01-01T00:00:00Z"},
        {"user": 1},
    ],
)
def test_api_ignores_fields_it_does_not_offer(api_for, officer, outsider, payload):
    """As every DRF route here does (and the schema says): read-only and
    unknown fields are not settings, so they change nothing."""
    before = _fields(settings_for(officer)), _fields(settings_for(outsider))
    response = api_for(officer).patch(API, payload, format="json")
    assert response.status_code == 200
    after = _fields(NotificationSettings.objects.get(user=officer))
    assert (after, _fields(NotificationSettings.objects.get(user=outsider))) == before


def test_api_needs_a_signed_in_caller_and_offers_no_put(api_for, officer):
    assert api_for(None).get(API).status_code in (401, 403)
    assert api_for(None).patch(API, {"digest_hour": 3}, format="json").status_code in (401, 403)
    assert api_for(officer).put(API, {"digest_hour": 3}, format="json").status_code == 405


def test_api_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/me/notifications/" in schema
    assert "NotificationSettings" in schema
