"""Digests in-process: who gets one, what it says, exactly once, and when.

Every digest here is built from activity written by the real services and
sent through Django's mail backend by the real Celery task (eager, in this
process). tests/notifications/test_digest_worker.py does the same against a
real Redis broker, worker processes and an SMTP server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councils.models import Membership
from initiatives.models import Initiative, Partnership
from initiatives.services import discussion, follows
from notifications import schedule
from notifications.models import DigestDelivery, DigestFrequency, NotificationSettings
from notifications.selectors.digest import build_digest
from notifications.services import digests
from notifications.services.preferences import record_visit, settings_for
from swot.services import workshops
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_world(council, other_council, officer, outsider):
    """An initiative Otherton leads and Leedsham (the officer's council) is an
    active partner in."""
    initiative = factories.make_initiative(other_council, title="Shared revenues system")
    factories.PartnershipFactory(initiative=initiative, organisation=council, status="active")
    return initiative


def _due_soon(user, *, covered_days: int = 7) -> datetime:
    """Make ``user``'s next digest fall due a minute from now, covering the
    last week; returns a moment just after the slot, to dispatch at."""
    now = timezone.now()
    row = settings_for(user)
    row.digest_covered_until = now - timedelta(days=covered_days)
    row.next_digest_at = now + timedelta(minutes=1)
    row.save()
    return now + timedelta(minutes=2)


def _dispatch(at, capture, **kwargs):
    with capture(execute=True):
        return digests.dispatch_due(now=at, **kwargs)


def test_a_partner_update_reaches_the_officer_once(
    partner_world, officer, outsider, django_capture_on_commit_callbacks
):
    discussion.post_update(
        initiative=partner_world, by=outsider, title="Supplier shortlist agreed", body="Two left."
    )
    at = _due_soon(officer)

    result = _dispatch(at, django_capture_on_commit_callbacks)

    assert result.claimed == 1
    [message] = [m for m in mail.outbox if m.to == [officer.email]]
    assert "Shared revenues system" in message.body
    assert "posted an update: Supplier shortlist agreed" in message.body
    assert "https://" in message.body or "http://" in message.body
    assert partner_world.get_absolute_url() in message.body
    # HTML alternative with real links and headings, and one-click unsubscribe.
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<h1" in html and "<h2" in html and partner_world.get_absolute_url() in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["X-Digest-Period"].startswith("weekly:")
    delivery = DigestDelivery.objects.get(user=officer)
    assert delivery.status == DigestDelivery.Status.SENT
    assert delivery.item_count == 1

    # Dispatching again, or running the task again, sends nothing more.
    sent = len(mail.outbox)
    again = _dispatch(at, django_capture_on_commit_callbacks)
    assert again.claimed == 0
    assert digests.send_delivery(delivery.pk).kind == "done"
    assert len(mail.outbox) == sent
    assert DigestDelivery.objects.filter(user=officer).count() == 1


def test_the_next_period_starts_where_the_last_one_ended(
    partner_world, officer, outsider, django_capture_on_commit_callbacks
):
    discussion.post_update(initiative=partner_world, by=outsider, title="First", body="x")
    at = _due_soon(officer)
    _dispatch(at, django_capture_on_commit_callbacks)
    row = NotificationSettings.objects.get(user=officer)
    first = DigestDelivery.objects.get(user=officer)
    assert row.digest_covered_until == first.period_end
    assert row.next_digest_at > at
    # The next period begins at the end of the first: nothing is told twice.
    digest = build_digest(
        officer,
        start=row.digest_covered_until,
        end=row.next_digest_at,
        frequency=row.digest_frequency,
        settings_row=row,
    )
    assert digest.is_empty


def test_nothing_to_say_sends_nothing(officer, django_capture_on_commit_callbacks):
    at = _due_soon(officer)
    result = _dispatch(at, django_capture_on_commit_callbacks)
    assert result.claimed == 1
    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=officer).status == DigestDelivery.Status.EMPTY


def test_own_actions_are_not_news(
    partner_world, council, officer, django_capture_on_commit_callbacks
):
    Partnership.objects.filter(initiative=partner_world, organisation=council).update(
        status="committed"
    )
    discussion.post_update(initiative=partner_world, by=officer, title="Mine", body="x")
    _dispatch(_due_soon(officer), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_what_was_seen_on_a_visit_is_not_repeated(
    partner_world, officer, outsider, django_capture_on_commit_callbacks
):
    discussion.post_update(initiative=partner_world, by=outsider, title="Seen", body="x")
    at = _due_soon(officer)
    record_visit(officer, now=timezone.now() + timedelta(seconds=5))
    _dispatch(at, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_initiative_made_private_later_leaves_the_digest(
    other_council, officer, outsider, django_capture_on_commit_callbacks
):
    # The officer follows a public initiative of another council, which then
    # becomes partners-only (the officer's council is not a partner) and
    # another which becomes a draft: neither may reach them.
    watched = factories.make_initiative(other_council, title="Watched then hidden")
    drafted = factories.make_initiative(other_council, title="Drafted again", slug="drafted")
    for initiative in (watched, drafted):
        follows.follow_initiative(initiative=initiative, user=officer)
        discussion.post_update(initiative=initiative, by=outsider, title="Canary", body="x")
    Initiative.objects.filter(pk=watched.pk).update(visibility=Initiative.Visibility.PARTNERS)
    Initiative.objects.filter(pk=drafted.pk).update(visibility=Initiative.Visibility.DRAFT)

    _dispatch(_due_soon(officer), django_capture_on_commit_callbacks)

    assert not [m for m in mail.outbox if m.to == [officer.email]]
    digest = build_digest(
        officer,
        start=timezone.now() - timedelta(days=1),
        end=timezone.now() + timedelta(days=1),
        frequency="weekly",
    )
    assert digest.is_empty


def test_followed_and_matching_initiatives_and_workshops(
    council, other_council, officer, outsider, django_capture_on_commit_callbacks
):
    waste = factories.service_area("waste")
    factories.NeedFactory(organisation=council, service_area=waste)
    fitting = factories.make_initiative(
        other_council, title="Joint waste procurement", slug="waste", looking_for_partners=True
    )
    fitting.service_areas.set([waste])
    unrelated = factories.make_initiative(
        other_council, title="Parks booking", slug="parks", looking_for_partners=True
    )
    followed = factories.make_initiative(other_council, title="Followed one", slug="followed")
    follows.follow_initiative(initiative=followed, user=officer)
    discussion.post_comment(initiative=followed, by=outsider, body="A comment from Otherton")
    discussion.post_update(initiative=followed, by=outsider, title="Progress", body="x")
    host = factories.member_of(
        other_council, Membership.Role.FACILITATOR, email="f@otherton.gov.uk"
    )
    invited = workshops.create_workshop(by=host, title="Readiness workshop")
    private = workshops.create_workshop(by=host, title="Private workshop nobody asked me to")
    facilitator = invited.participants.get(user=host)
    workshops.invite_users(workshop=invited, by=facilitator, users=[officer])
    mail.outbox.clear()

    _dispatch(_due_soon(officer), django_capture_on_commit_callbacks)

    [message] = [m for m in mail.outbox if m.to == [officer.email]]
    body = message.body
    assert "Followed one" in body and "commented" in body
    assert "NEW INITIATIVES FOR YOU" in body and "Joint waste procurement" in body
    assert "Why: It covers waste, where you have a need;" in body
    assert unrelated.title not in body
    assert "WORKSHOPS YOU ARE INVITED TO" in body and "Readiness workshop" in body
    assert private.title not in body
    assert "YOUR PARTNER AUTHORITIES" in body and "Otherton" in body


def test_topics_switched_off_are_left_out(
    partner_world, officer, outsider, django_capture_on_commit_callbacks
):
    discussion.post_update(initiative=partner_world, by=outsider, title="Hidden", body="x")
    at = _due_soon(officer)
    NotificationSettings.objects.filter(user=officer).update(topic_my_council=False)
    _dispatch(at, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_council_admins_hear_about_approvals_waiting(
    council, council_admin, django_capture_on_commit_callbacks
):
    newcomer = factories.UserFactory(email="new.person@leedsham.gov.uk")
    factories.MembershipFactory(
        user=newcomer, organisation=council, status=Membership.Status.PENDING
    )
    _dispatch(_due_soon(council_admin), django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if m.to == [council_admin.email]]
    assert "WAITING FOR YOU" in message.body
    assert "1 person is asking to join Leedsham" in message.body


def test_a_rolled_back_dispatch_claims_and_enqueues_nothing(
    partner_world, officer, outsider, django_capture_on_commit_callbacks
):
    discussion.post_update(initiative=partner_world, by=outsider, title="News", body="x")
    at = _due_soon(officer)

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        digests.dispatch_due(now=at)
        raise Abort
    assert callbacks == []
    assert not DigestDelivery.objects.exists()
    assert mail.outbox == []
    # The schedule did not move either: the next dispatch still finds them.
    assert _dispatch(at, django_capture_on_commit_callbacks).claimed == 1


def test_a_mail_server_that_is_down_leaves_a_failed_delivery_staff_can_resend(
    partner_world, officer, outsider, staff, settings, django_capture_on_commit_callbacks
):
    discussion.post_update(initiative=partner_world, by=outsider, title="News", body="x")
    at = _due_soon(officer)
    # A real SMTP connection to a port nobody listens on: refused at once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    _dispatch(at, django_capture_on_commit_callbacks)

    delivery = DigestDelivery.objects.get(user=officer)
    assert delivery.status == DigestDelivery.Status.FAILED
    assert delivery.attempts == digests.MAX_ATTEMPTS
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        digests.resend(delivery=delivery, by=staff)
    delivery.refresh_from_db()
    assert delivery.status == DigestDelivery.Status.SENT
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 1
    # A sent digest is not sent again.
    with pytest.raises(Exception, match="already been sent"):
        digests.resend(delivery=delivery, by=staff)


def test_a_worker_that_died_mid_send_is_replaced_and_a_live_one_is_not(
    partner_world, officer, outsider, django_capture_on_commit_callbacks
):
    """The window named in services/digests.py fails towards re-sending: a
    delivery left "sending" by a dead worker (its lease expired) is sent
    again; one whose lease is still held is left to its worker."""
    discussion.post_update(initiative=partner_world, by=outsider, title="News", body="x")
    at = _due_soon(officer)
    _dispatch(at, django_capture_on_commit_callbacks, enqueue=False)
    delivery = DigestDelivery.objects.get(user=officer)
    now = timezone.now()

    DigestDelivery.objects.filter(pk=delivery.pk).update(
        status=DigestDelivery.Status.SENDING, sending_started_at=now
    )
    assert digests.send_delivery(delivery.pk, now=now + timedelta(seconds=1)).kind == "busy"
    assert mail.outbox == []

    # The worker died: its lease runs out and the next dispatch sends it.
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        sending_started_at=timezone.now() - digests.lease() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = digests.dispatch_due()
    assert result.requeued == 1
    delivery.refresh_from_db()
    assert delivery.status == DigestDelivery.Status.SENT
    assert len(mail.outbox) == 1


def test_people_without_settings_get_the_weekly_default(
    officer, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.all().delete()
    result = _dispatch(timezone.now(), django_capture_on_commit_callbacks)
    assert result.settings_created >= 1
    row = NotificationSettings.objects.get(user=officer)
    assert row.digest_frequency == DigestFrequency.WEEKLY
    slot = row.next_digest_at.astimezone(schedule.UK)
    assert (slot.weekday(), slot.hour, slot.minute) == (0, 8, 0)


def test_an_unsubscribed_person_is_not_dispatched(
    partner_world, officer, outsider, client, django_capture_on_commit_callbacks
):
    discussion.post_update(initiative=partner_world, by=outsider, title="News", body="x")
    at = _due_soon(officer)
    _dispatch(at, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(
        "/" + path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    row = NotificationSettings.objects.get(user=officer)
    assert row.digest_frequency == DigestFrequency.OFF
    assert row.next_digest_at is None
    discussion.post_update(initiative=partner_world, by=outsider, title="More", body="x")
    assert _dispatch(at + timedelta(days=8), django_capture_on_commit_callbacks).claimed == 0


# Time zones ---------------------------------------------------------------------------------


def _run_dispatcher(start: datetime, days: int) -> list[datetime]:
    """Run the dispatcher every 15 minutes for ``days`` days from ``start``
    (claiming only) and return the period ends it claimed."""
    tick = start
    while tick < start + timedelta(days=days):
        digests.dispatch_due(now=tick, enqueue=False)
        tick += timedelta(minutes=15)
    return list(DigestDelivery.objects.order_by("period_end").values_list("period_end", flat=True))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Clocks go forward on Sunday 28 March 2027: 08:00 GMT, then 08:00 BST.
        (
            datetime(2027, 3, 21, 12, tzinfo=UTC),
            [datetime(2027, 3, 22, 8, tzinfo=UTC), datetime(2027, 3, 29, 7, tzinfo=UTC)],
        ),
        # Clocks go back on Sunday 31 October 2027: 08:00 BST, then 08:00 GMT.
        (
            datetime(2027, 10, 24, 12, tzinfo=UTC),
            [datetime(2027, 10, 25, 7, tzinfo=UTC), datetime(2027, 11, 1, 8, tzinfo=UTC)],
        ),
    ],
)
def test_a_monday_digest_goes_out_once_at_eight_uk_time_across_clock_changes(
    officer, start, expected
):
    row = settings_for(officer)
    row.digest_covered_until = start
    row.next_digest_at = schedule.next_slot(frequency="weekly", weekday=0, hour=8, after=start)
    row.save()
    claimed = _run_dispatcher(start, days=9)
    assert claimed == expected
    assert [e.astimezone(schedule.UK).hour for e in claimed] == [8, 8]


def test_an_hour_the_clocks_skip_is_sent_at_the_first_real_instant():
    # 01:30 does not exist on 28 March 2027 in the UK; 01:00 becomes 02:00 BST.
    slot = schedule.local_slot(datetime(2027, 3, 28).date(), 1)
    assert slot == datetime(2027, 3, 28, 1, tzinfo=UTC)
    assert slot.astimezone(schedule.UK).hour == 2
    # 01:00 happens twice on 31 October 2027: the first one (BST).
    twice = schedule.local_slot(datetime(2027, 10, 31).date(), 1)
    assert twice == datetime(2027, 10, 31, 0, tzinfo=UTC)


def test_a_daily_digest_is_due_every_day():
    after = datetime(2026, 12, 4, 9, tzinfo=UTC)
    slot = schedule.next_slot(frequency="daily", weekday=0, hour=8, after=after)
    assert slot == datetime(2026, 12, 5, 8, tzinfo=UTC)
    assert schedule.next_slot(frequency="off", weekday=0, hour=8, after=after) is None


# Queries ------------------------------------------------------------------------------------


def _people(n: int, council) -> None:
    users = [factories.UserFactory(email=f"person{n}-{i}@leedsham.gov.uk") for i in range(n)]
    due = timezone.now() - timedelta(minutes=1)
    NotificationSettings.objects.bulk_create(
        [
            NotificationSettings(
                user=user, next_digest_at=due, digest_covered_until=due - timedelta(days=7)
            )
            for user in users
        ]
    )


def test_the_dispatcher_costs_the_same_per_batch_whatever_the_number_of_people(council):
    def queries_for(n: int) -> int:
        get_user_model().objects.filter(email__startswith="person").delete()
        NotificationSettings.objects.all().delete()
        _people(n, council)
        with CaptureQueriesContext(connection) as captured:
            result = digests.dispatch_due(batch_size=10, enqueue=False)
        assert result.claimed == n
        return len(captured)

    small = queries_for(20)  # two batches
    large = queries_for(40)  # four batches
    # Per batch: select (locked), insert, update, read back ids, and the
    # batch's savepoint pair. Fixed: people without settings, the empty
    # last batch (3), the stale-delivery requeue (3), the other fixtures' settings.
    per_batch = (large - small) / 2
    assert per_batch == 6
    assert small - 2 * per_batch <= 10


# send_digests -------------------------------------------------------------------------------


def test_send_digests_dry_run_and_preview_change_nothing_and_refuse_unknown_people(
    partner_world, officer, outsider
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    discussion.post_update(initiative=partner_world, by=outsider, title="Dry news", body="x")
    row = settings_for(officer)
    # Due now, and never sent a digest: the dry run covers one period back,
    # exactly as the dispatcher would.
    row.digest_covered_until = None
    row.next_digest_at = timezone.now()
    row.save()
    before = NotificationSettings.objects.get(user=officer).next_digest_at

    def run(*args) -> str:
        out = StringIO()
        call_command("send_digests", *args, stdout=out)
        return out.getvalue()

    assert f"{officer.email}: 1 item(s)" in run("--dry-run")
    assert "Dry news" in run("--user", officer.email.upper())
    assert not DigestDelivery.objects.exists()
    assert mail.outbox == []
    assert NotificationSettings.objects.get(user=officer).next_digest_at == before
    with pytest.raises(CommandError, match="No user with the e-mail address"):
        run("--user", "nobody@example.org")
