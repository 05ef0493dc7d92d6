"""A throwaway Redis for the tests of the shared cache, and Django cache settings using it.

Debian's `redis-server` (`make tools` installs it), on loopback at a free port, keeping
nothing on disk. Without it these tests skip, unless REQUIRE_REDIS_TESTS is set, as CI sets
it: there a missing Redis fails the suite.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_redis_server():
    path = shutil.which("redis-server")
    if path:
        return path
    message = "redis-server is missing; run `make tools`"
    if os.environ.get("REQUIRE_REDIS_TESTS"):
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def running_redis():
    """Start redis-server, yield its redis:// address, stop it."""
    executable = require_redis_server()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="portal-redis-") as folder:
        server = subprocess.Popen(
            [
                executable,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                folder,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, server)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_for_port(port, process, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} seconds")


def redis_caches(url):
    """The settings' CACHES as they are with REDIS_URL set (portal/settings.py)."""
    from portal.settings import shared_caches

    return shared_caches(url)
