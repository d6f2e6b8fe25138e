"""The staff digests pages (``/staff/digests/``): every delivery with its
status, "Send again" through ``digests.resend`` (a sent one is refused),
and a preview of anyone's next digest that writes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Activity, DigestDelivery, NotificationSettings
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/staff/digests/"
PREVIEW = "/staff/digests/preview/"


def delivery(user, *, status=DigestDelivery.Status.SENT, days_ago=0, key=None, **fields):
    end = timezone.now() - timedelta(days=days_ago)
    return DigestDelivery.objects.create(
        user=user,
        frequency="weekly",
        period_key=key or f"w-{user.pk}-{days_ago}-{status}",
        period_start=end - timedelta(days=7),
        period_end=end,
        status=status,
        created_at=end,
        **fields,
    )


def news_for(officer, council, outsider, other_council, *, title="Shared waste rounds"):
    """Something the officer's digest reports: another council's update on an
    initiative the officer's council leads, a day ago."""
    initiative = factories.InitiativeFactory(lead_organisation=council, title=title)
    return Activity.objects.create(
        actor=outsider,
        organisation=other_council,
        verb="update.posted",
        target=initiative,
        summary=f"Otherton posted an update on {title}",
        created_at=timezone.now() - timedelta(days=1),
    )


# --- Who gets in ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, PREVIEW, "/staff/digests/preview/1/email.html"])
def test_officers_and_council_admins_are_refused_and_anonymous_visitors_sign_in(
    client, client_for, officer, council_admin, path
):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client_for(officer).get(path).status_code == 403
    assert client_for(council_admin).get(path).status_code == 403


def test_send_again_is_refused_to_non_staff_and_changes_nothing(client_for, officer, outsider):
    failed = delivery(officer, status=DigestDelivery.Status.FAILED, attempts=6)
    response = client_for(outsider).post(f"/staff/digests/{failed.pk}/send-again/")
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == DigestDelivery.Status.FAILED and failed.attempts == 6
    assert mail.outbox == []


def test_staff_without_two_factor_are_sent_to_enrol(client_for):
    staff = factories.UserFactory(email="new.staff@platform.example", is_staff=True)
    response = client_for(staff).get(LIST)
    assert response.status_code == 302 and "/accounts/2fa/" in response.url


def test_the_staff_dashboard_links_to_digests(client_for, staff):
    html = client_for(staff).get("/").content.decode()
    assert f'href="{LIST}"' in html


# --- The list ------------------------------------------------------------------------


