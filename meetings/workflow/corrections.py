"""Corrections of published meetings: a draft copy, reviewed like any draft, applied onto
the live meeting at its approval; and revisions restored as such drafts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings import revisions
from meetings.models import ChangeNote, FormerAddress, Meeting

from .actors import person_of, require_publisher
from .records import locked, log_step, require_state, require_text

State = Meeting.State


@transaction.atomic
def start_correction(live, *, by):
    """A draft copy of a published meeting to correct; the public keeps seeing the live one."""
    locked(live)
    require_state(live, State.PUBLISHED)
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
        created_by=person_of(by),
    )
    copy_content(live, draft)
    log_step(draft, "", by=by, comment=f"Correction started, of the published meeting #{live.pk}.")
    return draft


def apply_correction(draft, *, by, major, change_note):
    """Publish a correction onto its live meeting, then close the draft.

    A correction may move the meeting's address (another date, page or slug): the old
    address then redirects to the new one. It may not take another meeting's address."""
    live = locked(draft.draft_of)
    if major:
        require_text(change_note, "the public change note of a major correction")
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
        ChangeNote.objects.create(meeting=live, note=change_note.strip(), by=person_of(by))
    comment = f"Major correction: {change_note.strip()}" if major else "Minor correction."
    log_step(live, live.state, by=by, comment=comment, version=draft.edit_version)
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
    meeting = locked(revision.meeting)
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
    log_step(target, from_state, by=by, comment=f"Revision {revision.number} restored.")
    return target
