"""The steps of review and publication, each one transaction on the locked meeting."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from meetings import notifications, revisions
from meetings.models import Meeting

from .actors import person_of, require_publisher
from .corrections import apply_correction
from .records import locked, log_step, move, publish_at, require_state, require_text

State = Meeting.State


@transaction.atomic
def submit_for_review(meeting, *, by, comment=""):
    locked(meeting)
    require_state(meeting, State.DRAFT)
    meeting.submitted_by = person_of(by)
    meeting.changed_in_review_by.clear()
    move(meeting, State.IN_REVIEW, by=by, comment=comment)
    meeting.submitted_version = meeting.edit_version
    meeting.save(update_fields=["submitted_version"])
    notifications.submitted_for_review(meeting, by)
    return meeting


@transaction.atomic
def reject(meeting, *, by, comment):
    """Send a meeting in review back to its author as a draft, with the reason."""
    require_publisher(by)
    locked(meeting)
    require_state(meeting, State.IN_REVIEW)
    require_text(comment, "what needs to change, for the author")
    meeting.review_comment = comment
    move(meeting, State.DRAFT, by=by, comment=comment)
    notifications.reviewed(meeting, by, "rejected", comment)
    return meeting


@transaction.atomic
def approve(meeting, *, by, at=None, comment="", major=False, change_note="", version=None):
    """Publish a meeting in review now, or schedule it for `at`. Not one's own.

    What is published is the version the reviewer saw: `version` (by default the version of
    the copy passed in); if the meeting changed since, nothing happens. Whoever submitted it,
    or changed its content since, may not approve it. A correction of a published meeting
    is published onto it instead: `major` ones carry a public change note.

    Returns the meeting now published: for a correction, the live meeting it corrected."""
    require_publisher(by)
    locked(meeting, version=meeting.edit_version if version is None else version)
    require_state(meeting, State.IN_REVIEW)
    if meeting.submitted_by_id is not None and meeting.submitted_by_id == by.pk:
        raise PermissionDenied(
            "You submitted this meeting: another publisher must approve it (second pair of "
            "eyes). In an emergency, publish it without review and give the reason."
        )
    if meeting.changed_in_review_by.filter(pk=by.pk).exists():
        raise PermissionDenied(
            "You changed this meeting after it was submitted: another publisher must review "
            "your changes and approve it."
        )
    if meeting.draft_of_id:
        live = apply_correction(meeting, by=by, major=major, change_note=change_note)
        notifications.reviewed(meeting, by, "approved", comment)
        return live
    meeting.review_comment = ""
    publish_at(meeting, at, by=by, comment=comment)
    notifications.reviewed(meeting, by, "approved", comment)
    return meeting


@transaction.atomic
def publish_without_review(meeting, *, by, reason, at=None, version=None):
    """The emergency path: published at once, recorded, and queued for approval afterwards."""
    require_publisher(by)
    locked(meeting, version=meeting.edit_version if version is None else version)
    require_state(meeting, State.DRAFT, State.IN_REVIEW)
    require_text(reason, "why this cannot wait for a review")
    if meeting.draft_of_id:
        live = apply_correction(meeting, by=by, major=False, change_note="")
        live.unreviewed = True
        live.save(update_fields=["unreviewed"])
        notifications.published_without_review(live, by, reason)
        return live
    meeting.unreviewed = True
    publish_at(meeting, at, by=by, comment=f"Published without review: {reason}")
    notifications.published_without_review(meeting, by, reason)
    return meeting


@transaction.atomic
def approve_retrospectively(meeting, *, by, comment=""):
    """Another publisher confirms a meeting published without review."""
    require_publisher(by)
    locked(meeting)
    if not meeting.unreviewed:
        raise ValidationError("This meeting was reviewed before it was published.")
    last = meeting.publication_log.filter(to_state=State.PUBLISHED).first()
    if last is not None and last.actor_id is not None and last.actor_id == by.pk:
        raise PermissionDenied("Another publisher must review what you published.")
    meeting.unreviewed = False
    meeting.save(update_fields=["unreviewed", "updated_at"])
    log_step(meeting, meeting.state, by=by, comment=comment or "Reviewed after publication.")
    return meeting


@transaction.atomic
def unschedule(meeting, *, by, comment=""):
    """A scheduled meeting goes back to review before its time comes."""
    require_publisher(by)
    locked(meeting)
    require_state(meeting, State.PUBLISHED)
    if meeting.is_public:
        raise ValidationError("This meeting is already public: take it down instead.")
    return move(meeting, State.IN_REVIEW, by=by, comment=comment)


@transaction.atomic
def set_expiry(meeting, *, by, at, comment=""):
    """Give a published meeting a time to leave the public site by itself (None: never)."""
    require_publisher(by)
    locked(meeting)
    require_state(meeting, State.PUBLISHED)
    if at is not None and at <= timezone.now():
        raise ValidationError("Choose an expiry time in the future, or take the meeting down.")
    if at is not None and meeting.published_at and at <= meeting.published_at:
        raise ValidationError("The expiry time must come after the publication time.")
    meeting.expires_at = at
    meeting.save(update_fields=["expires_at", "updated_at"])
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M %Z}" if at else "none"
    log_step(meeting, meeting.state, by=by, comment=f"Expiry time: {when}. {comment}".strip())
    return meeting


@transaction.atomic
def take_down(meeting, *, by, kind, note="", merged_into=None):
    """Withdraw (notice stays), mark as published in error (410), or merge (redirect).

    Preview links stop working: what was taken down is not shown to anyone any more."""
    require_publisher(by)
    locked(meeting)
    require_state(meeting, State.PUBLISHED)
    kind = Meeting.Takedown(kind)
    if kind == Meeting.Takedown.WITHDRAWN:
        require_text(note, "the explanation readers will see with the withdrawal notice")
    if kind == Meeting.Takedown.MERGED and (merged_into is None or merged_into.pk == meeting.pk):
        raise ValidationError("Choose the meeting this one was merged into.")
    meeting.takedown, meeting.takedown_note = kind, note
    meeting.merged_into = merged_into if kind == Meeting.Takedown.MERGED else None
    meeting.taken_down_at = timezone.now()
    meeting.preview_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return move(meeting, State.TAKEN_DOWN, by=by, comment=f"{kind.label}. {note}".strip())


@transaction.atomic
def restore_as_draft(meeting, *, by, comment=""):
    """A publisher's step: a taken-down meeting leaves the public site's notice for a draft."""
    require_publisher(by)
    locked(meeting)
    require_state(meeting, State.TAKEN_DOWN)
    meeting.takedown, meeting.takedown_note, meeting.merged_into = "", "", None
    meeting.taken_down_at = None
    return move(meeting, State.DRAFT, by=by, comment=comment or "Restored as a draft.")


def record_edit(meeting, *, by):
    """A person saved the meeting's content (in the admin): keep it, and remember who
    changed a submission, since they may not approve it then."""
    if by is not None and meeting.state == State.IN_REVIEW:
        meeting.changed_in_review_by.add(by)
    return revisions.record(meeting, by=by, event="Saved in the admin")


def publish(meeting, at=None, *, by, comment="", written_by_caller=False):
    """Publish now (or at `at`), whatever the state: `import_readout --publish`.

    `written_by_caller`: the caller wrote the meeting in its transaction, holding its row
    locked, and holds its content as saved (`revisions.record`'s `content_in_hand`): the
    step is taken in that transaction, and the meeting neither locked nor read again."""
    require_publisher(by)
    with transaction.atomic(savepoint=not written_by_caller):
        if not written_by_caller:
            locked(meeting)
        return publish_at(meeting, at, by=by, comment=comment, content_in_hand=written_by_caller)


@transaction.atomic
def unpublish(meeting, *, by, comment=""):
    """Back to a draft, whatever the state."""
    require_publisher(by)
    locked(meeting)
    return move(meeting, State.DRAFT, by=by, comment=comment)