def test_deliveries_newest_first_with_status_attempts_error_and_sent_time(
    client_for, staff, officer, outsider
):
    sent = delivery(officer, days_ago=14, sent_at=timezone.now() - timedelta(days=14), attempts=1)
    failed = delivery(
        outsider,
        status=DigestDelivery.Status.FAILED,
        days_ago=1,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    html = client_for(staff).get(LIST).content.decode()

    assert html.index("oscar.outsider@otherton.gov.uk") < html.index(
        "olivia.officer@leedsham.gov.uk"
    )
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Sent</strong>' in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert f'action="/staff/digests/{failed.pk}/send-again/"' in html
    # A sent digest has no button: it is never sent twice.
    assert f'action="/staff/digests/{sent.pk}/send-again/"' not in html


def test_filter_by_status_with_counts(client_for, staff, officer, outsider):
    delivery(officer, status=DigestDelivery.Status.FAILED, key="a")
    delivery(officer, status=DigestDelivery.Status.RETRYING, key="b")
    delivery(outsider, status=DigestDelivery.Status.SENT, key="c")
    delivery(outsider, status=DigestDelivery.Status.EMPTY, key="d")
    delivery(outsider, status=DigestDelivery.Status.SENT, key="e")
    client = client_for(staff)

    html = client.get(LIST).content.decode()
    for label in ("All (5)", "Failed (1)", "Retrying (1)", "Sent (2)", "Empty (1)"):
        assert label in html

    html = client.get(LIST, {"status": "sent"}).content.decode()
    assert 'aria-current="page">Sent (2)' in html
    assert "olivia.officer@leedsham.gov.uk" not in html
    assert html.count("govuk-tag--green") == 2

    # An unknown status is "all", not an error.
    assert "All (5)" in client.get(LIST, {"status": "<nope>"}).content.decode()
    assert "No digests with this status." not in html


def test_fifty_a_page_with_govuk_pagination(client_for, staff, officer):
    DigestDelivery.objects.bulk_create(
        DigestDelivery(
            user=officer,
            frequency="daily",
            period_key=f"d-{i}",
            period_start=timezone.now() - timedelta(days=i + 1),
            period_end=timezone.now() - timedelta(days=i),
            created_at=timezone.now() - timedelta(days=i),
            status=DigestDelivery.Status.SENT,
        )
        for i in range(51)
    )
    client = client_for(staff)
    first = client.get(LIST).content.decode()
    assert first.count('<tr class="govuk-table__row">') == 1 + 50
    assert 'class="govuk-pagination"' in first and 'href="?page=2"' in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert second.count('<tr class="govuk-table__row">') == 1 + 1


@pytest.mark.parametrize("n", [2, 40])
def test_the_list_costs_the_same_queries_however_many_rows(
    client_for, staff, django_assert_max_num_queries, n
):
    people = [factories.UserFactory() for _ in range(n)]
    for i, person in enumerate(people):
        delivery(person, status=DigestDelivery.Status.FAILED if i % 2 else "sent", key=f"k{i}")
    client = client_for(staff)
    client.get(LIST)  # the first page view of the session records the visit
    # Queries: session, user, the MFA rule (staff's membership, their
    # authenticator), the counts per status (one aggregate), the page of
    # deliveries with their people joined (one); the paginator reuses the count.
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    assert response.status_code == 200


# --- Send again ----------------------------------------------------------------------


def test_send_again_sends_a_failed_digest_and_records_who_did(
    client_for, staff, officer, council, outsider, other_council, django_capture_on_commit_callbacks
):
    news_for(officer, council, outsider, other_council)
    failed = delivery(
        officer, status=DigestDelivery.Status.FAILED, attempts=6, last_error="SMTPException: 421"
    )
    client = client_for(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/digests/{failed.pk}/send-again/", {"status": "failed"}, follow=True
        )

    assert response.redirect_chain[-1][0] == f"{LIST}?status=failed"
    failed.refresh_from_db()
    assert failed.status == DigestDelivery.Status.SENT and failed.attempts == 1
    assert failed.last_error == ""
    assert [message.to for message in mail.outbox] == [["olivia.officer@leedsham.gov.uk"]]
    assert "posted an update on Shared waste rounds" in mail.outbox[0].body
    assert "was sent again" in response.content.decode()
    assert Activity.objects.filter(verb="digest.resent", actor=staff).count() == 1


def test_a_sent_digest_cannot_be_sent_again(client_for, staff, officer):
    sent = delivery(officer, attempts=1, sent_at=timezone.now())
    response = client_for(staff).post(f"/staff/digests/{sent.pk}/send-again/", follow=True)

    assert "This digest has already been sent or is being sent." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == DigestDelivery.Status.SENT and sent.attempts == 1
    assert mail.outbox == []
    assert not Activity.objects.filter(verb="digest.resent").exists()


def test_send_again_of_a_missing_delivery_is_404_and_get_is_405(client_for, staff, officer):
    client = client_for(staff)
    assert client.post("/staff/digests/999999/send-again/").status_code == 404
    failed = delivery(officer, status=DigestDelivery.Status.FAILED)
    assert client.get(f"/staff/digests/{failed.pk}/send-again/").status_code == 405


# --- Preview -------------------------------------------------------------------------


def test_preview_shows_subject_period_text_and_a_sandboxed_frame_and_writes_nothing(
    client_for, staff, officer, council, outsider, other_council
):
    news_for(officer, council, outsider, other_council, title="Bins <script>alert(1)</script>")
    row = NotificationSettings.objects.create(
        user=officer,
        digest_covered_until=timezone.now() - timedelta(days=7),
        next_digest_at=timezone.now() + timedelta(days=1),
    )
    before = NotificationSettings.objects.filter(pk=row.pk).values().get()
    client = client_for(staff)
    client.get(LIST)  # the staff's own visit is recorded now, not during the preview
    deliveries = DigestDelivery.objects.count()
    settings_rows = NotificationSettings.objects.count()

    response = client.get(PREVIEW, {"email": "OLIVIA.officer@leedsham.gov.uk"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "digest: news on 1 initiative this week" in html
    assert "Weekly, from" in html
    assert "Empty: would not be sent" not in html
    # The text version, escaped (render_to_string hands back a "safe" string
    # from a template that escapes nothing); the HTML version only in a
    # sandboxed frame.
    assert "Bins &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert f'src="/staff/digests/preview/{officer.pk}/email.html"' in html and " sandbox>" in html
    assert "/notifications/unsubscribe/" not in html

    assert DigestDelivery.objects.count() == deliveries
    assert NotificationSettings.objects.count() == settings_rows
    assert NotificationSettings.objects.filter(pk=row.pk).values().get() == before
    assert mail.outbox == []


def test_the_html_frame_has_a_strict_policy_and_escapes_what_people_typed(
    client_for, staff, officer, council, outsider, other_council
):
    news_for(officer, council, outsider, other_council, title="Bins <img src=x onerror=alert(1)>")
    response = client_for(staff).get(f"/staff/digests/preview/{officer.pk}/email.html")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "frame-ancestors 'self'" in policy and "script-src" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    html = response.content.decode()
    assert "Bins &lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert DigestDelivery.objects.count() == 0


def test_preview_of_an_empty_digest_says_it_would_not_be_sent(client_for, staff, outsider):
    assert not NotificationSettings.objects.filter(user=outsider).exists()
    html = client_for(staff).get(PREVIEW, {"email": outsider.email}).content.decode()
    assert "Empty: would not be sent" in html
    assert "<iframe" not in html
    # A person without settings still has none: the preview only reads.
    assert not NotificationSettings.objects.filter(user=outsider).exists()


def test_preview_of_an_unknown_address_is_a_form_error(client_for, staff):
    response = client_for(staff).get(PREVIEW, {"email": "nobody@nowhere.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "No one has the e-mail address nobody@nowhere.example" in html

    html = client_for(staff).get(PREVIEW).content.decode()
    assert "There is a problem" not in html and "E-mail address" in html


def test_preview_of_a_missing_person_frame_is_404(client_for, staff):
    assert client_for(staff).get("/staff/digests/preview/999999/email.html").status_code == 404
