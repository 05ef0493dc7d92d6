"""The record of publishing: the log, revisions, change notes, former addresses, preview
links, and the version that retires cached public pages."""

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone

from relations.models import RelationsPage

from .fields import user_field
from .meetings import Meeting


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


class PublicationLogEntry(models.Model):
    """One change of a meeting's publication state: who, when, from what to what, and why.

    Rows are only ever added (by `workflow`); the admin shows them and lets no one edit them.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, related_name="publication_log"
    )
    meeting_title = models.CharField(max_length=300, help_text="As it was at the time.")
    actor = user_field(blank=True, help_text="Empty for changes made by a command or by the clock.")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    published_at = models.DateTimeField(null=True, blank=True, verbose_name="publication time")
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version of the meeting's content the step acted on."
    )
    comment = models.TextField(blank=True)
    backfill = models.BooleanField(
        default=False,
        verbose_name="archive back-fill",
        help_text="Published at the meeting's own date from the archive, not announced as new: "
        "the public change is dated by the publication time, not by this entry.",
    )

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
    created_by = user_field()
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
        """Not revoked, not expired, and its meeting not taken down (links made before
        takedowns revoked them stop too)."""
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.meeting.state != self.meeting.State.TAKEN_DOWN
        )


class ChangeNote(models.Model):
    """A public note of a major correction: “Updated on <date>: <note>”."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_notes")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    by = user_field()

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
    created_by = user_field()
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
