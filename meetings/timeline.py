"""What a topic's page shows: its timeline across every relations page, the counts that
filter it by relations page and year, and the topics that go with it.

The timeline's entries are the public agenda items carrying the topic, and the public
meetings carrying it themselves when none of their items does (their lead is quoted), newest
meeting first and items in the order of the overview. Both kinds are read as one list (a
UNION), so a page of entries costs the same few queries however long the topic's history.
"""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import ExtractYear
from taggit.models import Tag

from .models import AgendaItem, Meeting
from .models.readout import anchor_label
from .sharing import summary


def plain_values(queryset, *names):
    """Django's own values(): modeltranslation's adds fallback columns and loses the order
    of the names, which a UNION needs alike on both sides."""
    return queryset.rewrite(False).values(*names)


def public_items(topic):
    return AgendaItem.objects.filter(tags=topic, meeting__in=Meeting.objects.published())


def whole_meetings(topic):
    """Public meetings carrying the topic themselves, none of whose items carries it."""
    return (
        Meeting.objects.published()
        .filter(tags=topic)
        .exclude(pk__in=AgendaItem.objects.filter(tags=topic).values("meeting_id"))
    )


def counts(topic):
    """(year, relations page slug, entries) rows of the topic's whole timeline, in one query."""
    items = public_items(topic).annotate(
        year=ExtractYear("meeting__date"), key=F("meeting__relations_page__slug")
    )
    meetings = whole_meetings(topic).annotate(
        year=ExtractYear("date"), key=F("relations_page__slug")
    )
    rows = (
        plain_values(items, "year", "key")
        .annotate(entries=Count("pk"))
        .order_by()
        .union(
            plain_values(meetings, "year", "key").annotate(entries=Count("pk")).order_by(),
            all=True,
        )
    )
    return [(row["year"], row["key"], row["entries"]) for row in rows]


# The timeline's columns, named alike and in this order on both sides of its UNION.
COLUMNS = ["meeting_key", "item_key", "day", "start", "published", "rank"]


class Timeline:
    """A topic's entries, newest first, optionally of one relations page and one year: a
    Paginator's object list, which reads only the page it shows.

    `total` is how many entries the filters leave, which the counts already know."""

    def __init__(self, topic, *, total, relations=None, year=None):
        self.total = total
        items, meetings = public_items(topic), whole_meetings(topic)
        if relations:
            items = items.filter(meeting__relations_page__slug=relations)
            meetings = meetings.filter(relations_page__slug=relations)
        if year:
            items = items.filter(meeting__date__year=year)
            meetings = meetings.filter(date__year=year)
        items = items.annotate(
            meeting_key=F("meeting_id"),
            item_key=F("pk"),
            day=F("meeting__date"),
            start=F("meeting__start_time"),
            published=F("meeting__published_at"),
            rank=F("position"),
        )
        meetings = meetings.annotate(
            meeting_key=F("pk"),
            item_key=Value(None, output_field=IntegerField()),
            day=F("date"),
            start=F("start_time"),
            published=F("published_at"),
            rank=Value(0, output_field=IntegerField()),
        )
        self.rows = (
            plain_values(items, *COLUMNS)
            .order_by()
            .union(plain_values(meetings, *COLUMNS).order_by(), all=True)
            .order_by("-day", "-start", "-published", "-meeting_key", "rank")
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
