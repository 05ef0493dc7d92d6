"""Health and readiness for load balancers: `/healthz` and `/readyz` (portal/urls.py).

`/healthz` says the process answers: no database, no cache, no session, the same bytes every
time. A load balancer takes a server out of rotation when it stops answering.

`/readyz` says the server can serve pages: a trivial query on the database and a set/get of
a short-lived key in every configured cache, each given `TIMEOUT_SECONDS`. 200 with
{"database": "ok", "cache": "ok"}, or 503 naming what failed; never a 500. The checks run
in a small pool of threads of their own, so a database that hangs (a black-holed address,
a full connection pool) answers 503 in time instead of holding the worker; the pool keeps
its threads, and their database connections, from one probe to the next.

Both are outside the i18n patterns and exempt from the HTTPS redirect (settings), so a probe
may speak plain HTTP to an app server; it must still send a Host in DJANGO_ALLOWED_HOSTS.
"""

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CheckTimedOut

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0
# Two checks per probe; a hung one holds its thread until the database gives up, so later
# probes time out too (503) rather than piling up threads.
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")


def _not_stored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def healthz(request):
    return _not_stored(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


def check_database():
    # In the pool's thread, with that thread's connection, kept or dropped before and after
    # as Django does around each request (DATABASE_CONN_MAX_AGE, health checks).
    connection.close_if_unusable_or_obsolete()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        connection.close()
        raise
    finally:
        connection.close_if_unusable_or_obsolete()


def check_caches():
    key = f"readyz:{uuid.uuid4().hex}"
    for alias in settings.CACHES:
        cache = caches[alias]
        cache.set(key, "ok", timeout=10)
        if cache.get(key) != "ok":
            raise RuntimeError(f"the {alias!r} cache did not keep a key")
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_caches}


def readyz(request):
    try:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        running = {name: _pool.submit(check) for name, check in CHECKS.items()}
        results = {}
        for name, future in running.items():
            try:
                future.result(timeout=max(deadline - time.monotonic(), 0))
            except CheckTimedOut:
                results[name] = "timeout"
                logger.warning("Not ready: the %s check took over %ss", name, TIMEOUT_SECONDS)
            except Exception as error:
                # The kind of error only: the page may be reachable from outside.
                results[name] = f"failed: {type(error).__name__}"
                logger.warning("Not ready: the %s check failed: %s", name, error)
            else:
                results[name] = "ok"
    except Exception:
        # Even the pool failing (say, at interpreter shutdown) is "not ready", not a 500.
        logger.exception("Readiness check failed")
        results = dict.fromkeys(CHECKS, "unknown")
    ready = all(result == "ok" for result in results.values())
    return _not_stored(JsonResponse(results, status=200 if ready else 503))
