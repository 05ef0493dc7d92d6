"""What a meeting's page offers to read next: the meetings just before and after it under
its relations page, and the meetings that share the most of its topics. Public meetings
only, each list in a few queries whatever the size of the archive."""

from collections import defaultdict

from django.db import connection

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

# The topics carried by some meetings, themselves or through an agenda item. Written out:
# the same through the ORM costs more to build than to run, on every meeting page.
TOPICS_CARRIED = """
SELECT tagged.object_id, tagged.tag_id FROM taggit_taggeditem tagged
WHERE tagged.content_type_id = (
    SELECT id FROM django_content_type WHERE app_label = 'meetings' AND model = 'meeting'
)
  AND tagged.object_id IN ({meetings}) AND tagged.tag_id IN ({topics})
UNION ALL
SELECT item.meeting_id, tagged.tag_id FROM taggit_taggeditem tagged
JOIN meetings_agendaitem item ON item.id = tagged.object_id
WHERE tagged.content_type_id = (
    SELECT id FROM django_content_type WHERE app_label = 'meetings' AND model = 'agendaitem'
)
  AND item.meeting_id IN ({meetings}) AND tagged.tag_id IN ({topics})
"""


def topics_shared(meeting_ids, topic_ids):
    """{meeting id: the ids of the topics it carries among these}, for those of the
    meetings carrying any, itself or through an agenda item; in one query."""
    shared = defaultdict(set)
    if not meeting_ids:
        return shared
    sql = TOPICS_CARRIED.format(
        meetings=", ".join(["%s"] * len(meeting_ids)),
        topics=", ".join(["%s"] * len(topic_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*meeting_ids, *topic_ids, *meeting_ids, *topic_ids])
        for meeting_id, tag_id in cursor.fetchall():
            shared[meeting_id].add(tag_id)
    return shared
