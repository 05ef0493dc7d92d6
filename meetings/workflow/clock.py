"""What the clock does by itself, written into the log: publications and expiries due.

Every app server may run it every minute (a timer on each, no leader): one transaction holds
the clock's row (`PublicContentVersion` pk=1) locked from reading when it last looked to
writing now. On PostgreSQL a runner that finds the row locked skips it (`SKIP LOCKED`)
instead of queueing behind it, and logs nothing; the next minute's run covers whatever it
would have seen. On SQLite every transaction takes the write lock when it begins (settings:
transaction_mode IMMEDIATE), so runners queue, and each reads its predecessor's last look.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meetings import caching
from meetings.models import Meeting, PublicContentVersion

from .records import write_log

State = Meeting.State


def record_due_transitions(now=None):
    """Log the meetings that went public or expired by the clock since the last look.

    The public site needs no such step (what is public is decided when it is read); this
    is for the log, and to retire cached pages at once. Returns (went public, expired):
    both empty when another runner holds the clock, or has already looked past `now`.
    """
    # Outside the transaction: of two runners creating the row, the loser reads it.
    PublicContentVersion.objects.get_or_create(pk=1)
    with transaction.atomic():
        clock = PublicContentVersion.objects.select_for_update(skip_locked=True).filter(pk=1)
        clock = clock.first()
        if clock is None:
            return [], []
        # Read once the lock is held, so a runner that waited (SQLite) starts after the
        # look of the one before it.
        now = now or timezone.now()
        if clock.clock_checked_at and clock.clock_checked_at >= now:
            # Another server, its clock a little ahead, already looked past our now.
            return [], []
        since = clock.clock_checked_at or now - timedelta(days=1)
        went_public = list(Meeting.objects.went_public_between(since, now))
        expired = list(Meeting.objects.expired_between(since, now))
        for meeting in went_public:
            write_log(meeting, State.PUBLISHED, "published", comment="Became public by the clock.")
        for meeting in expired:
            write_log(
                meeting, State.PUBLISHED, "expired", comment="Left the public site by the clock."
            )
        clock.clock_checked_at = now
        clock.save(update_fields=["clock_checked_at"])
        if went_public or expired:
            caching.content_changed()
    return went_public, expired
