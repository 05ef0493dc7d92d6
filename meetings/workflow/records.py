"""What every step shares: the locked meeting, its checks, its move, its log and revision."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import caching, revisions
from meetings.models import Meeting, PublicationLogEntry

from .actors import person_of

State = Meeting.State


def require_state(meeting, *states):
    if meeting.state not in states:
        allowed = " or ".join(str(State(state).label).lower() for state in states)
        raise ValidationError(
            f"This meeting is {meeting.get_state_display().lower()}, not {allowed}."
        )


def require_text(text, what):
    if not (text or "").strip():
        raise ValidationError(f"Write {what}.")


def locked(meeting, *, version=None):
    """Lock the meeting's row and bring the caller's copy up to date.

    With `version`, refuse if the meeting changed since that version was seen."""
    meeting.refresh_from_db(from_queryset=Meeting.objects.select_for_update())
    if version is not None and meeting.edit_version != version:
        raise ValidationError(
            "This meeting changed after you opened it (someone saved, imported or restored "
            "it, or took a step): reload the page, read it again, then decide."
        )
    return meeting


def publish_at(meeting, at, *, by, comment, content_in_hand=False):
    if at is not None:
        meeting.published_at = at
    elif meeting.state != State.PUBLISHED or meeting.published_at is None:
        meeting.published_at = timezone.now()
    return move(meeting, State.PUBLISHED, by=by, comment=comment, content_in_hand=content_in_hand)


# What a step changes; saving only these never overwrites an edit made meanwhile.
WORKFLOW_FIELDS = [
    "state",
    "published_at",
    "submitted_by",
    "review_comment",
    "unreviewed",
    "takedown",
    "takedown_note",
    "taken_down_at",
    "merged_into",
    "updated_at",
]


def move(meeting, to_state, *, by, comment, backfill=False, content_in_hand=False):
    from_state = meeting.state
    meeting.state = to_state
    meeting.save(update_fields=WORKFLOW_FIELDS)
    log_step(
        meeting,
        from_state,
        by=by,
        comment=comment,
        backfill=backfill,
        content_in_hand=content_in_hand,
    )
    return meeting


def log_step(
    meeting, from_state, *, by, comment, version=None, backfill=False, content_in_hand=False
):
    """The log row and the revision of a step; `version` is the content it acted on.

    `content_in_hand`: as `revisions.record` has it."""
    version = meeting.edit_version if version is None else version
    event = f"{State(from_state).label if from_state else 'New'} → {meeting.get_state_display()}"
    revisions.record(
        meeting,
        by=person_of(by),
        event=f"{event}. {comment}".strip(),
        content_in_hand=content_in_hand,
    )
    write_log(
        meeting,
        from_state,
        meeting.state,
        by=by,
        comment=comment,
        version=version,
        backfill=backfill,
    )
    caching.meeting_stepped(meeting, from_state)


def write_log(meeting, from_state, to_state, *, by=None, comment="", version=None, backfill=False):
    """The one way a row of the publication log is written (steps, and the clock).

    `backfill`: an archive back-fill's publication (see `backfill.py`)."""
    PublicationLogEntry.objects.create(
        meeting=meeting,
        meeting_title=meeting.title,
        actor=person_of(by),
        from_state=from_state or "",
        to_state=to_state,
        published_at=meeting.published_at if meeting.state == State.PUBLISHED else None,
        version=version,
        comment=comment,
        backfill=backfill,
    )
