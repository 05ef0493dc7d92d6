"""Who has a meeting's admin page open now (see `meetings.presence`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .meetings import Meeting


class EditingPresence(models.Model):
    """One open admin page of a meeting: a person, in one browser tab, since a time.

    Rows live while the page sends heartbeats; `meetings.presence` deletes them when the
    page is left or the heartbeats stop. Kept in the database, so every app server sees
    the same people."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tab = models.CharField(max_length=32, help_text="Tells apart two tabs of one person.")
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = "editing presence"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "tab"], name="presence_unique_per_meeting_user_tab"
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.meeting} since {self.opened_at:%H:%M}"
