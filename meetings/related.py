"""What a meeting's page offers to read next: the meetings just before and after it under
its relations page, and the meetings that share the most of its topics. Public meetings
only, each list in one query."""

from .models import Meeting
from .models.querysets import in_sequence


def previous_and_next(meeting):
    """(the meeting before it, the meeting after it) under its relations page; either may
    be None."""
    previous = following = None
    for other in Meeting.objects.published().around(meeting).select_related("relations_page"):
        if in_sequence(other) < in_sequence(meeting):
            previous = other
        else:
            following = other
    return previous, following


def related_meetings(meeting, count=4):
    """The public meetings sharing the most topics with this one, newest first among equals."""
    return list(
        Meeting.objects.published()
        .exclude(pk=meeting.pk)
        .sharing_topics(meeting.topics())
        .select_related("relations_page", "meeting_type")[:count]
    )
