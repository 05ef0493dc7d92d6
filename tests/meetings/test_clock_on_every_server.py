"""`record_due_transitions` run by every app server's timer at the same minute: each due
publication or expiry is logged once, and cached pages are retired once, whoever wins."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from meetings import workflow
from meetings.models import PublicationLogEntry, PublicContentVersion
from tests import factories
from tests.meetings.test_simultaneous_saves import needs_concurrent_connections  # noqa: F401
from tests.race_on_a_sqlite_file import run_in_its_own_process

RUNNERS = 4
ROUNDS = 10


def clocks_at_once(runners):
    """Run the clock in `runners` threads released together; what each one returned."""
    barrier = threading.Barrier(runners)
    results = [None] * runners

    def run(index):
        try:
            barrier.wait()
            results[index] = workflow.record_due_transitions()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def race_the_clock(page, round, runners=RUNNERS):
    """A publication and an expiry came due since the clock last looked; `runners` clocks
    start at the same instant. What was logged and how often cached pages were retired."""
    now = timezone.now()
    PublicContentVersion.objects.update_or_create(
        pk=1, defaults={"clock_checked_at": now - timedelta(minutes=10)}
    )
    went_public = factories.meeting(
        page, title=f"Went public {round}", published_at=now - timedelta(minutes=5)
    )
    expired = factories.meeting(
        page, title=f"Expired {round}", expires_at=now - timedelta(minutes=5)
    )
    version = PublicContentVersion.objects.get(pk=1).version
    results = clocks_at_once(runners)
    return {
        "published_logs": went_public.publication_log.filter(to_state="published").count(),
        "expired_logs": expired.publication_log.filter(to_state="expired").count(),
        "runners_that_logged": sum(1 for result in results if result != ([], [])),
        "retired": PublicContentVersion.objects.get(pk=1).version - version,
    }


EXACTLY_ONCE = {"published_logs": 1, "expired_logs": 1, "runners_that_logged": 1, "retired": 1}


@pytest.mark.django_db(transaction=True)
def test_clocks_started_together_log_each_transition_once(needs_concurrent_connections):  # noqa: F811
    page = factories.relations_page()
    for round in range(ROUNDS):
        assert race_the_clock(page, round) == EXACTLY_ONCE, round


@pytest.mark.django_db(transaction=True)
def test_clocks_started_together_send_no_email(needs_concurrent_connections):  # noqa: F811
    # The clock only logs: the people were emailed when the meeting was approved.
    factories.member_of("Publishers", "paul", email="paul@example.org")
    race_the_clock(factories.relations_page(), 0)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_clock_after_another_logs_nothing_more():
    page = factories.relations_page()
    now = timezone.now()
    PublicContentVersion.objects.update_or_create(
        pk=1, defaults={"clock_checked_at": now - timedelta(minutes=10)}
    )
    factories.meeting(page, published_at=now - timedelta(minutes=5))
    first = workflow.record_due_transitions()
    assert [len(found) for found in first] == [1, 0]
    assert workflow.record_due_transitions() == ([], [])
    assert PublicationLogEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_clock_whose_time_is_behind_the_last_look_never_moves_it_back():
    # Another server's clock, a few seconds ahead, looked last.
    now = timezone.now()
    PublicContentVersion.objects.update_or_create(pk=1, defaults={"clock_checked_at": now})
    factories.meeting(factories.relations_page(), published_at=now - timedelta(seconds=5))
    assert workflow.record_due_transitions(now=now - timedelta(seconds=10)) == ([], [])
    assert PublicContentVersion.objects.get(pk=1).clock_checked_at == now


def test_on_a_sqlite_file_too_clocks_started_together_log_each_transition_once(tmp_path):
    """SQLite queues the runners (each transaction takes the write lock when it begins): the
    second sees the first's last look and finds nothing new."""
    results = run_in_its_own_process(tmp_path / "race.sqlite3", 5, "clock")
    assert results == [EXACTLY_ONCE] * 5, results
