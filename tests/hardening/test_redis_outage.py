"""A Redis outage must not stop anyone signing in: the cache falls back to
per-process memory, /readyz says so, and when Redis returns the site goes
back to it without a restart. The Redis here is a real server started by the
test on a port of its own and then killed."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from core import cache as failover
from tests.factories import DEFAULT_PASSWORD

pytestmark = [
    pytest.mark.django_db,
    # Under CI every service is required: a missing redis-server fails there.
    pytest.mark.skipif(
        shutil.which("redis-server") is None and os.environ.get("CI") != "true",
        reason="needs redis-server on PATH",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer(_free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """The site's cache pointed at our own Redis, retried at once after a failure."""
    url = f"redis://127.0.0.1:{redis_server.port}/0"
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailoverRedisCache", "LOCATION": url}}
    monkeypatch.setattr(failover, "RETRY_SECONDS", 0.0)
    yield caches["default"]


def _sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})


def test_sign_in_works_through_an_outage_and_the_site_recovers(
    redis_cache, redis_server, client, officer, caplog
):
    assert _sign_in(client, officer).status_code == 302
    assert redis_cache.degraded is False
    client.logout()

    redis_server.stop()
    with caplog.at_level("ERROR", logger="core.cache"):
        response = _sign_in(client, officer)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/"
    assert redis_cache.degraded is True
    assert "Redis cache unreachable" in caplog.text

    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"] == "failing"
    assert ready.json()["checks"]["cache"] == "fallback"
    # Pages keep working while Redis is away.
    assert client.get("/initiatives/").status_code == 200
    assert client.get("/api/v1/initiatives/").status_code == 200

    redis_server.start()
    redis_cache.set("probe", "back")
    assert redis_cache.degraded is False
    assert redis_cache.get("probe") == "back"
    assert client.get("/readyz").json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "cache": "ok",
    }


def test_anonymous_api_answers_while_redis_is_down(redis_cache, redis_server, client):
    redis_server.stop()
    response = client.get("/api/v1/initiatives/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
