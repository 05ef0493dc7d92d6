import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from relations.models import RelationsPage


class MeetingType(models.Model):
    """A kind of meeting (summit meeting, telephone talk, …); editors extend the list."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in lists and menus.")
    title_phrases = models.TextField(
        blank=True,
        help_text="How the importer recognises this type in a meeting's title: one rule per "
        "line, phrases joined by “+” must all appear, e.g. “summit + telephone”. The type "
        "with the longest matching rule wins.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class MeetingQuerySet(models.QuerySet):
    """Every rule about what is public, scheduled, expired or due, and every lookup of a
    meeting by its address: callers use these methods and never restate them."""

    def published(self):
        """What the public may see: published, its time come, its expiry (if any) not."""
        now = timezone.now()
        return self.filter(state=Meeting.State.PUBLISHED, published_at__lte=now).exclude(
            expires_at__lte=now
        )

    @staticmethod
    def includes_published(meeting, now=None):
        """Whether `published()` includes this meeting: the same rule, in memory."""
        now = now or timezone.now()
        return (
            meeting.state == Meeting.State.PUBLISHED
            and meeting.published_at is not None
            and meeting.published_at <= now
            and not (meeting.expires_at is not None and meeting.expires_at <= now)
        )

    def approved(self):
        """Published, whether its time has come or not, expired or not."""
        return self.filter(state=Meeting.State.PUBLISHED)

    def scheduled(self):
        """Approved, to become public at a time still to come."""
        return self.approved().filter(published_at__gt=timezone.now())

    def expired(self):
        """Approved, and gone from the public site at its expiry time."""
        return self.approved().filter(expires_at__lte=timezone.now())

    def went_public_between(self, since, until):
        return self.approved().filter(published_at__gt=since, published_at__lte=until)

    def expired_between(self, since, until):
        return self.approved().filter(expires_at__gt=since, expires_at__lte=until)

    def next_scheduled_change(self):
        """The earliest time still to come at which one of these goes public or expires."""
        now = timezone.now()
        upcoming = self.approved().aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=now)),
            expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        times = [time for time in upcoming.values() if time is not None]
        return min(times) if times else None

    def taken_down(self):
        """Meetings taken down after publication; their addresses answer for them."""
        return self.filter(state=Meeting.State.TAKEN_DOWN)

    def withdrawn(self):
        """Taken down with a notice: their pages stay public, with the notice."""
        return self.taken_down().filter(takedown=Meeting.Takedown.WITHDRAWN)

    def with_public_page(self):
        """Meetings whose page the public sees: published ones and withdrawn ones."""
        return self.filter(Q(pk__in=self.published().values("pk")) | Q(pk__in=self.withdrawn()))

    def live(self):
        """Meetings themselves, not drafts correcting them."""
        return self.filter(draft_of__isnull=True)

    def at(self, relations_page, date, slug):
        """The meeting at an address (there is at most one), corrections aside."""
        return self.live().filter(relations_page=relations_page, date=date, slug=slug)

    def at_address(self, *, page_slug, year, month, day, slug):
        """The meeting at the address of its public page, as the URL spells it."""
        return self.live().filter(
            relations_page__slug=page_slug,
            date__year=year,
            date__month=month,
            date__day=day,
            slug=slug,
        )

    def formerly_at_address(self, *, page_slug, year, month, day, slug):
        """Meetings a correction moved away from that address."""
        return self.filter(
            pk__in=FormerAddress.objects.filter(
                relations_page__slug=page_slug,
                date__year=year,
                date__month=month,
                date__day=day,
                slug=slug,
            ).values("meeting_id")
        )

    def carrying_topic(self, tag):
        """Meetings tagged with the topic, themselves or through one of their agenda items."""
        return self.filter(
            Q(pk__in=Meeting.objects.filter(tags=tag).values("pk"))
            | Q(pk__in=AgendaItem.objects.filter(tags=tag).values("meeting_id"))
        )

    def newest_first(self):
        return self.order_by("-date", "-start_time", "-published_at", "-pk")

    def for_listing(self):
        """Meetings with what a list row shows: type, relations page."""
        return self.select_related("meeting_type", "relations_page").newest_first()

    def for_feed(self):
        """Newest publications first: what a subscriber has not seen yet."""
        return (
            self.select_related("meeting_type", "relations_page")
            .prefetch_related("change_notes")
            .order_by("-published_at", "-pk")
        )

    def with_readout(self):
        """A meeting with everything its page renders but tags (see `attach_tags`)."""
        return self.select_related("meeting_type", "relations_page").prefetch_related(
            "participants", "photo_sessions", "agenda_items", "change_notes"
        )


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="expiry time",
        help_text="Optional: the meeting leaves the public site at this time by itself.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who sent it for review; they may not approve it themselves.",
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
            models.Index(fields=["state", "published_at"], name="meeting_publication_idx"),
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
            "meetings:detail",
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
    def is_public(self):
        return MeetingQuerySet.includes_published(self)

    @property
    def duration_text(self):
        return describe_duration(self.duration)

    @property
    def participants_on_home(self):
        return [p for p in self.participants.all() if p.side == Participant.Side.HOME]

    @property
    def participants_on_counterpart(self):
        return [p for p in self.participants.all() if p.side == Participant.Side.COUNTERPART]

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
    """45 minutes, 1 hour, 1 hour and 10 minutes."""
    if duration is None:
        return ""
    minutes = round(duration.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts)


def numbered_overview(agenda_items):
    """Group ordered agenda items into top-level items and the sub-items under each."""
    overview = []
    for item in agenda_items:
        if item.is_sub_item and overview:
            overview[-1][1].append(item)
        else:
            overview.append((item, []))
    return overview


class OrderedRowQuerySet(models.QuerySet):
    """Child rows of a meeting, ordered by a position that is unique per meeting."""

    def make_room(self):
        """Move these rows past every position in use, so they can be renumbered freely."""
        return self.update(position=F("position") + 1_000_000)


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
    rows = TaggedItem.objects.filter(wanted).select_related("tag", "content_type")
    for row in rows.order_by("tag__name"):
        found[(row.content_type.model, row.object_id)].append(row.tag)
    for obj in objects:
        obj.tag_list = found[(type(obj)._meta.model_name, obj.pk)]
    return objects


def tag_list(obj):
    """The object's tags: those `attach_tags` gave it, or else from the database."""
    attached = getattr(obj, "tag_list", None)
    return attached if attached is not None else list(obj.tags.all())


