"""The editorial workflow: who may move a meeting from one state to another, and the log.

    draft ──submit──▶ in review ──approve──▶ published (now, or scheduled for a time)
      ▲                  │  ▲                   │
      └──────reject──────┘  └──unschedule───────┤ (while its time is still ahead)
      ▲                                         └──take down──▶ taken down
      └──────────────restore as a draft──────────────────────────────┘

A publisher may not approve what they submitted themselves. “Publish without review” is
for emergencies: it needs a written reason and leaves the meeting waiting for another
publisher's approval. Every change is checked here, on the server, then recorded in the
publication log, and cached public pages are retired.

Each step is one transaction that starts by locking the meeting's row: the step, its log
row, its revision, the cache retirement and the emails happen together or not at all (the
last two once the transaction commits), and two steps on one meeting queue up. Approval is
bound to a version: it publishes the content the reviewer saw, or nothing.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import caching, notifications, revisions
from .models import (
    ChangeNote,
    FormerAddress,
    Meeting,
    PreviewLink,
    PublicationLogEntry,
    PublicContentVersion,
)

PREVIEW_DAYS = range(1, 15)

PUBLISH_PERMISSION = "meetings.publish_meeting"
State = Meeting.State


class _Site:
    """The site itself, taking a step for a command (`import_readout --publish`): a publisher
    with no name, whose steps are logged with no person. Passed explicitly, never assumed."""

    pk = None

    def __str__(self):
        return "the site"


SITE = _Site()


def can_publish(user):
    return user is SITE or (user is not None and user.has_perm(PUBLISH_PERMISSION))


def _person(actor):
    """The user to record for an actor: None for the site."""
    return None if actor is SITE else actor


def require_publisher(user):
    if not can_publish(user):
        raise PermissionDenied("Only publishers may publish, schedule or take down meetings.")


def refusal(error):
    """The words of a refused step (ValidationError or PermissionDenied), for a message."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _require_state(meeting, *states):
    if meeting.state not in states:
        allowed = " or ".join(str(State(state).label).lower() for state in states)
        raise ValidationError(
            f"This meeting is {meeting.get_state_display().lower()}, not {allowed}."
        )


def _require_text(text, what):
    if not (text or "").strip():
        raise ValidationError(f"Write {what}.")


def _locked(meeting, *, version=None):
    """Lock the meeting's row and bring the caller's copy up to date.

    With `version`, refuse if the meeting changed since that version was seen."""
    current = revisions.lock(meeting)
    if version is not None and current.edit_version != version:
        raise ValidationError(
            "This meeting changed after you opened it (someone saved, imported or restored "
            "it, or took a step): reload the page, read it again, then decide."
        )
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def submit_for_review(meeting, *, by, comment=""):
    _locked(meeting)
    _require_state(meeting, State.DRAFT)
    meeting.submitted_by = _person(by)
    meeting.changed_in_review_by.clear()
    _move(meeting, State.IN_REVIEW, by=by, comment=comment)
    meeting.submitted_version = meeting.edit_version
    meeting.save(update_fields=["submitted_version"])
    notifications.submitted_for_review(meeting, by)
    return meeting


@transaction.atomic
def reject(meeting, *, by, comment):
    """Send a meeting in review back to its author as a draft, with the reason."""
    require_publisher(by)
    _locked(meeting)
    _require_state(meeting, State.IN_REVIEW)
    _require_text(comment, "what needs to change, for the author")
    meeting.review_comment = comment
    _move(meeting, State.DRAFT, by=by, comment=comment)
    notifications.reviewed(meeting, by, "rejected", comment)
    return meeting


