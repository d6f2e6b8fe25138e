"""Digests through the real machinery: a Redis broker, ``celery worker``
processes started by the test, PostgreSQL, and an SMTP server (aiosmtpd, in
this process) that records each message it accepts.

``notifications.services.digests`` promises exactly once per (person,
period): the dispatcher's claim, the send lease and acks-late redelivery.
The in-process tests (tests/notifications/test_digests.py) pin each step;
these check that the promise survives what only real processes do: two
workers racing, a worker SIGKILLed mid-batch, a broker redelivering, a mail
server refusing.

Needs PostgreSQL (a worker process cannot open pytest's in-memory SQLite)
and Redis at ``REDIS_URL``: skipped locally with the reason when either is
missing, a failure under ``CI=true``. Parallel runs (``-n auto``) are safe:
each xdist worker has its own test database and Redis database (settings),
and each test its own Celery queue (``CELERY_TASK_DEFAULT_QUEUE``), so no
worker started here can take another test's task.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import DigestDelivery, DigestFrequency, NotificationSettings
from notifications.services import digests
from notifications.services.activity import record_activity
from notifications.tasks import send_digest
from tests import factories
from tests.conftest import IN_CI
from tests.notifications.smtp_sink import SmtpSink


def real_worker(test):
    """PostgreSQL (a worker cannot open pytest's in-memory SQLite) and
    committed data (the worker is another process)."""
    return pytest.mark.postgres(pytest.mark.django_db(transaction=True)(test))


BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
# Short enough for the test to watch a dead worker's digest come back.
VISIBILITY_TIMEOUT = 6
LEASE = 3
RETRY_BASE = 0.2
# Upper bounds, not expected durations: a loaded CI machine boots a worker slowly.
DEADLINE = 60


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true but the digest worker tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def broker_url() -> str:
    """The Redis database this test process owns (REDIS_URL, moved per xdist
    worker by the settings)."""
    import redis

    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        _unavailable("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/<db>")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {url} does not answer: {exc}")
    if not CELERY.exists():
        _unavailable(f"{CELERY} not found: make install")
    return url


@pytest.fixture
def queue(broker_url):
    """A queue of this test's own, emptied afterwards (with kombu's binding
    and any message a killed worker left unacknowledged for it)."""
    import redis

    name = f"digest-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(broker_url)
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)
    # kombu keeps unacknowledged messages of every queue in one hash.
    for tag, raw in client.hgetall("unacked").items():
        if name.encode() in raw:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def live_broker(broker_url, queue):
    """This process's Celery app sends to the real broker and the test's
    queue (not eager), so ``dispatch_due`` enqueues exactly as in production."""
    from collab_platform.celery import app

    keys = ("task_always_eager", "broker_url", "task_default_queue", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}

    def reset_producers() -> None:
        from kombu import pools

        pools.reset()  # kombu's process-wide producer pools, keyed by connection
        app._pool = None
        app.__dict__.pop("amqp", None)  # queues and router are cached there

    app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        task_default_queue=queue,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    )
    reset_producers()
    yield app
    app.conf.update(saved)
    reset_producers()


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """One ``celery worker`` (its main process and pool children) in a
    process group of its own, so it can be killed whole."""

    def __init__(self, name: str, env: dict[str, str], log: Path, concurrency: int) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "collab_platform",
                "worker",
                "--concurrency",
                str(concurrency),
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}@%h",
                # Workers of other tests may share the Redis database: no
                # gossip, mingling or heartbeats between them.
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = DEADLINE) -> Worker:
        deadline = time.monotonic() + timeout
        while " ready." not in self.text():
            if self.process.poll() is not None:
                raise AssertionError(f"worker {self.name} exited:\n{self.text()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker {self.name} not ready:\n{self.text()[-3000:]}")
            time.sleep(0.1)
        return self

    def outcomes(self) -> list[str]:
        """What each send_digest run returned, from the worker's log."""
        return [
            line.rsplit(": ", 1)[1].strip().strip("'")
            for line in self.text().splitlines()
            if "notifications.tasks.send_digest[" in line and " succeeded in " in line
        ]

    def kill(self) -> None:
        """SIGKILL the whole group: no warm shutdown, no message given back."""
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self._log_file.close()


