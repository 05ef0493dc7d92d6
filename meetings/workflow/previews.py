"""Preview links: a meeting not yet public, shown to someone outside the admin for a while."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Meeting, PreviewLink

from .actors import person_of, require_publisher

State = Meeting.State


PREVIEW_DAYS = range(1, 15)


def share_preview(meeting, *, by, days):
    """A link showing the meeting as it will look, to someone outside the admin, for `days`."""
    require_publisher(by)
    if days not in PREVIEW_DAYS:
        raise ValidationError(
            f"A preview link lasts from {PREVIEW_DAYS[0]} to {PREVIEW_DAYS[-1]} days."
        )
    if meeting.state == State.TAKEN_DOWN:
        raise ValidationError("This meeting was taken down: there is nothing to preview.")
    return PreviewLink.objects.create(
        meeting=meeting, created_by=person_of(by), expires_at=timezone.now() + timedelta(days=days)
    )


def revoke_preview(link, *, by):
    require_publisher(by)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