@transaction.atomic
def approve(meeting, *, by, at=None, comment="", major=False, change_note="", version=None):
    """Publish a meeting in review now, or schedule it for `at`. Not one's own.

    What is published is the version the reviewer saw: `version` (by default the version of
    the copy passed in); if the meeting changed since, nothing happens. Whoever submitted it,
    or changed its content since, may not approve it. A correction of a published meeting
    is published onto it instead: `major` ones carry a public change note."""
    require_publisher(by)
    _locked(meeting, version=meeting.edit_version if version is None else version)
    _require_state(meeting, State.IN_REVIEW)
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
    _publish(meeting, at, by=by, comment=comment)
    notifications.reviewed(meeting, by, "approved", comment)
    return meeting


@transaction.atomic
def publish_without_review(meeting, *, by, reason, at=None, version=None):
    """The emergency path: published at once, recorded, and queued for approval afterwards."""
    require_publisher(by)
    _locked(meeting, version=meeting.edit_version if version is None else version)
    _require_state(meeting, State.DRAFT, State.IN_REVIEW)
    _require_text(reason, "why this cannot wait for a review")
    if meeting.draft_of_id:
        live = apply_correction(meeting, by=by, major=False, change_note="")
        live.unreviewed = True
        live.save(update_fields=["unreviewed"])
        notifications.published_without_review(live, by, reason)
        return live
    meeting.unreviewed = True
    _publish(meeting, at, by=by, comment=f"Published without review: {reason}")
    notifications.published_without_review(meeting, by, reason)
    return meeting


@transaction.atomic
def approve_retrospectively(meeting, *, by, comment=""):
    """Another publisher confirms a meeting published without review."""
    require_publisher(by)
    _locked(meeting)
    if not meeting.unreviewed:
        raise ValidationError("This meeting was reviewed before it was published.")
    last = meeting.publication_log.filter(to_state=State.PUBLISHED).first()
    if last is not None and last.actor_id is not None and last.actor_id == by.pk:
        raise PermissionDenied("Another publisher must review what you published.")
    meeting.unreviewed = False
    meeting.save(update_fields=["unreviewed", "updated_at"])
    _log(meeting, meeting.state, by=by, comment=comment or "Reviewed after publication.")
    return meeting


@transaction.atomic
def unschedule(meeting, *, by, comment=""):
    """A scheduled meeting goes back to review before its time comes."""
    require_publisher(by)
    _locked(meeting)
    _require_state(meeting, State.PUBLISHED)
    if meeting.is_public:
        raise ValidationError("This meeting is already public: take it down instead.")
    return _move(meeting, State.IN_REVIEW, by=by, comment=comment)


@transaction.atomic
def set_expiry(meeting, *, by, at, comment=""):
    """Give a published meeting a time to leave the public site by itself (None: never)."""
    require_publisher(by)
    _locked(meeting)
    _require_state(meeting, State.PUBLISHED)
    if at is not None and at <= timezone.now():
        raise ValidationError("Choose an expiry time in the future, or take the meeting down.")
    if at is not None and meeting.published_at and at <= meeting.published_at:
        raise ValidationError("The expiry time must come after the publication time.")
    meeting.expires_at = at
    meeting.save(update_fields=["expires_at", "updated_at"])
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M %Z}" if at else "none"
    _log(meeting, meeting.state, by=by, comment=f"Expiry time: {when}. {comment}".strip())
    return meeting


@transaction.atomic
def take_down(meeting, *, by, kind, note="", merged_into=None):
    """Withdraw (notice stays), mark as published in error (410), or merge (redirect).

    Preview links stop working: what was taken down is not shown to anyone any more."""
    require_publisher(by)
    _locked(meeting)
    _require_state(meeting, State.PUBLISHED)
    kind = Meeting.Takedown(kind)
    if kind == Meeting.Takedown.WITHDRAWN:
        _require_text(note, "the explanation readers will see with the withdrawal notice")
    if kind == Meeting.Takedown.MERGED and (merged_into is None or merged_into.pk == meeting.pk):
        raise ValidationError("Choose the meeting this one was merged into.")
    meeting.takedown, meeting.takedown_note = kind, note
    meeting.merged_into = merged_into if kind == Meeting.Takedown.MERGED else None
    meeting.taken_down_at = timezone.now()
    meeting.preview_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return _move(meeting, State.TAKEN_DOWN, by=by, comment=f"{kind.label}. {note}".strip())


