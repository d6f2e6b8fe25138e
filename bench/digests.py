#!/usr/bin/env python
"""``make bench``: digests at platform scale, through the real machinery.

Builds a fresh PostgreSQL database (``collab_bench_digests`` unless
``BENCH_DATABASE_URL`` names another) with bulk inserts: councils, people
(members of them, daily digests due now), public initiatives each person
follows, and updates posted on them by someone else in the period, so every
digest has news. Then:

1. the dispatcher's query count for 2,000 people and for 20,000 (rolled
   back, nothing enqueued): it must grow only by a constant per batch;
2. the real thing: ``dispatch_due`` enqueues to Redis (``BENCH_REDIS_URL``),
   one ``celery worker --concurrency 2`` builds and sends every digest to an
   SMTP server (aiosmtpd, in this process); timed from dispatch to the last
   delivery marked sent, and every person must have received exactly one.

    .venv/bin/python bench/digests.py                  # 20,000 people
    .venv/bin/python bench/digests.py --people 5000

Writes ``bench/results/digests.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/collab_bench_digests"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
QUEUE = "bench-digests"
COUNCILS = 100
INITIATIVES = 400
FOLLOWS_EACH = 3
UPDATES_EACH = 2
RESULTS = BASE_DIR / "bench" / "results"


def _recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Dataset:
    """Councils, initiatives and their updates once; people added in steps."""

    def __init__(self, slot) -> None:
        from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

        from councils.models import Membership, Organisation  # noqa: PLC0415
        from initiatives.models import Initiative, Partnership  # noqa: PLC0415
        from notifications.models import Activity  # noqa: PLC0415

        self.slot = slot
        self.people = 0
        self.councils = Organisation.objects.bulk_create(
            Organisation(
                kind=Organisation.Kind.COUNCIL,
                name=f"Bench council {n}",
                official_name=f"Bench council {n}",
                slug=f"bench-council-{n}",
                register_code=f"B{n:04d}",
                gss_code=f"E{n:08d}",
                nation="England",
                status=Organisation.Status.ACTIVE,
            )
            for n in range(COUNCILS)
        )
        User = _user_model()
        posters = User.objects.bulk_create(
            User(email=f"poster{n}@bench-council-{n}.gov.uk", password="!", full_name=f"Poster {n}")
            for n in range(COUNCILS)
        )
        Membership.objects.bulk_create(
            Membership(
                user=poster,
                organisation=council,
                role=Membership.Role.MEMBER,
                status=Membership.Status.ACTIVE,
            )
            for poster, council in zip(posters, self.councils, strict=True)
        )
        self.initiatives = Initiative.objects.bulk_create(
            Initiative(
                title=f"Shared service {n}",
                slug=f"shared-service-{n}",
                summary="Councils working together on a shared problem.",
                lead_organisation=self.councils[n % COUNCILS],
                visibility=Initiative.Visibility.PUBLIC,
                partner_count=1,
                created_at=slot - timedelta(days=30),
            )
            for n in range(INITIATIVES)
        )
        Partnership.objects.bulk_create(
            Partnership(
                initiative=initiative,
                organisation=initiative.lead_organisation,
                role=Partnership.Role.LEAD,
                status=Partnership.Status.ACTIVE,
            )
            for initiative in self.initiatives
        )
        initiative_type = ContentType.objects.get_for_model(Initiative)
        Activity.objects.bulk_create(
            Activity(
                verb="update.posted",
                actor=posters[n % COUNCILS],
                organisation=initiative.lead_organisation,
                target_type=initiative_type,
                target_id=initiative.pk,
                summary=f"Progress report {k} on {initiative.title}",
                created_at=slot - timedelta(hours=2 + k),
            )
            for n, initiative in enumerate(self.initiatives)
            for k in range(UPDATES_EACH)
        )

    def add_people(self, count: int) -> None:
        """``count`` more officers, members of the councils in turn, each
        following three initiatives led elsewhere, daily digest due at the slot."""
        from councils.models import Membership  # noqa: PLC0415
        from initiatives.models import Follow  # noqa: PLC0415
        from notifications.models import DigestFrequency, NotificationSettings  # noqa: PLC0415

        User = _user_model()
        start = self.people
        for first in range(start, start + count, 5000):
            numbers = range(first, min(first + 5000, start + count))
            users = User.objects.bulk_create(
                User(
                    email=f"officer{n}@bench-council-{n % COUNCILS}.gov.uk",
                    password="!",
                    full_name=f"Officer {n}",
                )
                for n in numbers
            )
            Membership.objects.bulk_create(
                Membership(
                    user=user,
                    organisation=self.councils[n % COUNCILS],
                    role=Membership.Role.MEMBER,
                    status=Membership.Status.ACTIVE,
                )
                for n, user in zip(numbers, users, strict=True)
            )
            NotificationSettings.objects.bulk_create(
                NotificationSettings(
                    user=user,
                    digest_frequency=DigestFrequency.DAILY,
                    next_digest_at=self.slot,
                    digest_covered_until=self.slot - timedelta(days=1),
                )
                for user in users
            )
            Follow.objects.bulk_create(
                Follow(user=user, initiative=self.initiatives[(n * 7 + k * 131) % INITIATIVES])
                for n, user in zip(numbers, users, strict=True)
                for k in range(FOLLOWS_EACH)
            )
        self.people += count


def _user_model():
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    return get_user_model()


class _Rollback(Exception):
    pass


def dispatcher_queries(now, batch_size: int) -> tuple[int, int]:
    """Queries and claims of one dispatch, rolled back (nothing enqueued)."""
    from django.db import connection, transaction  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from notifications.services import digests  # noqa: PLC0415

    with contextlib.suppress(_Rollback), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            result = digests.dispatch_due(now=now, batch_size=batch_size, enqueue=False)
        raise _Rollback
    return len(queries), result.claimed


def send_queries(now) -> tuple[int, float, float]:
    """Queries and time ``send_delivery`` takes for one digest (in-process,
    locmem mail, rolled back): what each worker task costs, without the
    broker and SMTP."""
    from django.db import connection, transaction  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext, override_settings  # noqa: PLC0415

    from notifications.models import DigestDelivery  # noqa: PLC0415
    from notifications.services import digests  # noqa: PLC0415

    with (
        contextlib.suppress(_Rollback),
        transaction.atomic(),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        ids = digests.dispatch_due(now=now, batch_size=50, enqueue=False).delivery_ids[:50]
        digests.send_delivery(ids[0])  # warm: templates compiled, content types cached
        with CaptureQueriesContext(connection) as queries:
            outcome = digests.send_delivery(ids[1])
        assert outcome.kind == "sent", outcome
        t0, cpu0 = time.perf_counter(), time.process_time()
        for delivery_id in ids[2:]:
            digests.send_delivery(delivery_id)
        per_digest = (time.perf_counter() - t0) / len(ids[2:])
        # CPU time of this process alone: what a digest costs when the
        # machine is not shared (wall time above includes waiting for a CPU).
        cpu_per_digest = (time.process_time() - cpu0) / len(ids[2:])
        assert DigestDelivery.objects.filter(pk__in=ids, status="sent").count() == len(ids)
        raise _Rollback
    return len(queries), per_digest, cpu_per_digest


@contextlib.contextmanager
def celery_worker(env: dict[str, str], log: Path, concurrency: int):
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "celery"),
                "-A",
                "collab_platform",
                "worker",
                "--concurrency",
                str(concurrency),
                "--prefetch-multiplier",
                "1",
                "--loglevel",
                "WARNING",
                "--hostname",
                "bench-digests@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=2_000, help="the first query-count size")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds to wait, then the rate so far"
    )
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    _recreate_database(database_url)
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="collab_platform.settings",
    )
    os.environ.pop("PYTEST_XDIST_WORKER", None)

    import django  # noqa: PLC0415

    django.setup()
    import redis  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from notifications.models import DigestDelivery  # noqa: PLC0415
    from notifications.services import digests  # noqa: PLC0415
    from tests.notifications.smtp_sink import SmtpSink  # noqa: PLC0415

    broker = redis.Redis.from_url(redis_url)
    for key in broker.scan_iter(match=f"*{QUEUE}*"):
        broker.delete(key)
    call_command("migrate", verbosity=0)
    RESULTS.mkdir(exist_ok=True)

    slot = timezone.now().replace(microsecond=0)
    now = slot + timedelta(seconds=1)
    started = time.perf_counter()
    dataset = Dataset(slot)
    dataset.add_people(args.small)
    small_queries, small_claimed = dispatcher_queries(now, args.batch_size)
    dataset.add_people(args.people - args.small)
    built_s = time.perf_counter() - started
    large_queries, large_claimed = dispatcher_queries(now, args.batch_size)
    assert (small_claimed, large_claimed) == (args.small, args.people)
    per_send, in_process_s, in_process_cpu_s = send_queries(now)

    with SmtpSink() as sink:
        env = {
            **os.environ,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "PYTHONUNBUFFERED": "1",
            # As in production (DJANGO_ENV=production's default): a worker
            # keeps its database connection instead of opening one per task.
            "CONN_MAX_AGE": "60",
        }
        with celery_worker(env, RESULTS / "digests-worker.log", args.concurrency):
            # The worker boots while the dispatcher enqueues.
            t0 = time.perf_counter()
            result = digests.dispatch_due(now=now, batch_size=args.batch_size)
            dispatch_s = time.perf_counter() - t0
            deadline = t0 + args.timeout
            remaining = DigestDelivery.objects.exclude(status=DigestDelivery.Status.SENT)
            complete = True
            while remaining.exists():
                if time.perf_counter() > deadline:
                    # Out of time: report the rate so far rather than nothing.
                    complete = False
                    break
                time.sleep(0.5)
            total_s = time.perf_counter() - t0
            sent = DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count()
        counts = sink.count_by_recipient()
    assert result.claimed == args.people, result
    assert set(counts.values()) <= {1}, "someone received a digest twice"
    if complete:
        assert len(counts) == args.people, "not every person received their digest"

    report = {
        "complete": complete,
        "people": args.people,
        "sent": sent,
        "data_set_built_s": round(built_s, 1),
        "worker_processes": args.concurrency,
        "dispatch_s": round(dispatch_s, 2),
        "dispatch_to_last_sent_s": round(total_s, 1),
        "ms_per_digest": round(total_s * 1000 / sent, 2),
        "ms_per_digest_per_process": round(total_s * 1000 * args.concurrency / sent, 2),
        "deliveries_per_s": round(sent / total_s, 1),
        "projected_s_for_all": round(total_s * args.people / sent, 1),
        "emails_received": sum(counts.values()),
        "batch_size": args.batch_size,
        "dispatcher_queries": {str(args.small): small_queries, str(args.people): large_queries},
        "queries_per_digest_sent": per_send,
        "in_process_ms_per_digest": round(in_process_s * 1000, 1),
        "in_process_cpu_ms_per_digest": round(in_process_cpu_s * 1000, 1),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 1),
    }
    (RESULTS / "digests.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(
        "\n| People (sent) | Worker processes | Dispatch | Dispatch → last sent | Per digest "
        "| Deliveries/s | Dispatcher queries (small / large, batch) | Queries per digest |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.people} ({sent}) | {args.concurrency} | {report['dispatch_s']} s "
        f"| {total_s:.1f} s{'' if complete else ' (timed out)'} "
        f"| {report['ms_per_digest']} ms | {report['deliveries_per_s']} "
        f"| {small_queries} / {large_queries} (batch {args.batch_size}) | {per_send} |"
    )


if __name__ == "__main__":
    main()
