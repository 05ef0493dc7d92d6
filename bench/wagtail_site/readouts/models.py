"""The portal's content modelled the idiomatic Wagtail way.

    HomePage (site root, /)
    └── RelationsIndexPage (/relations/)
        └── RelationsPage (/relations/<slug>/), one per counterpart
            └── MeetingPage (/relations/<slug>/<yyyy-mm-dd>-<title>/), one per readout

A meeting's participants, photo sessions and agenda items are Orderable children edited
with InlinePanel; its topics are tags (ClusterTaggableManager).
"""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

MEETING_TYPES = [
    ("summit-meeting", "Summit meeting"),
    ("summit-telephone-talk", "Summit telephone talk"),
    ("foreign-ministers-meeting", "Foreign ministers’ meeting"),
    ("foreign-ministers-telephone-talk", "Foreign ministers’ telephone talk"),
    ("courtesy-call", "Courtesy call"),
    ("strategic-dialogue", "Strategic dialogue"),
    ("other", "Other"),
]

# As the portal lists meetings: newest first.
NEWEST_FIRST = ("-date", "-start_time", "-first_published_at", "-id")


def with_relations_pages(meetings):
    """Give each meeting of a list its relations page (`.relations_page`) in one query.

    The naive `meeting.get_parent()` in a template costs a query per row; a Wagtail site
    tuned for listings does this instead, so the comparison is with a reasonably tuned site.
    """
    meetings = list(meetings)
    parent_paths = {m.path[: -Page.steplen] for m in meetings}
    parents = {p.path: p for p in RelationsPage.objects.filter(path__in=parent_paths)}
    for meeting in meetings:
        meeting.relations_page = parents.get(meeting.path[: -Page.steplen])
    return meetings


class HomePage(Page):
    max_count = 1
    subpage_types = ["readouts.RelationsIndexPage"]
    latest_count = 10

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_meetings"] = with_relations_pages(
            MeetingPage.objects.live().order_by(*NEWEST_FIRST)[: self.latest_count]
        )
        return context


class RelationsIndexPage(Page):
    max_count = 1
    parent_page_types = ["readouts.HomePage"]
    subpage_types = ["readouts.RelationsPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["relations_pages"] = (
            RelationsPage.objects.child_of(self).live().order_by("counterpart")
        )
        return context


class RelationsPage(Page):
    counterpart = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("counterpart"), FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["readouts.RelationsIndexPage"]
    subpage_types = ["readouts.MeetingPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = list(self.get_ancestors().filter(depth__gt=1))
        context["meetings"] = MeetingPage.objects.child_of(self).live().order_by(*NEWEST_FIRST)
        return context


class MeetingPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "readouts.MeetingPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class MeetingPage(Page):
    date = models.DateField()
    meeting_type = models.CharField(max_length=50, choices=MEETING_TYPES, default="other")
    start_time = models.TimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    lead = models.TextField()
    tags = ClusterTaggableManager(through=MeetingPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("meeting_type"),
                FieldPanel("start_time"),
                FieldPanel("duration"),
                FieldPanel("place"),
            ],
            heading="The meeting",
        ),
        FieldPanel("lead"),
        InlinePanel("participants", label="Participants"),
        InlinePanel("photo_sessions", label="Photo sessions"),
        InlinePanel("agenda_items", label="Agenda items"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.FilterField("date"),
    ]
    parent_page_types = ["readouts.RelationsPage"]
    subpage_types = []

    @property
    def duration_text(self):
        if self.duration is None:
            return ""
        minutes = round(self.duration.total_seconds() / 60)
        hours, minutes = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
        if minutes or not hours:
            parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        return " and ".join(parts)

    def overview(self):
        """[(item, [sub_item, …]), …] as the page numbers the agenda."""
        overview = []
        for item in self.agenda_items.all():
            if item.is_sub_item and overview:
                overview[-1][1].append(item)
            else:
                overview.append((item, []))
        return overview

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        breadcrumbs = list(self.get_ancestors().filter(depth__gt=1))
        participants = list(self.participants.all())
        context.update(
            breadcrumbs=breadcrumbs,
            relations_page=breadcrumbs[-1],
            overview=self.overview(),
            home_side=[p for p in participants if p.side == "home"],
            counterpart_side=[p for p in participants if p.side == "counterpart"],
            topics=sorted(self.tags.all(), key=lambda tag: tag.name.casefold()),
        )
        return context


class MeetingParticipant(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(
        max_length=20, choices=[("home", "Our side"), ("counterpart", "Counterpart")]
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)

    panels = [FieldPanel("side"), FieldPanel("name"), FieldPanel("title")]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


class MeetingPhotoSession(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="photo_sessions")
    caption = models.CharField(max_length=500)

    panels = [FieldPanel("caption")]


class MeetingAgendaItem(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    text = models.TextField()
    is_sub_item = models.BooleanField(default=False, verbose_name="sub-item")

    panels = [FieldPanel("text"), FieldPanel("is_sub_item")]
