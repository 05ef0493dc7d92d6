"""What a topic's page shows: its timeline across every relations page, the counts that
filter it by relations page and year, and the topics that go with it.

The timeline's entries are the public agenda items carrying the topic, and the public
meetings carrying it themselves when none of their items does (their lead is quoted), newest
meeting first and items in the order of the overview. They are read from `TopicEntry`, one
row per entry written with each meeting's search document, so that the counts and a page of
entries cost the same few indexed queries however long the topic's history.
"""

from dataclasses import dataclass

from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from taggit.models import Tag

from .models import AgendaItem, Meeting, TopicEntry
from .models.readout import anchor_label
from .sharing import summary


def public_entries(topic):
    return TopicEntry.objects.public().filter(tag=topic)


def counts(topic):
    """(year, relations page slug, entries) rows of the topic's whole timeline, in one query."""
    return list(
        public_entries(topic)
        .values(year=ExtractYear("date"), key=F("relations_page__slug"))
        .annotate(entries=Count("pk"))
        .order_by()
        .values_list("year", "key", "entries")
    )


class Timeline:
    """A topic's entries, newest first, optionally of one relations page and one year: a
    Paginator's object list, which reads only the page it shows.

    `total` is how many entries the filters leave, which the counts already know."""

    def __init__(self, topic, *, total, relations=None, year=None):
        self.total = total
        entries = public_entries(topic)
        if relations:
            entries = entries.filter(relations_page__slug=relations)
        if year:
            entries = entries.filter(date__year=year)
        self.rows = entries.order_by("-date", "-start_time", "-meeting", "rank").values(
            meeting_key=F("meeting"), item_key=F("item")
        )

    def count(self):
        return self.total

    def __getitem__(self, index):
        return entries(self.rows[index])


@dataclass
class Entry:
    """One point of the timeline: an agenda item, or a meeting on the topic as a whole."""

    meeting: Meeting
    item: AgendaItem | None = None
    anchor: str = ""

    @property
    def url(self):
        url = self.meeting.get_absolute_url()
        return f"{url}#{self.anchor}" if self.anchor else url

    @property
    def label(self):
        """The item's number as the meeting's page shows it: "2 (1)"."""
        return anchor_label(self.anchor) if self.anchor else ""

    @property
    def quote(self):
        return summary(self.item.text if self.item else self.meeting.lead, 400)


def entries(rows):
    """The entries of these timeline rows, with their meetings and items, in 3 queries."""
    rows = list(rows)
    meetings = Meeting.objects.select_related("relations_page", "meeting_type").in_bulk(
        {row["meeting_key"] for row in rows}
    )
    items = AgendaItem.objects.in_bulk([row["item_key"] for row in rows if row["item_key"]])
    anchors = AgendaItem.objects.anchors(list(meetings))
    return [
        Entry(
            meeting=meetings[row["meeting_key"]],
            item=items.get(row["item_key"]),
            anchor=anchors.get(row["item_key"], ""),
        )
        for row in rows
    ]


# How many of a topic's most recent public meetings are weighed for the topics that go with
# it: the company it keeps lately, at the same cost for a topic on 50,000 meetings as on 5.
RECENT_MEETINGS_WEIGHED = 500


def related_topics(topic, count=8):
    """The topics that go with this one on most of its recent public meetings (on the
    meeting or one of its agenda items), the most first, then by name; in one query.

    It reads the topics each meeting carries from its search document, which holds them
    for the search's own counts (`SearchDocument.topics`)."""
    recent = (
        Meeting.objects.published()
        .filter(search_document__topics=topic)
        .order_by("-date", "-pk")
        .values("pk")[:RECENT_MEETINGS_WEIGHED]
    )
    return (
        Tag.objects.filter(search_documents__in=recent)
        .exclude(pk=topic.pk)
        .exclude(slug="")
        .select_related("topic")
        .annotate(meetings=Count("search_documents"))
        .order_by("-meetings", "name")[:count]
    )
