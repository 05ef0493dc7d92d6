"""The topics vocabulary editors keep, and reading many objects' tags at once."""

import re

from django.db import models
from django.db.models import Q
from taggit.models import Tag, TaggedItem

# A tag as editors type it: “North Korea, G7” is two tags, spaces kept inside a name; a name
# holding a comma is written in double quotes.
_TAG_IN_TEXT = re.compile(r'\s*(?:"([^"]*)"|([^,\n]*))\s*(?:[,\n]|$)')


def tags_from_text(text):
    """Tag names from an editor's input, separated by commas (or lines: the admin's tags box
    grows, and Enter starts a line) but never by spaces (taggit's default split “North
    Korea” into “North” and “Korea” when there was no comma).
    Each name once, whatever its case; sorted. TAGGIT_TAGS_FROM_STRING names this."""
    names = {}
    for quoted, plain in _TAG_IN_TEXT.findall(text or ""):
        name = (quoted if quoted else plain).strip()
        if name:
            names.setdefault(name.casefold(), name)
    return sorted(names.values())


def text_from_tags(tags):
    """Tags as one input that `tags_from_text` reads back: “G7, North Korea”, without
    quotes unless a name holds a comma. TAGGIT_STRING_FROM_TAGS names this."""
    names = sorted((tag.name for tag in tags), key=str.casefold)
    return ", ".join(f'"{name}"' if "," in name else name for name in names)


def parse_synonyms(text):
    """Synonyms as editors type them: one per line, or separated by commas."""
    return [s.strip() for s in re.split(r"[\n,]", text) if s.strip()]


class Topic(models.Model):
    """A tag that editors keep in the topics vocabulary, with the words that mean it.

    The importer tags agenda items and meetings with the topics named in their text, by
    name or synonym, always under the topic's one canonical tag.
    """

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, related_name="topic")
    label = models.CharField(
        max_length=100,
        blank=True,
        help_text="The name shown on public pages, where it should differ from the tag's "
        "(in Japanese, the topic's Japanese name). Empty: the tag's name.",
    )
    synonyms = models.TextField(
        blank=True,
        help_text="Other words for this topic, one per line or separated by commas, "
        "e.g. “DPRK” for North Korea. Matched regardless of case.",
    )

    class Meta:
        ordering = ["tag__name"]

    def __str__(self):
        return self.tag.name

    @property
    def name(self):
        return self.tag.name

    @property
    def shown_name(self):
        return self.label or self.tag.name

    def phrases(self):
        """Its names in both languages and its synonyms: what text that names it contains."""
        names = [self.tag.name, self.label_en, self.label_ja]
        return [*dict.fromkeys(name for name in names if name), *parse_synonyms(self.synonyms)]


class TopicRedirect(models.Model):
    """An address a topic had before it was renamed or merged: it now redirects."""

    old_slug = models.CharField(max_length=100, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects_from")

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.tag.slug}"


class TopicEntryQuerySet(models.QuerySet):
    def public(self):
        """The entries of public meetings: whether an entry shows is its meeting's business."""
        from .meetings import Meeting

        return self.filter(meeting__in=Meeting.objects.published())


class TopicEntry(models.Model):
    """One point of a topic's timeline: an agenda item carrying the topic, or a meeting
    carrying it itself when none of its items does (its lead is quoted).

    Written with the meeting's search document (`meetings.search.indexing`) whenever the
    meeting changes, so that a topic's page counts and pages its entries from one indexed
    table, as cheaply for a topic on 20,000 meetings as on 20, instead of joining tags,
    agenda items and meetings. The date, start time and relations page are the meeting's,
    copied for the timeline's order and filters."""

    # Its indexes below begin with the tag.
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, null=True, related_name="+"
    )
    rank = models.PositiveIntegerField(
        help_text="The item's position in the overview; 0 for the meeting as a whole."
    )
    date = models.DateField()
    start_time = models.TimeField(null=True)
    relations_page = models.ForeignKey(
        "relations.RelationsPage", on_delete=models.CASCADE, related_name="+"
    )

    objects = TopicEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "topic entries"
        indexes = [
            models.Index(
                fields=["tag", "-date", "-start_time", "-meeting", "rank"],
                name="topic_entry_timeline_idx",
            ),
            models.Index(
                fields=["tag", "relations_page", "date"],
                include=["meeting"],
                name="topic_entry_page_idx",
            ),
        ]

    def __str__(self):
        return f"{self.tag_id} on meeting #{self.meeting_id}, item #{self.item_id}"


def shown_name(tag):
    """The name public pages show for a tag: its topic's label in the page's language where
    editors wrote one, else the tag's name.

    Read tags with their topic joined (`select_related("topic")`), or each costs a query."""
    topic = getattr(tag, "topic", None)  # a tag with no topic raises an AttributeError
    return topic.shown_name if topic is not None else tag.name


def attach_tags(objects):
    """Give each meeting or agenda item its tags as `tag_list`, in one query for them all.

    taggit's prefetch costs a query per model and builds a queryset per object; pages and
    feeds that show many objects' tags use this instead.
    """
    objects = list(objects)
    wanted = Q(pk__in=[])
    for model in {type(obj) for obj in objects}:
        wanted |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=[obj.pk for obj in objects if type(obj) is model],
        )
    found = {(type(obj)._meta.model_name, obj.pk): [] for obj in objects}
    rows = TaggedItem.objects.filter(wanted).select_related("tag__topic", "content_type")
    for row in rows.order_by("tag__name"):
        found[(row.content_type.model, row.object_id)].append(row.tag)
    for obj in objects:
        obj.tag_list = found[(type(obj)._meta.model_name, obj.pk)]
    return objects


def tag_list(obj):
    """The object's tags: those `attach_tags` gave it, or else from the database."""
    attached = getattr(obj, "tag_list", None)
    return attached if attached is not None else list(obj.tags.all())


def topic_name(tag):
    """A tag's name as the page's language shows it: its topic's label, or the tag's name."""
    topic = getattr(tag, "topic", None)  # tags outside the vocabulary have no topic row
    return topic.shown_name if topic is not None else tag.name
