"""gunicorn's access log is JSON lines (portal/gunicorn.conf.py), with the request id that
portal.middleware.RequestIdMiddleware gives every response."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase

GUNICORN = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
    "gunicorn"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


@contextlib.contextmanager
def serving(folder):
    """gunicorn serving the portal with its config on a free port: its address, and its
    output once it has stopped (on leaving the block). Skips if it cannot start."""
    if not GUNICORN:
        pytest.skip("gunicorn is not installed")
    port = free_port()
    environ = {
        **os.environ,
        "DJANGO_SECRET_KEY": "insecure-test-key",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [GUNICORN, "-c", "portal/gunicorn.conf.py", "portal.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    address = f"http://127.0.0.1:{port}"
    output = {}
    try:
        for _ in range(100):
            if server.poll() is not None:
                pytest.skip(f"gunicorn could not start: {server.stderr.read()[-2000:]!r}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), timeout=1),
            ):
                break
            time.sleep(0.2)
        else:
            pytest.skip("gunicorn did not start within 20 seconds")
        yield address, output
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=30)
        output["stdout"], output["stderr"] = stdout.decode(), stderr.decode()


def test_each_request_is_one_json_line_in_the_access_log(tmp_path):
    with serving(tmp_path) as (address, output):
        status, headers, body = get(
            f"{address}/healthz?probe=1", **{"User-Agent": "probe/1.0", "X-Request-ID": "abc-123"}
        )
        assert (status, body, headers["X-Request-ID"]) == (200, b"ok", "abc-123")
        get(f"{address}/healthz")
    lines = [json.loads(line) for line in output["stdout"].splitlines() if line.strip()]
    assert len(lines) == 2, output
    first, second = lines
    assert first["time"].endswith("+00:00")
    assert {key: first[key] for key in first if key not in {"time", "duration_ms"}} == {
        "remote_addr": "127.0.0.1",
        "forwarded_for": None,
        "method": "GET",
        "path": "/healthz",
        "query": "probe=1",
        "status": 200,
        "bytes": 2,
        "user_agent": "probe/1.0",
        "referer": None,
        "request_id": "abc-123",
    }
    assert isinstance(first["duration_ms"], float)
    assert len(second["request_id"]) == 32  # made by the site when nginx sent none


class RequestIdTests(SimpleTestCase):
    def test_a_request_id_from_nginx_is_passed_on(self):
        response = self.client.get("/healthz", headers={"X-Request-ID": "4f1c.e2:ab-9"})
        self.assertEqual(response.headers["X-Request-ID"], "4f1c.e2:ab-9")

    def test_a_request_without_one_or_with_a_strange_one_gets_a_new_one(self):
        for given in ({}, {"X-Request-ID": "<script>"}, {"X-Request-ID": "a" * 200}):
            with self.subTest(given=given):
                made = self.client.get("/healthz", headers=given).headers["X-Request-ID"]
                self.assertRegex(made, r"^[0-9a-f]{32}$")
