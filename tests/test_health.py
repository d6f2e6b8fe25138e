"""Health probes answer as load balancers expect."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"] == "ok"
    if settings.REDIS_URL:
        assert body["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_readyz_names_failing_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert response.json()["checks"]["database"] == "ok"


READYZ_WITH_BROKEN_DATABASE = """
import json, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client()
for path in ("/readyz", "/healthz"):
    response = client.get(path)
    print(json.dumps({"path": path, "status": response.status_code, "body": response.json()}))
"""


def test_readyz_names_failing_database_while_healthz_stays_up():
    """With the database unreachable (nothing listens on port 1) readiness
    fails naming "database", but liveness still answers: restarting the web
    process would not fix the database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "REDIS_URL"}}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nowhere"
    env["DJANGO_SETTINGS_MODULE"] = "collab_platform.settings"
    result = subprocess.run(
        [sys.executable, "-c", READYZ_WITH_BROKEN_DATABASE],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = {a["path"]: a for a in map(json.loads, result.stdout.strip().splitlines())}
    assert answers["/readyz"]["status"] == 503
    assert answers["/readyz"]["body"]["failing"] == ["database"]
    assert answers["/readyz"]["body"]["checks"]["database"] == "failing"
    assert answers["/readyz"]["body"]["status"] == "unavailable"
    assert answers["/healthz"]["status"] == 200


@pytest.mark.django_db
def test_health_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_health_probes_are_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
