"""Which meetings: every rule about what is public, scheduled, expired or due, and every
lookup of a meeting by its address, as named queryset methods (`Meeting.objects.…`)."""

from datetime import time

from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils import timezone

from .readout import AgendaItem, PhotoSession


class MeetingQuerySet(models.QuerySet):
    """Every rule about what is public, scheduled, expired or due, and every lookup of a
    meeting by its address: callers use these methods and never restate them."""

    def published(self):
        """What the public may see: published, its time come, its expiry (if any) not."""
        now = timezone.now()
        return self.filter(state=self.model.State.PUBLISHED, published_at__lte=now).exclude(
            expires_at__lte=now
        )

    @staticmethod
    def includes_published(meeting, now=None):
        """Whether `published()` includes this meeting: the same rule, in memory."""
        now = now or timezone.now()
        return (
            meeting.state == meeting.State.PUBLISHED
            and meeting.published_at is not None
            and meeting.published_at <= now
            and not (meeting.expires_at is not None and meeting.expires_at <= now)
        )

    def approved(self):
        """Published, whether its time has come or not, expired or not."""
        return self.filter(state=self.model.State.PUBLISHED)

    def scheduled(self):
        """Approved, to become public at a time still to come."""
        return self.approved().filter(published_at__gt=timezone.now())

    def expired(self):
        """Approved, and gone from the public site at its expiry time."""
        return self.approved().filter(expires_at__lte=timezone.now())

    def went_public_between(self, since, until):
        """Approved meetings whose publication time came in that span, by the clock.

        Not one an archive back-fill published at that time (a time already past when the
        back-fill set it): it went public by that step."""
        from .publication import PublicationLogEntry  # see public_steps()

        backfilled = PublicationLogEntry.objects.filter(
            meeting=OuterRef("pk"), backfill=True, published_at=OuterRef("published_at")
        )
        return (
            self.approved()
            .filter(published_at__gt=since, published_at__lte=until)
            .exclude(Exists(backfilled))
        )

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
        return self.filter(state=self.model.State.TAKEN_DOWN)

    def withdrawn(self):
        """Taken down with a notice: their pages stay public, with the notice."""
        return self.taken_down().filter(takedown=self.model.Takedown.WITHDRAWN)

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
            former_addresses__relations_page__slug=page_slug,
            former_addresses__date__year=year,
            former_addresses__date__month=month,
            former_addresses__date__day=day,
            former_addresses__slug=slug,
        ).distinct()

    def carrying_topic(self, tag):
        """Meetings tagged with the topic, themselves or through one of their agenda items."""
        return self.carrying_any_topic([tag])

    def carrying_any_topic(self, tags):
        """Meetings tagged with any of the topics, themselves or through an agenda item."""
        return self.filter(
            Q(pk__in=self.model.objects.filter(tags__in=tags).values("pk"))
            | Q(pk__in=AgendaItem.objects.filter(tags__in=tags).values("meeting_id"))
        )

    def waiting_for_photos(self):
        """Meetings with a photo caption whose image has not come yet."""
        waiting = PhotoSession.objects.waiting_for_image().filter(meeting=OuterRef("pk"))
        return self.filter(Exists(waiting))

    def with_photos_waiting(self):
        """Each meeting with `photos_waiting`: how many of its photo captions still wait for
        their image. A subquery, not a join: admin search and filters join other rows."""
        waiting = (
            PhotoSession.objects.waiting_for_image()
            .filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(photos_waiting=Coalesce(Subquery(waiting), 0))

    def either_side_of(self, meeting):
        """(these meetings dated on or before the meeting's date, newest first; those dated
        after it, oldest first), the meeting itself left out: slice each to walk away from
        it through the date index, however large the archive."""
        others = self.exclude(pk=meeting.pk)
        return (
            others.filter(date__lte=meeting.date).order_by("-date", "-pk"),
            others.filter(date__gt=meeting.date).order_by("date", "pk"),
        )

    def around(self, meeting):
        """The meeting just before this one under its relations page and the one just after
        (by date, then start time, then the order they were entered): at most two, in one
        query. `in_sequence` is the order they are compared in."""
        same_page = (
            self.filter(relations_page=meeting.relations_page_id)
            .exclude(pk=meeting.pk)
            .alias(starts=Coalesce("start_time", Value(time.min)))
        )
        date, starts = meeting.date, meeting.start_time or time.min
        before = (
            Q(date__lt=date)
            | Q(date=date, starts__lt=starts)
            | Q(date=date, starts=starts, pk__lt=meeting.pk)
        )
        previous = same_page.filter(before).order_by("-date", "-starts", "-pk").values("pk")[:1]
        following = same_page.exclude(before).order_by("date", "starts", "pk").values("pk")[:1]
        return self.filter(Q(pk=Subquery(previous)) | Q(pk=Subquery(following)))

    def counts_by_year_and_type(self):
        """(year, meeting type slug, how many) rows of these meetings, in one query."""
        rows = (
            self.annotate(year=ExtractYear("date"), type_slug=F("meeting_type__slug"))
            .values("year", "type_slug")
            .annotate(meetings=Count("pk"))
            .order_by()
        )
        return [(row["year"], row["type_slug"], row["meetings"]) for row in rows]

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
            .with_last_public_change()
            .order_by("-published_at", "-pk")
        )

    def with_last_public_change(self):
        """Each meeting with `last_public_change`: when what the public sees of it last changed.

        That is its publication time, or a later step that changed it in public (a correction
        applied, a republication, a withdrawal): not `updated_at`, which every save moves,
        drafts and imports included."""
        latest_step = public_steps().filter(meeting=OuterRef("pk")).order_by("-at").values("at")[:1]
        # Coalesced on both sides: SQLite's GREATEST is NULL when any argument is.
        return self.annotate(
            last_public_change=Greatest(
                Coalesce("published_at", Subquery(latest_step)),
                Coalesce(Subquery(latest_step), "published_at"),
            )
        )

    def with_readout(self):
        """A meeting with everything its page renders but tags (see `attach_tags`)."""
        return self.select_related("meeting_type", "relations_page").prefetch_related(
            "participants", "photo_sessions", "agenda_items", "change_notes"
        )


def in_sequence(meeting):
    """The order of meetings under a relations page, as `around` compares them."""
    return (meeting.date, meeting.start_time or time.min, meeting.pk)


def public_steps():
    """Entries of the publication log for steps into or out of what the public sees: a
    publication, a correction applied, a takedown, an unpublication, an expiry.

    Not an archive back-fill: it published a meeting dated by its own day, so the change is
    dated by its publication time, not by the day of the import."""
    # Imported here: the log's model module imports this one (through meetings.py).
    from .publication import PublicationLogEntry

    public_states = ["published", "taken_down"]
    return PublicationLogEntry.objects.filter(
        Q(from_state__in=public_states) | Q(to_state__in=public_states), backfill=False
    )
