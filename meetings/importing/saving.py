"""Writing parsed readouts: one meeting per readout, all or nothing, never duplicated."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from taggit.models import Tag, TaggedItem

from meetings import revisions, workflow
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingType,
    Participant,
    PhotoSession,
    attach_tags,
)
from relations.models import Region, RelationsPage

from . import limits
from .errors import ReadoutError


@dataclass
class ImportResult:
    meeting: Meeting
    created: bool
    relations_page_created: bool
    # A back-fill found the meeting already on the portal, and left it as it was.
    skipped: bool = False


def save_readout(parsed, *, publish=False, backfill=False, region=None, by=workflow.SITE):
    """Create or update the meeting a parsed readout describes, all or nothing.

    `publish` publishes it now; `backfill` publishes a new meeting at its own date, not
    announced (see `workflow.backfill`), and skips one already on the portal. Either is a
    publisher's step, taken `by` them (the site, for a command).

    A readout that breaks a limit (see `limits`), or a back-fill of a meeting yet to come,
    raises ReadoutError before anything is written: it may have changed since it was
    parsed, as the admin's topics do."""
    limits.check_readout(parsed)
    if backfill:
        workflow.require_publisher(by)
        backfill_time(parsed)
    with transaction.atomic():
        page, page_created = _relations_page_for(parsed.relations_page_title, region)
        meeting, created = _meeting_to_write(parsed, page, publish=publish, backfill=backfill)
        if backfill and not created:
            return ImportResult(meeting, created=False, relations_page_created=False, skipped=True)
        _write_fields(meeting, parsed)
        _write_rows(meeting, parsed, created=created)
        if backfill:
            workflow.backfill(meeting, by=by)
        elif publish:
            workflow.publish(meeting, by=by, written_by_caller=True)
        else:
            revisions.record(meeting, event="Imported", content_in_hand=True)
        _forget_content_in_hand(meeting)
    return ImportResult(meeting, created, page_created)


def backfill_time(parsed):
    """When a back-fill would publish the readout's meeting; ReadoutError, at the date's
    line, for a meeting yet to come."""
    try:
        return workflow.backfill_publication_time(parsed.date, parsed.start_time, parsed.duration)
    except ValidationError as error:
        # As the importer's other reports read: “FILE:LINE: the meeting is dated …”.
        message = " ".join(error.messages)
        raise ReadoutError(message[:1].lower() + message[1:], parsed.lines.get("date")) from None


def _meeting_to_write(parsed, page, *, publish, backfill=False):
    """The meeting at the readout's address (locked), a correction of it, or a new one,
    with whether it is new. A back-fill takes the meeting there as it is, to skip it."""
    slug = Meeting(title=parsed.title).slug_from_title()
    meeting = Meeting.objects.select_for_update().at(page, parsed.date, slug).first()
    if meeting is None:
        return Meeting(relations_page=page, date=parsed.date, slug=slug), True
    meeting.relations_page = page  # the same row, in hand for its search document
    if backfill:
        return meeting, False
    if meeting.state == Meeting.State.TAKEN_DOWN:
        # Its public notice (or 410, or redirect) changes only by a publisher's step.
        raise ReadoutError(
            f"the meeting at this address (“{meeting.title}”) was taken down "
            f"({meeting.get_takedown_display().split(':')[0].lower()}): a publisher must "
            "restore it as a draft before it can be imported again"
        )
    if meeting.state == Meeting.State.PUBLISHED and not publish:
        # What the public sees changes only when a correction is approved.
        return workflow.start_correction(meeting, by=workflow.SITE), False
    return meeting, False


def _write_fields(meeting, parsed):
    meeting.title = parsed.title
    meeting.meeting_type = _meeting_type(parsed.meeting_type_slug)
    meeting.start_time = parsed.start_time
    meeting.duration = parsed.duration
    meeting.place = parsed.place
    meeting.lead = parsed.lead
    # Fields only: the meeting's address was looked up (and locked) just now, and no parsed
    # readout can break the constraints (its duration is positive, its state unchanged), so
    # `full_clean`'s queries for them would find nothing.
    meeting.clean_fields(exclude=["relations_page", "meeting_type"])
    meeting.save()


def _write_rows(meeting, parsed, *, created):
    """Participants, photo sessions and the overview, then the topics of each.

    The meeting is left holding them as saved (prefetched, their tags attached), so that its
    revision and search document are made from what was just written, not read back."""
    participants = _replace_rows(
        meeting.participants.all(),
        [
            {"side": p.side, "name": p.name, "title": p.title, "position": index}
            for index, p in enumerate(parsed.participants, start=1)
        ],
        Participant,
        meeting,
        created=created,
    )
    photo_sessions = _save_photo_sessions(meeting, parsed.photo_captions, created=created)
    items = _replace_rows(
        meeting.agenda_items.all(),
        [
            {"text": item.text, "is_sub_item": item.is_sub_item, "position": index}
            for index, item in enumerate(parsed.agenda_items, start=1)
        ],
        AgendaItem,
        meeting,
        created=created,
    )
    item_tags = [read.tags for read in parsed.agenda_items]
    _add_tags([(meeting, parsed.tags), *zip(items, item_tags, strict=True)])
    # Every tag each carries, an editor's too, with its topic: in one query.
    attach_tags([meeting, *items])
    meeting._prefetched_objects_cache = {
        **getattr(meeting, "_prefetched_objects_cache", {}),
        "participants": _prefetched(meeting.participants, participants),
        "photo_sessions": _prefetched(meeting.photo_sessions, photo_sessions),
        "agenda_items": _prefetched(meeting.agenda_items, items),
    }


