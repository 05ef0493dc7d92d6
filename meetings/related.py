"""What a meeting's page offers to read next: the meetings just before and after it under
its relations page, and the meetings that share the most of its topics. Public meetings
only, each list in a few queries whatever the size of the archive."""

from collections import defaultdict

from django.db.models import F

from .models import AgendaItem, Meeting
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


# How many public meetings on each side of a meeting's date are weighed for its related
# meetings: enough to find the closest matches in any real archive, few enough that the
# page costs the same with 50,000 meetings as with 50.
NEIGHBOURS_WEIGHED = 100


def related_meetings(meeting, count=4):
    """The public meetings sharing the most topics with this one (its own or its items'),
    newest first among equals, among its neighbours in time: `NEIGHBOURS_WEIGHED` on
    each side of its date. Two queries (one when none shares a topic)."""
    topics = meeting.topics()
    if not topics:
        return []
    shared, dates = topics_shared_by_neighbours(meeting, topics)
    closest = sorted(shared, key=lambda pk: (len(shared[pk]), dates[pk], pk), reverse=True)
    chosen = closest[:count]
    found = Meeting.objects.filter(pk__in=chosen).select_related("relations_page", "meeting_type")
    return sorted(found, key=lambda other: chosen.index(other.pk))


def topics_shared_by_neighbours(meeting, topics):
    """({meeting id: the ids of the topics it carries among these}, {meeting id: its date})
    for the meeting's public neighbours in time that carry any, themselves or through an
    agenda item; in one query, each part walking an index. (The columns are expressions:
    a union of plain field names may line them up in different orders.)"""
    parts = []
    for side in Meeting.objects.published().either_side_of(meeting):
        neighbours = side.values("pk")[:NEIGHBOURS_WEIGHED]
        parts.append(
            Meeting.objects.filter(pk__in=neighbours, tags__in=topics)
            .order_by()
            .values_list(F("pk"), F("date"), F("tags"))
        )
        parts.append(
            AgendaItem.objects.filter(meeting__in=neighbours, tags__in=topics)
            .order_by()
            .values_list(F("meeting"), F("meeting__date"), F("tags"))
        )
    shared, dates = defaultdict(set), {}
    for meeting_id, date, tag_id in parts[0].union(*parts[1:], all=True):
        shared[meeting_id].add(tag_id)
        dates[meeting_id] = date
    return shared, dates
