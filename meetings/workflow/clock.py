"""What the clock does by itself, written into the log: publications and expiries due."""

from datetime import timedelta

from django.utils import timezone

from meetings import caching
from meetings.models import Meeting, PublicContentVersion

from .records import write_log

State = Meeting.State


def record_due_transitions(now=None):
    """Log the meetings that went public or expired by the clock since the last look.

    The public site needs no such step (what is public is decided when it is read); this
    is for the log, and to retire cached pages at once. Returns (went public, expired).
    """
    now = now or timezone.now()
    clock, _ = PublicContentVersion.objects.get_or_create(pk=1)
    since = clock.clock_checked_at or now - timedelta(days=1)
    went_public = list(Meeting.objects.went_public_between(since, now))
    expired = list(Meeting.objects.expired_between(since, now))
    for meeting in went_public:
        write_log(meeting, State.PUBLISHED, "published", comment="Became public by the clock.")
    for meeting in expired:
        write_log(meeting, State.PUBLISHED, "expired", comment="Left the public site by the clock.")
    clock.clock_checked_at = now
    clock.save(update_fields=["clock_checked_at"])
    if went_public or expired:
        caching.content_changed()
    return went_public, expired
