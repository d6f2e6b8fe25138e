#!/usr/bin/env python
"""``make bench``: live board delivery, as participants feel it.

Builds a fresh PostgreSQL database (``collab_bench_board`` unless
``BENCH_DATABASE_URL`` names another), a workshop with N participants from
several councils and a session for each, then starts the real ASGI server
(daphne) against it and Redis, and connects N real websocket clients from a
separate process. One participant adds items; for each, the time from
sending the operation to each other participant receiving its frame is
recorded, and every frame that never arrives is counted as lost.

    .venv/bin/python bench/board_latency.py                  # 50 and 200 participants
    .venv/bin/python bench/board_latency.py --participants 50 --ops 40

Writes ``bench/results/board_latency.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.asgi_server import daphne  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/collab_bench_board"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"


def _recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(participants: int) -> tuple[int, list[str]]:
    """A workshop in brainstorm with ``participants`` people (the first is the
    facilitator); returns its id and each person's session cookie."""
    import django  # noqa: PLC0415

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from councils.models import Membership, Organisation  # noqa: PLC0415
    from swot.models import Participant  # noqa: PLC0415
    from swot.services import board, workshops  # noqa: PLC0415
    from tests import factories  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    councils = [
        factories.OrganisationFactory(name=f"Bench council {n}", kind=Organisation.Kind.COUNCIL)
        for n in range(10)
    ]
    host = factories.member_of(councils[0], Membership.Role.FACILITATOR, email="host@bench0.gov.uk")
    users = [
        factories.member_of(
            councils[n % 10], Membership.Role.MEMBER, email=f"p{n}@bench{n % 10}.gov.uk"
        )
        for n in range(participants - 1)
    ]
    workshop = workshops.create_workshop(by=host, title="Bench board", template="readiness")
    facilitator = Participant.objects.get(workshop=workshop, user=host)
    workshops.invite_users(workshop=workshop, by=facilitator, users=users)
    board.perform(
        workshop_id=workshop.pk,
        participant=facilitator,
        kind="phase.set",
        args={"phase": "brainstorm"},
    )
    cookies = []
    for user in [host, *users]:
        client = Client()
        client.force_login(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    from django.db import connections  # noqa: PLC0415

    connections.close_all()
    return workshop.pk, cookies


def _clients(port: int, workshop_id: int, cookies: list[str], ops: int, out) -> None:
    """The client process: connect everyone, send ``ops`` items from the
    first participant, measure each frame's arrival at every other one."""
    asyncio.run(_drive(port, workshop_id, cookies, ops, out))


async def _drive(port, workshop_id, cookies, ops, out) -> None:
    import websockets  # noqa: PLC0415

    url = f"ws://127.0.0.1:{port}/ws/workshops/{workshop_id}/board/"
    headers = {"Origin": "http://127.0.0.1"}
    sockets = []
    connect_started = time.monotonic()
    for cookie in cookies:
        ws = await websockets.connect(
            url, additional_headers={**headers, "Cookie": cookie}, max_queue=None
        )
        first = json.loads(await ws.recv())
        assert first["type"] == "snapshot", first
        sockets.append(ws)
    connect_seconds = time.monotonic() - connect_started
    sent_at: dict[str, float] = {}
    arrivals: dict[str, list[float]] = {}
    done = asyncio.Event()
    expected = ops * (len(sockets) - 1)
    received = 0

    async def listen(ws, index):
        nonlocal received
        async for raw in ws:
            frame = json.loads(raw)
            if frame.get("type") != "op" or frame.get("kind") != "item.add":
                continue
            text = frame["data"]["item"]["text"]
            if index == 0:
                continue
            arrivals.setdefault(text, []).append(time.monotonic())
            received += 1
            if received >= expected:
                done.set()

    listeners = [asyncio.create_task(listen(ws, n)) for n, ws in enumerate(sockets)]
    await asyncio.sleep(1.0)  # let presence chatter settle
    sender = sockets[0]
    for n in range(ops):
        text = f"Bench item {n}"
        sent_at[text] = time.monotonic()
        await sender.send(
            json.dumps(
                {
                    "type": "op",
                    "id": f"bench-{n}",
                    "kind": "item.add",
                    "args": {"quadrant": "strengths", "text": text},
                }
            )
        )
        await asyncio.sleep(0.05)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout=60)
    latencies = [
        (arrival - sent_at[text]) * 1000 for text, times in arrivals.items() for arrival in times
    ]
    for task in listeners:
        task.cancel()
    for ws in sockets:
        await ws.close()
    out.put(
        {
            "participants": len(sockets),
            "operations": ops,
            "expected_frames": expected,
            "received_frames": received,
            "lost": expected - received,
            "connect_seconds": round(connect_seconds, 2),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(statistics.quantiles(latencies, n=20)[-1], 1)
            if len(latencies) > 1
            else None,
            "max_ms": round(max(latencies), 1) if latencies else None,
        }
    )


def run_case(participants: int, ops: int, database_url: str, redis_url: str) -> dict:
    _recreate_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    workshop_id, cookies = build(participants)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "collab_platform.settings"}
    (BASE_DIR / "bench" / "results").mkdir(exist_ok=True)
    with daphne(env, log=BASE_DIR / "bench" / "results" / "daphne.log") as port:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        # spawn: the clients share nothing with this process's Django.
        process = context.Process(target=_clients, args=(port, workshop_id, cookies, ops, queue))
        process.start()
        result = queue.get(timeout=300)
        process.join(timeout=30)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, action="append")
    parser.add_argument("--ops", type=int, default=30)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab_platform.settings")
    results = []
    for participants in args.participants or [51, 201]:
        # N listeners besides the sender: "one participant's operation to all
        # 50 (200) others".
        result = run_case(participants, args.ops, database_url, redis_url)
        results.append(result)
        print(json.dumps(result), flush=True)
    out = BASE_DIR / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "board_latency.json").write_text(json.dumps(results, indent=2) + "\n")
    print("\n| Listeners | Operations | p50 | p95 | max | Lost frames |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['participants'] - 1} | {r['operations']} | {r['p50_ms']} ms | "
            f"{r['p95_ms']} ms | {r['max_ms']} ms | {r['lost']} of {r['expected_frames']} |"
        )


if __name__ == "__main__":
    main()
