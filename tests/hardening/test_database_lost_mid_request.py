"""The database going away *while* requests are in flight, against the real
server (daphne, started as `make run` starts it) and a real PostgreSQL
reached through a TCP proxy that the test can cut and restore.

- A request whose database connection drops under it answers 503 at once,
  in the client's format (JSON for the API, the styled page otherwise), for
  anonymous and signed-in people alike.
- A CSV download whose database drops after the response has started ends
  promptly as an *incomplete* transfer (no final chunk), so no client takes
  a truncated file for a whole one, and nobody waits on a hung connection.
- When the database is back, the same server process answers normally: no
  restart.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from initiatives.models import Initiative, Partnership
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
ROWS = 1200  # more than two of the CSV's 500-row database fetches
# Long enough to see a hang, short enough not to wait on one: every answer
# below comes in well under a second on a healthy machine.
PATIENCE = 20


class CuttableProxy:
    """Forwards TCP to PostgreSQL. ``cut()`` drops every open connection and
    refuses new ones, as a database restart or a network failure would;
    ``restore()`` lets connections through again. ``cut_on(marker, skip)``
    cuts the moment the (skip+1)-th occurrence of ``marker`` passes from the
    application to the database, so a test can drop the database at an exact
    point of a request (before a given query) rather than racing it."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.marker: bytes | None = None
        self.marker_skip = 0
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, outbound: bool) -> None:
        tail = b""
        try:
            while True:
                data = source.recv(65536)
                if not data or not self.up:
                    break
                if outbound and self._should_cut(tail, data):
                    self.cut()
                    break
                tail = data[-64:]
                sink.sendall(data)
        except OSError:
            pass
        finally:
            # shutdown() before close(): it wakes the other direction's
            # blocked recv() and really ends the connection to PostgreSQL.
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _should_cut(self, tail: bytes, data: bytes) -> bool:
        """Whether ``data`` brings the occurrence to cut on (``tail``, the
        end of the previous read, catches a marker split across reads
        without counting one already seen)."""
        with self.lock:
            if self.marker is None:
                return False
            seen = (tail + data).count(self.marker) - tail.count(self.marker)
            if seen <= self.marker_skip:
                self.marker_skip -= seen
                return False
            self.marker = None
            return True

    def cut_on(self, marker: bytes, skip: int = 0) -> None:
        with self.lock:
            self.marker, self.marker_skip = marker, skip

    def cut(self) -> None:
        self.up = False
        with self.lock:
            self.marker = None
            sockets, self.sockets = self.sockets, []
            self.cuts += 1
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def proxy():
    db = settings.DATABASES["default"]
    proxy = CuttableProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    yield proxy
    proxy.close()


@pytest.fixture
def server(proxy, tmp_path):
    """daphne serving the app, its database reached through the proxy (the
    test database, whose rows this test commits)."""
    db = settings.DATABASES["default"]
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    database_url = f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "REDIS_URL"}}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="collab_platform.settings",
        PYTHONUNBUFFERED="1",
    )
    log = open(tmp_path / "daphne.log", "w")  # noqa: SIM115 - closed below
    daphne = Path(sys.executable).with_name("daphne")
    process = subprocess.Popen(
        [str(daphne), "--no-server-name", "-b", "127.0.0.1", "-p", str(port)]
        + ["collab_platform.asgi:application"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(Path(log.name).read_text()[-3000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        process.kill()
        process.wait(timeout=10)
        log.close()
        _wait_for_backends_to_exit(db["NAME"])


def _wait_for_backends_to_exit(name: str) -> None:
    """The server's database sessions end a moment after it does; the test
    database is flushed (and later dropped) only once they have."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


@pytest.fixture
def published_rows(db):
    """Enough public initiatives that the CSV needs several database fetches."""
    lead = OrganisationFactory(name="Leeds City Council")
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            lead_organisation=lead,
            title=f"Shared service {n}",
            slug=f"shared-service-{n}",
            summary="Councils working together on a shared problem. " * 4,
            visibility=Initiative.Visibility.PUBLIC,
            partner_count=1,
        )
        for n in range(ROWS)
    )
    Partnership.objects.bulk_create(
        Partnership(
            initiative=initiative,
            organisation=lead,
            role=Partnership.Role.LEAD,
            status=Partnership.Status.ACTIVE,
        )
        for initiative in initiatives
    )
    return initiatives


def _get(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=PATIENCE) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _session_cookie(client, user) -> dict:
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"Cookie": f"{name}={client.cookies[name].value}"}


def test_requests_whose_database_drops_answer_503_and_recover(
    server, proxy, published_rows, client, officer
):
    signed_in = _session_cookie(client, officer)
    assert _get(server, "/api/v1/initiatives/")[0] == 200

    # The connection drops as the API's first query goes out.
    proxy.cut_on(b"SELECT")
    status, headers, body = _get(server, "/api/v1/initiatives/")
    assert proxy.cuts == 1, "the database was never asked"
    assert (status, headers["Content-Type"], headers["Retry-After"]) == (
        503,
        "application/json",
        "30",
    )
    assert json.loads(body) == {"detail": "The database is not answering. Try again in a minute."}

    # While it stays away: pages, and a signed-in person (whose session and
    # user are loaded before any view runs) get the styled 503 page too.
    for path, extra in (("/initiatives/", {}), ("/", signed_in), ("/initiatives/", signed_in)):
        status, headers, body = _get(server, path, extra)
        assert (status, headers["Retry-After"]) == (503, "30"), (path, body[:300])
        assert headers["Content-Type"].startswith("text/html")
        assert b"Sorry, the service is unavailable" in body

    # Back again: the same process serves normally, no restart.
    proxy.restore()
    assert _get(server, "/api/v1/initiatives/")[0] == 200
    status, _, body = _get(server, "/", signed_in)
    assert status == 200 and officer.display_name.encode() in body


def test_a_download_cut_mid_stream_ends_incomplete_not_hung(server, proxy, published_rows):
    # The first 500-row fetch happens in the view (so a dead database is a
    # 503); the second, mid-stream, is where the database goes away.
    proxy.cut_on(b"FETCH FORWARD", skip=1)
    conn = http.client.HTTPConnection("127.0.0.1", int(server.rsplit(":", 1)[1]), timeout=PATIENCE)
    started = time.monotonic()
    conn.request("GET", "/initiatives.csv")
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Transfer-Encoding") == "chunked"
    received = b""
    with pytest.raises(http.client.IncompleteRead) as incomplete:
        while chunk := response.read1(65536):
            received += chunk
    # The server closes without the chunked encoding's last chunk.
    received += incomplete.value.partial
    elapsed = time.monotonic() - started
    conn.close()
    assert proxy.cuts == 1
    lines = received.decode().splitlines()
    assert lines[0].startswith("slug,title,summary")
    # Rows left as they were read (batches of about 64 KiB), up to where the
    # database went away; the rest never came.
    assert 100 <= len(lines) - 1 < 500, len(lines)
    # Promptly: daphne reaps failed applications once a second.
    assert elapsed < PATIENCE / 2, elapsed

    # The whole file once the database is back, from the same process.
    proxy.restore()
    status, _, body = _get(server, "/initiatives.csv")
    assert status == 200
    assert len(body.decode().splitlines()) == ROWS + 1
    # Before the fix, Django read the whole export into memory before the
    # first byte left (so the cut above left the client with headers only),
    # and daphne never closed the connection (the read above hung).
