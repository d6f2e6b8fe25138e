"""Liveness and readiness probes for load balancers and orchestrators.

/healthz says the process answers; /readyz says its dependencies answer too,
naming the failing part so an operator knows where to look.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import cache_degraded


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"{type(exc).__name__}"
    return None


def _check_redis() -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:
        return f"{type(exc).__name__}"
    return None


@never_cache
@require_GET
def readyz(request):
    checks: dict[str, str] = {}
    failures: dict[str, str] = {}
    error = _check_database()
    checks["database"] = "ok" if error is None else "failing"
    if error:
        failures["database"] = error
    if settings.REDIS_URL:
        error = _check_redis()
        checks["redis"] = "ok" if error is None else "failing"
        if error:
            failures["redis"] = error
        # While Redis is away, rate limits live in each process's memory.
        checks["cache"] = "fallback" if cache_degraded() else "ok"
    status = 200 if not failures else 503
    body = {"status": "ok" if status == 200 else "unavailable", "checks": checks}
    if failures:
        body["failing"] = sorted(failures)
    return JsonResponse(body, status=status)