@pytest.fixture
def start_worker(broker_url, queue, live_broker, sink, tmp_path):
    """``start_worker("a")``: a real worker on the test database, the test's
    queue and the sink; stopped (or already killed) at the end."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The worker must not move REDIS_URL again as if it were an xdist worker.
        if key not in {"PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="collab_platform.settings",
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        DIGEST_SEND_LEASE_SECONDS=str(LEASE),
        DIGEST_RETRY_BASE_SECONDS=str(RETRY_BASE),
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        DEBUG="false",
        SITE_URL="http://testserver",
        PYTHONUNBUFFERED="1",
    )
    started: list[Worker] = []

    def start(name: str, *, concurrency: int = 2) -> Worker:
        """Starts it and returns at once (a worker takes seconds to boot:
        tests arrange their data meanwhile, then ``wait_ready()``)."""
        worker = Worker(name, env, tmp_path / f"worker-{name}.log", concurrency)
        started.append(worker)
        return worker

    yield start
    # Killed, not shut down warmly: quicker, and the ``queue`` fixture then
    # removes whatever they left in Redis.
    for worker in started:
        worker.kill()
    for worker in started:
        sys.stdout.write(f"--- worker {worker.name} log (tail) ---\n{worker.text()[-2000:]}\n")


def people_with_news(count: int, *, prefix: str) -> tuple[list, object]:
    """``count`` people, each following a public initiative on which someone
    else posted an update in the period, with a daily digest due now.
    Returns them and the instant to dispatch at."""
    lead = factories.OrganisationFactory(name=f"Lead {prefix}")
    poster = factories.member_of(lead, email=f"poster-{prefix}@lead.gov.uk")
    initiative = factories.make_initiative(lead, slug=f"shared-{prefix}")
    people = [factories.UserFactory(email=f"{prefix}{n}@example.gov.uk") for n in range(count)]
    for person in people:
        initiative.follows.create(user=person)
    record_activity(
        verb="update.posted",
        actor=poster,
        organisation=lead,
        target=initiative,
        summary="We finished discovery",
    )
    slot = timezone.now()
    for person in people:
        NotificationSettings.objects.update_or_create(
            user=person,
            defaults={
                "digest_frequency": DigestFrequency.DAILY,
                "next_digest_at": slot,
                "digest_covered_until": slot - timedelta(days=1),
            },
        )
    return people, slot + timedelta(seconds=1)


def wait_for(condition, *, what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            statuses = list(DigestDelivery.objects.values_list("user__email", "status", "attempts"))
            raise AssertionError(f"timed out waiting for {what}; deliveries: {statuses}")
        time.sleep(0.1)


def all_sent(count: int):
    return lambda: DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count() == count


def assert_each_exactly_once(sink: SmtpSink, people) -> None:
    counts = sink.count_by_recipient()
    assert counts == {person.email: 1 for person in people}
    periods = dict(DigestDelivery.objects.values_list("user__email", "period_key"))
    for message in sink.messages():
        assert message.period == periods[message.recipient]


@real_worker
def test_a_batch_is_delivered_once_each_and_a_second_dispatch_sends_nothing(start_worker, sink):
    worker = start_worker("a")
    people, now = people_with_news(30, prefix="batch")
    worker.wait_ready()

    result = digests.dispatch_due(now=now)

    assert result.claimed == 30
    wait_for(lambda: len(sink.messages()) >= 30 and all_sent(30)(), what="30 digests")
    assert_each_exactly_once(sink, people)
    assert set(DigestDelivery.objects.values_list("status", "attempts")) == {("sent", 1)}

    again = digests.dispatch_due(now=now)
    assert (again.claimed, again.requeued) == (0, 0)
    time.sleep(1)  # anything wrongly enqueued would have reached the sink by now
    assert len(sink.messages()) == 30


@real_worker
def test_b_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(start_worker, sink):
    """Why holding at RCPT makes this deterministic: a digest is only at risk
    of being sent twice if its worker dies *after* the mail server accepted
    it (end of DATA) and before the row is marked sent: the one window the
    design cannot close (digests' module docstring; tested in-process by
    tests/notifications/test_digests.py). A worker blocked in RCPT TO has
    claimed its delivery (row "sending", lease taken) but the server has
    accepted nothing. With both pool processes blocked there, and prefetch 1
    so the worker holds no other message, the SIGKILL lands outside that
    window for certain: nothing was sent, two deliveries are stranded in
    "sending" with their messages unacknowledged, 28 wait in the queue.

    The broker gives the two back once the visibility timeout has passed (a
    worker restores them when it starts); their lease has expired by then, so
    the new worker claims and sends them. Every digest arrives once.
    """
    first = start_worker("doomed")
    people, now = people_with_news(30, prefix="kill")
    sink.hold()
    first.wait_ready()
    digests.dispatch_due(now=now)

    sink.wait_until(lambda: sink.held == 2, timeout=DEADLINE, what="both processes in RCPT")
    held_at = time.monotonic()
    sending = DigestDelivery.objects.filter(status=DigestDelivery.Status.SENDING)
    assert sending.count() == 2
    stranded = set(sending.values_list("pk", flat=True))
    first.kill()
    assert sink.messages() == []

    # Redis hands an unacknowledged message back only after the visibility
    # timeout; a worker started after it restores the two at once.
    time.sleep(max(0.0, held_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    start_worker("survivor").wait_ready()
    sink.release()

    wait_for(lambda: len(sink.messages()) >= 30 and all_sent(30)(), what="all 30 after the kill")
    time.sleep(1)
    assert_each_exactly_once(sink, people)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}
    # The stranded two were claimed twice (killed worker, then survivor) and sent once.
    attempts = dict(DigestDelivery.objects.values_list("pk", "attempts"))
    assert {pk for pk, n in attempts.items() if n == 2} == stranded
    assert {n for pk, n in attempts.items() if pk not in stranded} == {1}


@real_worker
def test_c_same_delivery_enqueued_twice_on_two_workers_sends_one_email(start_worker, sink):
    # One process each and prefetch 1: while the first worker is busy with
    # one copy, the other copy can only go to the second worker.
    workers = [start_worker("one", concurrency=1), start_worker("two", concurrency=1)]
    people, now = people_with_news(1, prefix="twice")
    for worker in workers:
        worker.wait_ready()
    result = digests.dispatch_due(now=now, enqueue=False)
    (delivery_id,) = result.delivery_ids
    sink.hold()

    send_digest.delay(delivery_id)
    send_digest.delay(delivery_id)

    sink.wait_until(lambda: sink.held == 1, timeout=DEADLINE, what="one copy in RCPT")
    # The other copy finds the lease taken and looks again when it ends.
    wait_for(
        lambda: "busy" in [o for w in workers for o in w.outcomes()], what="the other copy: busy"
    )
    sink.release()
    wait_for(all_sent(1), what="the digest sent")
    wait_for(
        lambda: "done" in [o for w in workers for o in w.outcomes()],
        what="the look-again after the lease: done",
    )
    outcomes = sorted(o for w in workers for o in w.outcomes())
    assert outcomes == ["busy", "done", "sent"]
    assert_each_exactly_once(sink, people)
    assert DigestDelivery.objects.get().attempts == 1


@real_worker
def test_d_refused_by_the_mail_server_retried_then_sent_or_failed_with_the_error(
    start_worker, sink
):
    worker = start_worker("d")
    people, now = people_with_news(3, prefix="smtp")
    flaky, refused, fine = people
    sink.refuse(flaky.email, "451 4.3.0 Try again later")
    sink.refuse(refused.email, "550 5.1.1 Mailbox unavailable", always=True)
    worker.wait_ready()

    digests.dispatch_due(now=now)

    def settled() -> bool:
        return set(DigestDelivery.objects.values_list("status", flat=True)) <= {"sent", "failed"}

    wait_for(settled, what="every delivery sent or failed")
    rows = {row.user_id: row for row in DigestDelivery.objects.all()}
    # Refused once, retried with back-off, then delivered once.
    assert rows[flaky.pk].status == "sent"
    assert rows[flaky.pk].attempts == 2
    assert sink.rcpt_attempts[flaky.email] == 2
    # Refused for good (5xx): not retried, kept as failed with the reason.
    assert rows[refused.pk].status == "failed"
    assert rows[refused.pk].attempts == 1
    assert sink.rcpt_attempts[refused.email] == 1
    assert "550" in rows[refused.pk].last_error
    assert "Mailbox unavailable" in rows[refused.pk].last_error
    assert rows[fine.pk].status == "sent"
    assert rows[fine.pk].attempts == 1
    time.sleep(1)
    assert sink.count_by_recipient() == {flaky.email: 1, fine.email: 1}


def test_retry_back_off_follows_the_setting(settings):
    """Production's back-off is whole seconds from a minute, doubling, capped
    at 30 minutes; the tests above shorten it with the same setting."""
    settings.DIGEST_RETRY_BASE_SECONDS = 60.0
    first = [digests.retry_delay(1) for _ in range(50)]
    assert all(isinstance(d, int) and 30 <= d <= 60 for d in first)
    assert all(900 <= digests.retry_delay(20) <= 1800 for _ in range(50))
    settings.DIGEST_RETRY_BASE_SECONDS = RETRY_BASE
    assert all(RETRY_BASE / 2 <= digests.retry_delay(1) <= RETRY_BASE for _ in range(50))
