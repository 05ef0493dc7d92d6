"""Archive back-fill: readouts of meetings long past, published at their own dates.

A ministry moving to the portal brings years of readouts. Published the usual way, each
would be published now: the feeds would list a 2019 readout as the newest item and the
sitemap would say every page changed today. A back-filled meeting is published instead
with its own date as the publication time, and its log row is marked `backfill`, so
nothing dates it by the day of the import: feeds order it at its date, and its last public
change (the sitemap's lastmod, the feeds' updated times, the page's modified time) is that
date. Nothing is announced: no one is emailed. Cached pages are still retired, since the
archive and its relations page now list it.

Only new meetings are back-filled (the importer skips one already on the portal): a
meeting there was published, or is being edited, on its own terms.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting

from .actors import require_publisher
from .records import locked, move, require_state

State = Meeting.State

COMMENT = "Archive back-fill: published at the meeting's own date, not announced as new."

# When a readout gives no start time: its meeting took place that day, some time.
NOON = time(12)
LAST_MINUTE = time(23, 59)


def backfill_publication_time(day, start_time=None, duration=None, *, now=None):
    """When a back-filled meeting became public, in the ministry's time zone: at the end of
    the meeting (its start time plus its duration, as far as the readout gives them), or
    at noon; never after its own day, nor after now. A day still to come is refused."""
    zone = timezone.get_default_timezone()
    now = now or timezone.now()
    if day > timezone.localdate(now, zone):
        raise ValidationError(
            f"The meeting is dated {day:%B} {day.day}, {day.year}, in the future: an archive "
            "back-fill publishes only meetings that have taken place."
        )
    if start_time is None:
        local = datetime.combine(day, NOON)
    else:
        local = datetime.combine(day, start_time)
        if duration:
            local = min(local + duration, datetime.combine(day, LAST_MINUTE))
    return min(timezone.make_aware(local, zone), now)


@transaction.atomic
def backfill(meeting, *, by):
    """Publish a new meeting from the archive, at its own date, without announcing it."""
    require_publisher(by)
    locked(meeting)
    require_state(meeting, State.DRAFT)
    if meeting.draft_of_id:
        raise ValidationError("A correction is published by approval, not back-filled.")
    meeting.published_at = backfill_publication_time(
        meeting.date, meeting.start_time, meeting.duration
    )
    return move(meeting, State.PUBLISHED, by=by, comment=COMMENT, backfill=True)