def public_tags():
    """The tags carried by published meetings or by their agenda items."""
    published = Meeting.objects.published()
    on_meetings = Tag.objects.filter(
        taggit_taggeditem_items__content_type__app_label="meetings",
        taggit_taggeditem_items__content_type__model="meeting",
        taggit_taggeditem_items__object_id__in=published.values("pk"),
    )
    on_items = Tag.objects.filter(
        taggit_taggeditem_items__content_type__app_label="meetings",
        taggit_taggeditem_items__content_type__model="agendaitem",
        taggit_taggeditem_items__object_id__in=AgendaItem.objects.filter(
            meeting__in=published
        ).values("pk"),
    )
    return Tag.objects.filter(
        Q(pk__in=on_meetings.values("pk")) | Q(pk__in=on_items.values("pk"))
    ).exclude(slug="")


class Participant(models.Model):
    class Side(models.TextChoices):
        HOME = "home", "Our side"
        COUNTERPART = "counterpart", "Counterpart"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(max_length=20, choices=Side, default=Side.HOME)
    name = models.CharField(
        max_length=200, help_text="As written, with honorific: “Mr. HAYASHI Yoshimasa”."
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="E.g. “Minister for Foreign Affairs of Japan”."
    )
    position = models.PositiveIntegerField(default=0)

    objects = OrderedRowQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="participant_position_unique_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


def validate_photo(image):
    if image.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            f"The photo is {image.size / 1_048_576:.1f} MB; the largest allowed is "
            f"{settings.PHOTO_MAX_BYTES / 1_048_576:.0f} MB."
        )
    name = image.name.rsplit(".", 1)[-1].lower() if "." in image.name else ""
    if name not in {"jpg", "jpeg", "png", "gif", "webp"}:
        raise ValidationError("Upload a JPEG, PNG, GIF or WebP photo.")