@transaction.atomic
def restore_as_draft(meeting, *, by, comment=""):
    """A publisher's step: a taken-down meeting leaves the public site's notice for a draft."""
    require_publisher(by)
    _locked(meeting)
    _require_state(meeting, State.TAKEN_DOWN)
    meeting.takedown, meeting.takedown_note, meeting.merged_into = "", "", None
    meeting.taken_down_at = None
    return _move(meeting, State.DRAFT, by=by, comment=comment or "Restored as a draft.")


def record_edit(meeting, *, by):
    """A person saved the meeting's content (in the admin): keep it, and remember who
    changed a submission, since they may not approve it then."""
    if by is not None and meeting.state == State.IN_REVIEW:
        meeting.changed_in_review_by.add(by)
    return revisions.record(meeting, by=by, event="Saved in the admin")


@transaction.atomic
def start_correction(live, *, by):
    """A draft copy of a published meeting to correct; the public keeps seeing the live one."""
    _locked(live)
    _require_state(live, State.PUBLISHED)
    if live.draft_of_id:
        raise ValidationError("This is itself a correction.")
    existing = live.corrections.first()
    if existing is not None:
        return existing
    draft = Meeting(
        relations_page=live.relations_page,
        slug=live.slug,
        expires_at=live.expires_at,
        draft_of=live,
        state=State.DRAFT,
        created_by=_person(by),
    )
    copy_content(live, draft)
    _log(draft, "", by=by, comment=f"Correction of the published meeting #{live.pk} started.")
    return draft


def apply_correction(draft, *, by, major, change_note):
    """Publish a correction onto its live meeting, then close the draft.

    A correction may move the meeting's address (another date, page or slug): the old
    address then redirects to the new one. It may not take another meeting's address."""
    live = _locked(draft.draft_of)
    if major:
        _require_text(change_note, "the public change note of a major correction")
    clash = draft.address_clash()
    if clash is not None:
        raise ValidationError(
            f"The corrected date and slug give the address of another meeting (“{clash}”): "
            "change the correction's date or slug first."
        )
    old_address = (live.relations_page_id, live.date, live.slug)
    live.relations_page_id, live.slug = draft.relations_page_id, draft.slug
    live.expires_at = draft.expires_at
    copy_content(draft, live)
    if (live.relations_page_id, live.date, live.slug) != old_address:
        _leave_redirect(live, *old_address)
    if major:
        ChangeNote.objects.create(meeting=live, note=change_note.strip(), by=_person(by))
    comment = f"Major correction: {change_note.strip()}" if major else "Minor correction."
    _log(live, live.state, by=by, comment=comment, version=draft.edit_version)
    draft.delete()
    return live


def _leave_redirect(meeting, relations_page_id, date, slug):
    """The meeting moved from that address to its current one: the old one redirects."""
    FormerAddress.objects.filter(
        relations_page_id=meeting.relations_page_id, date=meeting.date, slug=meeting.slug
    ).delete()
    FormerAddress.objects.update_or_create(
        relations_page_id=relations_page_id,
        date=date,
        slug=slug,
        defaults={"meeting": meeting, "moved_at": timezone.now()},
    )


def copy_content(source, target):
    """Make target's content (fields, people, photos, overview, tags) the same as source's."""
    revisions.apply(revisions.read(source), target)


@transaction.atomic
def restore_revision(revision, *, by):
    """Make a revision's content the meeting's again, as a draft to review.

    A published meeting gets it in a correction draft; the public version stays until that
    is approved. A taken-down one is a publisher's to restore. Returns the draft that now
    holds it."""
    meeting = _locked(revision.meeting)
    if meeting.state == State.TAKEN_DOWN:
        require_publisher(by)
    if meeting.state == State.PUBLISHED:
        target = start_correction(meeting, by=by)
    else:
        target = meeting
        if target.state == State.TAKEN_DOWN:
            target.takedown, target.takedown_note, target.merged_into = "", "", None
            target.taken_down_at = None
    revisions.apply(revision.data, target)
    from_state = target.state
    target.state = State.DRAFT
    target.save()
    _log(target, from_state, by=by, comment=f"Revision {revision.number} restored.")
    return target


