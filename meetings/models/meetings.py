"""Meetings, their types and the one publication rule (`Meeting.objects.published()`)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from relations.models import RelationsPage

from .fields import user_field
from .querysets import MeetingQuerySet
from .readout import Participant, anchor_label, group_sub_items, numbered_anchors
from .topics import tag_list


class MeetingTypeQuerySet(models.QuerySet):
    def by_precedence(self):
        """The order in which types claim a title their rules tie on: first one wins."""
        return self.order_by("precedence", "position", "name")


class MeetingType(models.Model):
    """A kind of meeting (summit meeting, telephone talk, …); editors extend the list."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveIntegerField(
        default=0, help_text="Order of the types on public pages, e.g. in search filters."
    )
    title_phrases = models.TextField(
        blank=True,
        help_text="How the importer recognises this type in a meeting's title: one rule per "
        "line, phrases joined by “+” must all appear, e.g. “summit + telephone”. The type "
        "whose matching rule joins the most phrases wins; between equally long rules, "
        "precedence decides.",
    )
    precedence = models.PositiveIntegerField(
        default=0,
        help_text="When a title meets equally long rules of several types, the type with the "
        "lower number wins: the list of types is in this order. Give specific kinds "
        "(telephone talks, courtesy calls, working lunches) lower numbers than general ones "
        "(summit meeting, foreign ministers’ meeting). New types start at 0, ahead of the "
        "defaults.",
    )

    objects = MeetingTypeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """The readout of one diplomatic meeting, published under a relations page."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"  # scheduled while its publication time is ahead
        TAKEN_DOWN = "taken_down", "Taken down"

    class Takedown(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn: the page stays, with a withdrawal notice"
        IN_ERROR = "in_error", "Published in error: the page is gone (410)"
        MERGED = "merged", "Merged into another meeting: the page redirects to it"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relations_page = models.ForeignKey(
        RelationsPage, on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=300,
        blank=True,
        help_text="Part of the address; made from the title when left empty.",
    )
    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.PROTECT, related_name="meetings", verbose_name="type"
    )
    date = models.DateField()
    start_time = models.TimeField(
        null=True, blank=True, help_text="Local time the meeting began, where known."
    )
    duration = models.DurationField(
        null=True,
        blank=True,
        help_text="Approximate length, e.g. “45 minutes”, “1 hour and 10 minutes” or “1:10”.",
    )
    place = models.CharField(max_length=200, blank=True, help_text="Empty for telephone talks.")
    lead = models.TextField(
        help_text="The opening paragraphs, up to the overview. Separate paragraphs by a blank line."
    )
    state = models.CharField(max_length=20, choices=State, default=State.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="publication time",
        help_text="The public sees the meeting from this time on. Empty: now, on publishing.",
    )
    created_by = user_field(blank=True, editable=False)
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="expiry time",
        help_text="Optional: the meeting leaves the public site at this time by itself.",
    )
    submitted_by = user_field(
        blank=True, help_text="Who sent it for review; they may not approve it themselves."
    )
    review_comment = models.TextField(
        blank=True, help_text="The reviewer's comment when the meeting was sent back."
    )
    unreviewed = models.BooleanField(
        default=False,
        verbose_name="published without review",
        help_text="Published in an emergency; waits for another publisher's approval.",
    )
    takedown = models.CharField(max_length=20, choices=Takedown, blank=True)
    takedown_note = models.TextField(
        blank=True, verbose_name="explanation", help_text="Shown with a withdrawal notice."
    )
    taken_down_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    draft_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        editable=False,
        help_text="The published meeting this draft corrects; approving it updates that one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts every change (a save, an import, a restore, a workflow step); a "
        "form or a review opened at an older version is refused.",
    )
    submitted_version = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="The version sent for review."
    )
    changed_in_review_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Who changed the content since it was sent for review: they may not approve it.",
    )

    tags = TaggableManager(
        blank=True, help_text="Topics of the whole meeting, separated by commas."
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        permissions = [("publish_meeting", "Can publish, schedule and unpublish meetings")]
        constraints = [
            models.UniqueConstraint(
                fields=["relations_page", "date", "slug"],
                condition=Q(draft_of__isnull=True),
                name="meeting_slug_unique_per_page_and_date",
            ),
            models.UniqueConstraint(
                fields=["draft_of"],
                condition=Q(draft_of__isnull=False),
                name="meeting_one_open_correction",
                violation_error_message="This meeting already has a correction being drafted.",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="meeting_published_has_publication_time",
                violation_error_message="A published meeting needs a publication time.",
            ),
            models.CheckConstraint(
                condition=Q(duration__isnull=True) | Q(duration__gt=timezone.timedelta(0)),
                name="meeting_duration_positive",
                violation_error_message="A duration must be longer than zero.",
            ),
        ]
        indexes = [
            # Covering `published()` and the columns search and topic pages count by:
            # PostgreSQL lists the public meetings from the index alone, without reading
            # the wide rows (at 50,000 meetings, 8 ms against 37).
            models.Index(
                fields=["state", "published_at"],
                include=["expires_at", "id", "date", "relations_page", "meeting_type"],
                name="meeting_publication_idx",
            ),
            models.Index(fields=["relations_page", "-date"], name="meeting_page_date_idx"),
            models.Index(fields=["-date"], name="meeting_date_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = self.slug or self.slug_from_title()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "relations:meeting",
            kwargs={
                "page_slug": self.relations_page.slug,
                "year": self.date.year,
                "month": self.date.month,
                "day": self.date.day,
                "slug": self.slug,
            },
        )

    def clean(self):
        self.slug = self.slug or self.slug_from_title()
        if self.relations_page_id and self.date and self.slug:
            clash = self.address_clash()
            if clash is not None:
                raise ValidationError(
                    {
                        "slug": "Another meeting under this relations page on this date already "
                        f"has the address “{self.slug}” (“{clash}”). Choose a different date or "
                        "slug."
                    }
                )

    def address_clash(self):
        """Another meeting already at this meeting's address, or None.

        A correction shares the address of the meeting it corrects, so that one is no clash."""
        others = Meeting.objects.at(self.relations_page_id, self.date, self.slug).exclude(
            pk=self.pk
        )
        if self.draft_of_id:
            others = others.exclude(pk=self.draft_of_id)
        return others.first()

    def slug_from_title(self):
        return slugify(self.title)[: self._meta.get_field("slug").max_length] or "meeting"

    @property
    def guid(self):
        """An identifier for feeds that survives changes of title, slug or host."""
        return f"urn:uuid:{self.uuid}"

    @property
    def has_japanese(self):
        """Whether editors wrote the readout in Japanese too (its title and lead at least);
        a Japanese page shows any other one in English, saying so."""
        return bool(self.title_ja and self.lead_ja)

    @property
    def is_public(self):
        return MeetingQuerySet.includes_published(self)

    def has_been_public(self):
        """Whether the public may have seen the meeting: then it is never deleted, only
        taken down, which keeps its revisions and its address's answer. A correction's draft
        never was (the public saw the meeting it corrects)."""
        if self.draft_of_id:
            return False
        if self.state == self.State.TAKEN_DOWN:
            return True
        if self.state == self.State.PUBLISHED and self.published_at <= timezone.now():
            return True
        # Once published at once or by the clock (not merely scheduled), or taken down.
        return self.publication_log.filter(
            Q(to_state=self.State.PUBLISHED, published_at__lte=F("at"))
            | Q(to_state=self.State.TAKEN_DOWN)
        ).exists()

    @property
    def duration_text(self):
        return describe_duration(self.duration)

    @property
    def participants_on_home(self):
        return [p for p in self.participants.all() if p.side == Participant.Side.HOME]

    @property
    def participants_on_counterpart(self):
        return [p for p in self.participants.all() if p.side == Participant.Side.COUNTERPART]

    def photos_to_show(self):
        """The photos its public page shows: not captions still waiting for their image
        (imports bring captions first), which would look unfinished. Read from the prefetched
        rows (`with_readout()`), so a page costs no query more."""
        return [photo for photo in self.photo_sessions.all() if photo.image]

    def topics(self):
        """The meeting's own tags and its agenda items' tags, by name."""
        tags = {tag.pk: tag for tag in tag_list(self)}
        for item in self.agenda_items.all():
            tags.update((tag.pk, tag) for tag in tag_list(item))
        # A tag whose name has no letters or digits gets no slug, and so no topic page.
        return sorted(
            (tag for tag in tags.values() if tag.slug), key=lambda tag: tag.name.casefold()
        )

    def overview(self):
        """The agenda as the page numbers it: [(item, [sub_item, …]), …]."""
        return numbered_overview(self.agenda_items.all())


def describe_duration(duration):
    """45 minutes, 1 hour, 1 hour and 10 minutes (in the language of the page)."""
    if duration is None:
        return ""
    minutes = round(duration.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if hours and minutes:
        return _("%(hours)s and %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}
    return hours_text if hours else minutes_text


def numbered_overview(agenda_items):
    """Group ordered agenda items into top-level items and the sub-items under each, and
    give each item its `anchor` (item-2, item-2-1) and `label` (2, 2 (1))."""
    agenda_items = list(agenda_items)
    anchors = numbered_anchors([(id(item), item.is_sub_item) for item in agenda_items])
    for item in agenda_items:
        item.anchor = anchors[id(item)]
        item.label = anchor_label(item.anchor)
    return group_sub_items(agenda_items, lambda item: item.is_sub_item)
