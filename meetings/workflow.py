"""Publication state changes of meetings, who may make them, and their log.

Every change of publication state goes through a function here, never through `save()` or
a signal: each checks the person's permission (when one is acting; commands act as the
site), records the change in the publication log, and retires cached public pages.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .caching import content_changed
from .models import Meeting, PublicationLogEntry

PUBLISH_PERMISSION = "meetings.publish_meeting"


def can_publish(user):
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def require_publisher(user):
    if not can_publish(user):
        raise PermissionDenied("Only publishers may publish, schedule or unpublish meetings.")


def publish(meeting, at=None, *, by=None, comment=""):
    """Make the meeting public at `at` (now by default); a future time schedules it."""
    require_publisher(by)
    from_state = meeting.state
    meeting.state = Meeting.State.PUBLISHED
    meeting.published_at = at or meeting.published_at or timezone.now()
    meeting.save(update_fields=["state", "published_at", "updated_at"])
    log(meeting, from_state, by=by, comment=comment)
    return meeting


def unpublish(meeting, *, by=None, comment=""):
    """Take the meeting down to a draft; it keeps its first publication time."""
    require_publisher(by)
    from_state = meeting.state
    meeting.state = Meeting.State.DRAFT
    meeting.save(update_fields=["state", "updated_at"])
    log(meeting, from_state, by=by, comment=comment)
    return meeting


def log(meeting, from_state, *, by=None, comment=""):
    """Record a publication change that has been saved, and retire cached pages."""
    PublicationLogEntry.objects.create(
        meeting=meeting,
        meeting_title=meeting.title,
        actor=by,
        from_state=from_state or "",
        to_state=meeting.state,
        published_at=meeting.published_at if meeting.state == Meeting.State.PUBLISHED else None,
        comment=comment,
    )
    content_changed()