def photo_upload_path(instance, filename):
    """An unguessable name, so a photo cannot be found before its meeting is public.

    Neither the uploaded file's name nor the date shows in it; only the extension is kept
    (lower-cased, and only a photo's), for the content type the file is served with."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = f".{extension}" if extension in {"jpg", "jpeg", "png", "gif", "webp"} else ""
    return f"photos/{uuid.uuid4().hex}{suffix}"


class PhotoSession(models.Model):
    """A photo of the meeting with its caption; the image may come later than the caption."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photo_sessions")
    image = models.ImageField(
        upload_to=photo_upload_path,
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_photo],
        help_text="JPEG, PNG, GIF or WebP. Until one is uploaded, the caption is shown alone.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(max_length=500)
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. Required with an image.",
    )
    credit = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = OrderedRowQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "photo session"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="photo_session_position_unique_per_meeting"
            )
        ]

    def __str__(self):
        return self.caption

    def clean(self):
        if self.image and not self.alt_text.strip():
            raise ValidationError(
                {"alt_text": "Describe what the photo shows, for readers who cannot see it."}
            )


class AgendaItem(models.Model):
    """One point of a meeting's overview.

    Items are kept flat and in order; a sub-item belongs to the nearest top-level item
    above it. Numbers are derived from that order, so they can never skip or repeat, and
    sub-items can only be one level deep.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    is_sub_item = models.BooleanField(
        default=False,
        verbose_name="sub-item",
        help_text="Numbered (1), (2), … under the item above it.",
    )
    text = models.TextField()
    tags = TaggableManager(blank=True, help_text="Topics of this item, separated by commas.")

    objects = OrderedRowQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "agenda item"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique_per_meeting"
            )
        ]

    def __str__(self):
        return self.text[:80]


class PublicContentVersion(models.Model):
    """One row that changes whenever what the public sees may have changed.

    Cached public pages are keyed by its version, so bumping it retires them all at once, in
    every process. `next_change_at` is the earliest scheduled publication still to come: the
    public view changes then with no one acting, so the version is bumped when it passes.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    next_change_at = models.DateTimeField(null=True, blank=True)
    clock_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When record_due_transitions last looked."
    )

    class Meta:
        verbose_name = "public content version"

    def __str__(self):
        return f"version {self.version}"


class Topic(models.Model):
    """A tag that editors keep in the topics vocabulary, with the words that mean it.

    The importer tags agenda items and meetings with the topics named in their text, by
    name or synonym, always under the topic's one canonical tag.
    """

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, related_name="topic")
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

    def phrases(self):
        from .importing.vocabulary import parse_synonyms

        return [self.tag.name, *parse_synonyms(self.synonyms)]


class TopicRedirect(models.Model):
    """An address a topic had before it was renamed or merged: it now redirects."""

    old_slug = models.CharField(max_length=100, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects_from")

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.tag.slug}"


class PublicationLogEntry(models.Model):
    """One change of a meeting's publication state: who, when, from what to what, and why.

    Rows are only ever added (by `workflow`); the admin shows them and lets no one edit them.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, related_name="publication_log"
    )
    meeting_title = models.CharField(max_length=300, help_text="As it was at the time.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for changes made by a command or by the clock.",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    published_at = models.DateTimeField(null=True, blank=True, verbose_name="publication time")
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version of the meeting's content the step acted on."
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "publication log entry"
        verbose_name_plural = "publication log"

    def __str__(self):
        return f"{self.meeting_title}: {self.from_state or '—'} → {self.to_state}"


class FormerAddress(models.Model):
    """An address a published meeting had before a correction moved it: it redirects (301)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="former_addresses")
    relations_page = models.ForeignKey(RelationsPage, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    slug = models.SlugField(max_length=300)
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-moved_at"]
        verbose_name_plural = "former addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["relations_page", "date", "slug"], name="former_address_unique"
            )
        ]

    def __str__(self):
        return f"{self.relations_page.slug}/{self.date:%Y/%m/%d}/{self.slug} → {self.meeting}"


class PreviewLink(models.Model):
    """A link that shows a meeting not yet public to someone outside the admin, for a while."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="preview_links")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of {self.meeting} until {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("meetings:preview", kwargs={"token": self.token})

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class ChangeNote(models.Model):
    """A public note of a major correction: “Updated on <date>: <note>”."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_notes")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d}: {self.note}"


class MeetingRevision(models.Model):
    """The whole meeting as it was at a save or a step of the workflow.

    Revisions of a correction belong to the published meeting it corrects, so one history
    tells the meeting's whole story. `data` holds the fields, people, photos, overview and
    tags (see `revisions.snapshot`).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=20)
    correction = models.BooleanField(default=False, help_text="Saved on a correction draft.")
    event = models.TextField()
    data = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="revision_number_unique_per_meeting"
            )
        ]

    def __str__(self):
        return f"Revision {self.number} of {self.data.get('title', '')}"
