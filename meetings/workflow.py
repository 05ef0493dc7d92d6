"""Publication state changes of meetings.

The full review workflow (review, approval, scheduling) builds on these; every change of
publication state goes through a function here, never through `save()` or a signal.
"""

from django.utils import timezone

from .caching import content_changed
from .models import Meeting


def publish(meeting, at=None):
    """Make the meeting public at `at` (now by default); a future time schedules it."""
    meeting.state = Meeting.State.PUBLISHED
    meeting.published_at = at or meeting.published_at or timezone.now()
    meeting.save(update_fields=["state", "published_at", "updated_at"])
    content_changed()
    return meeting


def unpublish(meeting):
    """Take the meeting down to a draft; it keeps its first publication time."""
    meeting.state = Meeting.State.DRAFT
    meeting.save(update_fields=["state", "updated_at"])
    content_changed()
    return meeting