def share_preview(meeting, *, by, days):
    """A link showing the meeting as it will look, to someone outside the admin, for `days`."""
    require_publisher(by)
    if days not in PREVIEW_DAYS:
        raise ValidationError(
            f"A preview link lasts from {PREVIEW_DAYS[0]} to {PREVIEW_DAYS[-1]} days."
        )
    if meeting.state == State.TAKEN_DOWN:
        raise ValidationError("This meeting was taken down: there is nothing to preview.")
    return PreviewLink.objects.create(
        meeting=meeting, created_by=_person(by), expires_at=timezone.now() + timedelta(days=days)
    )


def revoke_preview(link, *, by):
    require_publisher(by)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def record_due_transitions(now=None):
    """Log the meetings that went public or expired by the clock since the last look.

    The public site needs no such step (what is public is decided when it is read); this
    is for the log, and to retire cached pages at once. Returns (went public, expired).
    """
    now = now or timezone.now()
    clock, _ = PublicContentVersion.objects.get_or_create(pk=1)
    since = clock.clock_checked_at or now - timedelta(days=1)
    went_public = list(Meeting.objects.went_public_between(since, now))
    expired = list(Meeting.objects.expired_between(since, now))
    for meeting in went_public:
        _write_log(meeting, State.PUBLISHED, "published", comment="Became public by the clock.")
    for meeting in expired:
        _write_log(
            meeting, State.PUBLISHED, "expired", comment="Left the public site by the clock."
        )
    clock.clock_checked_at = now
    clock.save(update_fields=["clock_checked_at"])
    if went_public or expired:
        caching.content_changed()
    return went_public, expired


# For commands, which act as the site rather than as a person.


@transaction.atomic
def publish(meeting, at=None, *, by, comment=""):
    """Publish now (or at `at`), whatever the state: `import_readout --publish`."""
    require_publisher(by)
    _locked(meeting)
    return _publish(meeting, at, by=by, comment=comment)


@transaction.atomic
def unpublish(meeting, *, by, comment=""):
    """Back to a draft, whatever the state."""
    require_publisher(by)
    _locked(meeting)
    return _move(meeting, State.DRAFT, by=by, comment=comment)


def _publish(meeting, at, *, by, comment):
    if at is not None:
        meeting.published_at = at
    elif meeting.state != State.PUBLISHED or meeting.published_at is None:
        meeting.published_at = timezone.now()
    return _move(meeting, State.PUBLISHED, by=by, comment=comment)


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


def _move(meeting, to_state, *, by, comment):
    from_state = meeting.state
    meeting.state = to_state
    meeting.save(update_fields=WORKFLOW_FIELDS)
    _log(meeting, from_state, by=by, comment=comment)
    return meeting


def _log(meeting, from_state, *, by, comment, version=None):
    """The log row and the revision of a step; `version` is the content it acted on."""
    version = meeting.edit_version if version is None else version
    event = f"{State(from_state).label if from_state else 'New'} → {meeting.get_state_display()}"
    revisions.record(meeting, by=_person(by), event=f"{event}. {comment}".strip())
    _write_log(meeting, from_state, meeting.state, by=by, comment=comment, version=version)
    caching.meeting_stepped(meeting, from_state)


def _write_log(meeting, from_state, to_state, *, by=None, comment="", version=None):
    """The one way a row of the publication log is written (steps, and the clock)."""
    PublicationLogEntry.objects.create(
        meeting=meeting,
        meeting_title=meeting.title,
        actor=_person(by),
        from_state=from_state or "",
        to_state=to_state,
        published_at=meeting.published_at if meeting.state == State.PUBLISHED else None,
        version=version,
        comment=comment,
    )
