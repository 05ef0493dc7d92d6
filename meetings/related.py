"""What a meeting's page offers to read next: the meetings just before and after it under
its relations page, and the meetings that share the most of its topics. Public meetings
only, each list in a few queries whatever the size of the archive."""

from collections import defaultdict

from django.db import connection

from .models import Meeting, TopicEntry
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
    each side of its date. Four queries: three when none shares a topic, two when it has
    no neighbours."""
    topics = meeting.topics()
    if not topics:
        return []
    neighbours = {}
    for side in Meeting.objects.published().either_side_of(meeting):
        neighbours.update(side.values_list("pk", "date")[:NEIGHBOURS_WEIGHED])
    shared = topics_shared(list(neighbours), [topic.pk for topic in topics])
    closest = sorted(shared, key=lambda pk: (len(shared[pk]), neighbours[pk], pk), reverse=True)
    chosen = closest[:count]
    found = (
        Meeting.objects.filter(pk__in=chosen)
        .select_related("relations_page", "meeting_type")
        .only(*LISTED)
    )
    return sorted(found, key=lambda other: chosen.index(other.pk))


# What a list of meetings shows of each (includes/meeting_list.html).
LISTED = [
    "title",
    "date",
    "slug",
    "relations_page__slug",
    "relations_page__counterpart",
    "meeting_type__name",
]


def topics_shared(meeting_ids, topic_ids):
    """{meeting id: the ids of the topics it carries among these}, for those of the
    meetings carrying any, itself or through an agenda item; in one query.

    Read from the topics' timelines (TopicEntry: a row per meeting or item carrying a
    topic), which answer from one index what joining tags to agenda items took a merge
    over every item to find. Written out: through the ORM it costs more to build than
    to run, on every meeting page."""
    shared = defaultdict(set)
    if not meeting_ids:
        return shared
    sql = (
        f"SELECT DISTINCT meeting_id, tag_id FROM {TopicEntry._meta.db_table} "
        f"WHERE meeting_id IN ({', '.join(['%s'] * len(meeting_ids))}) "
        f"AND tag_id IN ({', '.join(['%s'] * len(topic_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*meeting_ids, *topic_ids])
        for meeting_id, tag_id in cursor.fetchall():
            shared[meeting_id].add(tag_id)
    return shared