def _prefetched(manager, rows):
    """The related manager's queryset holding `rows`, as `prefetch_related` leaves it."""
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = rows, True
    return queryset


def _forget_content_in_hand(meeting):
    """Leave the meeting as a caller expects it back: its lists read afresh when asked for."""
    meeting._prefetched_objects_cache = {}
    meeting.__dict__.pop("tag_list", None)


def _add_tags(tagged):
    """Add the named tags to each object, in a few queries for the whole readout.

    Tags are added, never taken away: a re-import keeps the tags editors gave. Names are
    matched to existing tags regardless of case, as taggit matches them.
    """
    names = {name.casefold(): name for _, wanted in tagged for name in wanted}
    if not names:
        return
    matching = Q()
    for name in names.values():
        matching |= Q(name__iexact=name)
    tags = {tag.name.casefold(): tag for tag in Tag.objects.filter(matching)}
    for folded, name in names.items():
        if folded not in tags:
            tags[folded] = Tag.objects.create(name=name)
    rows = {
        (ContentType.objects.get_for_model(obj).pk, obj.pk, tags[name.casefold()].pk)
        for obj, wanted in tagged
        for name in wanted
    }
    # A tag an object already carries is left as it is (taggit's unique constraint).
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type_id=content_type, object_id=object_id, tag_id=tag)
            for content_type, object_id, tag in rows
        ],
        ignore_conflicts=True,
    )


def existing_for(parsed):
    """The relations page and the meeting an import of the readout would update, or None."""
    page = RelationsPage.objects.filter(title__iexact=parsed.relations_page_title.strip()).first()
    meeting = None
    if page is not None:
        slug = Meeting(title=parsed.title).slug_from_title()
        meeting = Meeting.objects.at(page, parsed.date, slug).first()
    return page, meeting


def _relations_page_for(title, region):
    """The page of that title; or a new one, hidden until a meeting on it is published."""
    try:
        return RelationsPage.objects.get_by_title(title), False
    except RelationsPage.DoesNotExist:
        pass
    page = RelationsPage.new_from_title(title)
    page.published = False
    base_slug, suffix = page.slug or "relations", 2
    page.slug = base_slug
    max_length = RelationsPage._meta.get_field("slug").max_length
    while RelationsPage.objects.filter(slug=page.slug).exists():
        page.slug = f"{base_slug[: max_length - len(str(suffix)) - 1]}-{suffix}"
        suffix += 1
    if region is not None and not isinstance(region, Region):
        region = Region.objects.get(slug=region)
    page.region = region
    page.save()
    return page, True


def _meeting_type(slug):
    found = MeetingType.objects.filter(slug=slug).first()
    if found:
        return found
    return MeetingType.objects.get_or_create(slug="other", defaults={"name": "Other"})[0]


def _replace_rows(existing, wanted, model, meeting, *, created):
    """Update rows in order, keeping their ids (and so their tags); add or drop the rest.
    Returns the rows now saved, in order.

    Rows numbered 1, 2, 3… (as imports and the admin leave them) keep their positions, so
    only the columns that changed are written: a re-import of the same readout writes none.
    Otherwise they are moved out of the way first, to be numbered afresh."""
    rows = [] if created else list(existing)
    numbered_in_order = [row.position for row in rows] == list(range(1, len(rows) + 1))
    if not numbered_in_order:
        existing.make_room()
    columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    kept = rows[: len(wanted)]
    for row, values in zip(kept, wanted, strict=False):
        before = [getattr(row, column) for column in columns]
        for name, value in values.items():
            setattr(row, name, value)
        changed = {
            column
            for column, old in zip(columns, before, strict=True)
            if getattr(row, column) != old
        }
        if not numbered_in_order:
            changed.add("position")
        if changed:
            row.save(update_fields=changed)
    dropped = [row.pk for row in rows[len(wanted) :]]
    if dropped:
        model.objects.filter(pk__in=dropped).delete()
    added = model.objects.bulk_create(
        [model(meeting=meeting, **values) for values in wanted[len(rows) :]]
    )
    return kept + added


def _save_photo_sessions(meeting, captions, *, created):
    """Match photo sessions by caption, so uploaded images survive a re-import.

    Sessions whose caption is gone are dropped, unless an image was uploaded to them:
    those stay, after the imported ones. Two sessions may share a caption. Returns the
    sessions now saved, in order."""
    sessions = [] if created else list(meeting.photo_sessions.all())
    existing = defaultdict(list)
    for session in sessions:
        existing[session.caption].append(session)
    if sessions:
        meeting.photo_sessions.all().make_room()
    saved = []
    for position, caption in enumerate(captions, start=1):
        matches = existing[caption]
        session = matches.pop(0) if matches else PhotoSession(meeting=meeting, caption=caption)
        session.position = position
        if session.pk is not None:
            session.save()
        saved.append(session)
    PhotoSession.objects.bulk_create([session for session in saved if session.pk is None])
    position = len(saved)
    for session in (left for same_caption in existing.values() for left in same_caption):
        if session.image:
            position += 1
            session.position = position
            session.save(update_fields=["position"])
            saved.append(session)
        else:
            session.delete()
    return saved
