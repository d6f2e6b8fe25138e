"""Response headers every page carries, and rate limits that a client cannot
dodge by inventing its own X-Forwarded-For."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.core.internal.httpkit import get_client_ip
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from tests.security.html_checks import parse_csp
from tests.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_page_switches_off_unused_browser_features(client):
    response = client.get("/")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_websockets_may_only_reach_our_own_origin(client):
    connect = parse_csp(client.get("/")["Content-Security-Policy"])["connect-src"]
    assert "ws:" not in connect and "wss:" not in connect
    assert connect[0] == "'self'"


def test_signed_in_pages_are_private_to_the_browser(client_for, officer, client):
    anonymous = client.get("/initiatives/")
    assert "private" not in anonymous.get("Cache-Control", "")
    response = client_for(officer).get("/initiatives/")
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


SHOW_SECURITY = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "session": s.SESSION_COOKIE_NAME,
    "csrf": s.CSRF_COOKIE_NAME,
    "connect": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"],
    "proxies": s.TRUSTED_PROXY_COUNT,
    "allauth_proxies": s.ALLAUTH_TRUSTED_PROXY_COUNT,
    "drf_proxies": s.REST_FRAMEWORK["NUM_PROXIES"],
    "cache": s.CACHES["default"]["BACKEND"],
}))
"""


def test_production_hardening():
    result = run_django(["-c", SHOW_SECURITY], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["session"].startswith("__Host-")
    assert shown["csrf"].startswith("__Host-")
    assert shown["connect"] == ["'self'", "wss://collab.example.org"]
    # One proxy in front by default; both rate limiters read the same setting.
    assert shown["proxies"] == shown["allauth_proxies"] == shown["drf_proxies"] == 1
    assert shown["cache"] == "core.cache.FailoverRedisCache"


def _request(remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/api/v1/initiatives/", **headers)


class TestWithoutAProxy:
    """Locally (TRUSTED_PROXY_COUNT=0) X-Forwarded-For is ignored entirely."""

    def test_a_client_cannot_pick_its_sign_in_rate_limit_bucket(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
        assert get_client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"

    def test_a_client_cannot_pick_its_api_throttle_bucket(self, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
        throttle = AnonRateThrottle()
        assert throttle.get_ident(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
        assert throttle.get_ident(_request("203.0.113.9", "192.0.2.7")) == "203.0.113.9"


class TestBehindOneProxy:
    """In production the proxy appends the real client: only that hop counts,
    so clients are told apart and a forged left-hand entry changes nothing."""

    def test_sign_in_rate_limits_use_the_hop_the_proxy_appended(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
        forged = _request("10.0.0.2", "198.51.100.1, 203.0.113.9")
        assert get_client_ip(forged) == "203.0.113.9"
        assert get_client_ip(_request("10.0.0.2", "192.0.2.7")) == "192.0.2.7"

    def test_api_throttle_uses_the_hop_the_proxy_appended(self, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        throttle = AnonRateThrottle()
        assert throttle.get_ident(_request("10.0.0.2", "198.51.100.1, 203.0.113.9")) == (
            "203.0.113.9"
        )
        assert throttle.get_ident(_request("10.0.0.2", "192.0.2.7")) == "192.0.2.7"

    def test_anonymous_api_limit_is_per_client_not_per_site(self, settings, client, monkeypatch):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        # DRF reads the rates once, when the throttle class is defined.
        monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
        cache.clear()
        first = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
        second = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.7"}
        assert [client.get("/api/v1/initiatives/", **first).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        # The same forged left-hand entry does not buy a fresh bucket...
        forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
        assert client.get("/api/v1/initiatives/", **forged).status_code == 429
        # ...and another client is not locked out by the first.
        assert client.get("/api/v1/initiatives/", **second).status_code == 200


DAPHNE_COMMANDS = {
    "Makefile": BASE_DIR / "Makefile",
    "Dockerfile": BASE_DIR / "Dockerfile",
    "docker-compose.yml": BASE_DIR / "docker-compose.yml",
}


@pytest.mark.parametrize("name", sorted(DAPHNE_COMMANDS))
def test_every_way_of_serving_hides_the_server_software(name):
    lines = [
        line
        for line in DAPHNE_COMMANDS[name].read_text().splitlines()
        if "daphne" in line and "collab_platform.asgi:application" in line
    ]
    assert lines, f"{name} does not start daphne"
    assert all("--no-server-name" in line for line in lines), lines


def test_daphne_sends_no_server_header():
    """The real server, started the way `make run` starts it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
    daphne = Path(sys.executable).with_name("daphne")
    process = subprocess.Popen(
        [str(daphne), "--no-server-name", "-b", "127.0.0.1", "-p", str(port)]
        + ["collab_platform.asgi:application"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    headers = r.headers
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert "Server" not in headers
    finally:
        process.kill()
        process.wait(timeout=10)
