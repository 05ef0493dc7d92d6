"""Two servers, one truth: two gunicorns sharing one database and one Redis show every
public change at once, and neither ever serves a draft.

Real processes: Debian's redis-server (skipped where missing, unless REQUIRE_REDIS_TESTS
is set, as CI sets it), and two `gunicorn portal.wsgi` with two workers each, against the
test database (committed data: a transactional test; on SQLite, its file). The workflow
runs here, in the test process, configured with the same Redis, as an admin's request on
either server would.
"""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting, PublicContentVersion
from tests import factories
from tests.redis_server import free_port, redis_caches, running_redis, wait_for_port

PROJECT = Path(__file__).resolve().parents[1]
# Each server answers each address this many times, to reach both of its workers.
TIMES = 4


def database_url():
    """The test database, as the servers' DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Server:
    def __init__(self, redis_url, log):
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "DJANGO_SECRET_KEY": "insecure-test-key",
            "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "PORTAL_PAGE_CACHE_SECONDS": "600",
        }
        env.pop("CACHE_URL", None)
        env.pop("DJANGO_DEBUG", None)
        self.process = subprocess.Popen(
            [
                Path(sys.executable).with_name("gunicorn"),
                "portal.wsgi",
                "--chdir",
                PROJECT,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--no-control-socket",
                "--error-logfile",
                log,
            ],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def get(self, path):
        with urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=20) as response:
            return response.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture
def two_servers(transactional_db, settings, tmp_path):
    in_memory = settings.CACHES
    with running_redis() as redis_url:
        # This process's workflow steps write the version to the servers' Redis.
        settings.CACHES = redis_caches(redis_url)
        servers = [Server(redis_url, tmp_path / f"server-{name}.log") for name in "ab"]
        try:
            for server in servers:
                wait_for_port(server.port, server.process, seconds=60)
            yield servers
        finally:
            for server in servers:
                server.stop()
            settings.CACHES = in_memory  # for the clearing after each test (tests/conftest.py)


DRAFT_WORDS = "Words still in a draft"


def test_two_servers_show_every_change_at_once(two_servers):
    editor = factories.member_of("Editors", "erin")
    publisher = factories.member_of("Publishers", "paul")
    page = factories.relations_page("Canada", slug="canada")
    live = factories.meeting(page, title="The first readout")
    draft = factories.meeting(page, title="The second readout", published=False)
    unpublished = {DRAFT_WORDS}

    def pages(path):
        """The page at `path` from every server and worker, none showing a draft's words."""
        bodies = [server.get(path) for server in two_servers for _ in range(TIMES)]
        assert not any(words in body for body in bodies for words in unpublished)
        return bodies

    def everywhere(path, text):
        return all(text in body for body in pages(path))

    def nowhere(path, text):
        return not any(text in body for body in pages(path))

    home, feed = reverse("meetings:home"), reverse("meetings:feed-atom")
    assert everywhere(home, "The first readout")
    assert nowhere(home, "The second readout")
    assert everywhere(live.get_absolute_url(), "The first readout")

    # Published: on both servers at once.
    workflow.publish(draft, by=publisher)
    assert everywhere(home, "The second readout")
    assert everywhere(feed, "The second readout")

    # Corrected: the draft correction stays unseen until it is approved, then shows.
    correction = workflow.start_correction(live, by=editor)
    correction.title = "The first readout, corrected"
    correction.lead = f"{DRAFT_WORDS}, until approved."
    correction.save()
    assert nowhere(live.get_absolute_url(), "corrected")
    workflow.submit_for_review(correction, by=editor)
    assert nowhere(live.get_absolute_url(), "corrected")
    workflow.approve(correction, by=publisher)
    unpublished.clear()  # the correction's words are public now
    live = Meeting.objects.get(pk=live.pk)
    assert everywhere(live.get_absolute_url(), f"{DRAFT_WORDS}, until approved.")
    assert everywhere(home, "The first readout, corrected")

    # Withdrawn: gone from the lists on both, its page showing the notice.
    workflow.take_down(
        live, by=publisher, kind=Meeting.Takedown.WITHDRAWN, note="Withdrawn at once."
    )
    assert nowhere(home, "The first readout, corrected")
    assert nowhere(feed, "The first readout, corrected")
    assert everywhere(live.get_absolute_url(), "Withdrawn at once.")

    # Scheduled: on neither before its time, on both from its second.
    scheduled = factories.meeting(page, title="The scheduled readout", published=False)
    at = timezone.now() + timedelta(seconds=3)
    workflow.publish(scheduled, at=at, by=publisher)
    assert nowhere(home, "The scheduled readout")
    before = PublicContentVersion.objects.get().version
    time.sleep(max(0, (at - timezone.now()).total_seconds()) + 0.2)
    # Every worker of both servers finds the change due at once: one of them moves the
    # version on, the others find it done.
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(lambda server: server.get(home), two_servers * 8))
    assert all("The scheduled readout" in body for body in bodies)
    assert PublicContentVersion.objects.get().version == before + 1
    assert everywhere(home, "The scheduled readout")
    assert everywhere(feed, "The scheduled readout")
