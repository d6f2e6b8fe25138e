"""Production mode is safe by construction: it refuses to start without its
secrets, and Django's deploy checks find nothing to warn about.

Settings are read once per process, so each case runs ``manage.py`` in a
subprocess with exactly the environment under test.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables that would leak the test run's own configuration into the subprocess.
SCRUBBED = {
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
}
REAL_LOOKING_KEY = secrets.token_urlsafe(64)


def run_django(args: list[str], **env_overrides: str | None) -> subprocess.CompletedProcess:
    """Run manage.py in a subprocess; an override of None removes the variable."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(env_overrides)
    env = {k: v for k, v in env.items() if v is not None}
    env.setdefault("DJANGO_SETTINGS_MODULE", "collab_platform.settings")
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": REAL_LOOKING_KEY,
    "ALLOWED_HOSTS": "collab.example.org",
    # `check` does not connect, so any PostgreSQL URL will do.
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://collab@127.0.0.1:5432/collab"),
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_deploy_checks_pass_in_production():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("REDIS_URL", "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {**PRODUCTION, missing: None}
    result = run_django(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        "short",
        "django-insecure-local-only-never-use-in-production",
        "django-insecure-" + "x" * 60,
    ],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = run_django(["manage.py", "check"], **{**PRODUCTION, "SECRET_KEY": weak_key})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "EMAIL_HOST": s.EMAIL_HOST,
    "EMAIL_PORT": s.EMAIL_PORT,
    "EMAIL_USE_TLS": s.EMAIL_USE_TLS,
    "CONNECT_SRC": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"],
}))
"""


def test_production_settings_are_secure():
    result = run_django(
        ["-c", SHOW_SETTINGS],
        **PRODUCTION,
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["DEBUG"] is False
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] >= 31536000
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["ALLOWED_HOSTS"] == ["collab.example.org"]
    assert shown["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")
    assert shown["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (shown["EMAIL_HOST"], shown["EMAIL_PORT"], shown["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    # Plain ws:// is not allowed for the live board in production.
    assert "ws:" not in shown["CONNECT_SRC"]


def test_local_mode_needs_no_configuration():
    result = run_django(["-c", SHOW_SETTINGS])
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["DEBUG"] is True
    assert shown["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_readme_documents_every_setting_read_from_the_environment():
    """Each variable settings.py reads is in the README's configuration table,
    so adding one without documenting it fails here."""
    source = (BASE_DIR / "collab_platform" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', source))
    read |= set(re.findall(r'"([A-Z][A-Z0-9_]*)" in env', source))
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL"} <= read  # the pattern still matches
    readme = (BASE_DIR / "README.md").read_text()
    undocumented = sorted(name for name in read if f"| `{name}` |" not in readme)
    assert not undocumented, f"add these to the README's configuration table: {undocumented}"


def test_production_refuses_debug():
    result = run_django(["manage.py", "check"], **{**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
