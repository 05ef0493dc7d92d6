"""Revisions: every save and every workflow step keeps the whole meeting, to compare and
restore. A revision's data is plain JSON: fields, participants, photos, overview, tags."""

import difflib
from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import F, Max, Prefetch
from modeltranslation.translator import translator
from taggit.models import Tag

from .models import (
    AgendaItem,
    Meeting,
    MeetingRevision,
    MeetingType,
    Participant,
    PhotoSession,
    describe_duration,
    renditions,
    tag_list,
)
from .search import indexing


def snapshot(meeting):
    """The meeting's content: English under the plain names, Japanese under `…_ja`."""
    return {
        **_both_languages(meeting),
        "meeting_type_id": meeting.meeting_type_id,
        "meeting_type": str(meeting.meeting_type),
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.isoformat() if meeting.start_time else None,
        "duration_minutes": (
            round(meeting.duration.total_seconds() / 60) if meeting.duration else None
        ),
        "tags": sorted(tag.name for tag in tag_list(meeting)),
        "participants": [
            {"side": p.side, **_both_languages(p)} for p in meeting.participants.all()
        ],
        "photo_sessions": [
            {
                "image": p.image.name,
                "width": p.width,
                "height": p.height,
                **_both_languages(p),
            }
            for p in meeting.photo_sessions.all()
        ],
        "agenda_items": [
            {
                **_both_languages(item),
                "is_sub_item": item.is_sub_item,
                "tags": sorted(tag.name for tag in tag_list(item)),
            }
            for item in meeting.agenda_items.all()
        ],
    }


def read(meeting):
    """The snapshot of the meeting as saved, its lists read in a few queries."""
    saved = (
        Meeting.objects.select_related("meeting_type")
        .prefetch_related(
            "tags",
            "participants",
            "photo_sessions",
            Prefetch("agenda_items", AgendaItem.objects.prefetch_related("tags")),
        )
        .get(pk=meeting.pk)
    )
    return snapshot(saved)


def record(meeting, *, by=None, event, content_in_hand=False):
    """Keep the meeting as it is now as its next revision, and count the change.

    Every change (a save, an import, a restore, a workflow step) comes through here, so the
    meeting's `edit_version` moves on with each: a form or a review opened before it is
    stale from then on. The meeting's search document is rewritten with it.

    `content_in_hand`: the caller has just written the meeting in this transaction, holding
    its row (and for a correction, its published meeting's) locked, and holds it as saved:
    its meeting type and relations page, its lists prefetched and its tags attached with
    their topics (an import does). The revision and the document are made from that, not
    from the meeting read back, and the row is not locked again."""
    subject = meeting.draft_of or meeting
    data = snapshot(meeting) if content_in_hand else read(meeting)
    # No savepoint: a revision is never kept apart from the change it records.
    with transaction.atomic(savepoint=False):
        if not content_in_hand:
            Meeting.objects.select_for_update().filter(pk=subject.pk).first()  # numbers in turn
        last = subject.revisions.aggregate(last=Max("number"))["last"] or 0
        revision = MeetingRevision.objects.create(
            meeting=subject,
            number=last + 1,
            created_by=by,
            state=meeting.state,
            correction=meeting.draft_of_id is not None,
            event=event,
            data=data,
        )
        Meeting.objects.filter(pk=meeting.pk).update(edit_version=F("edit_version") + 1)
        if content_in_hand:
            meeting.edit_version += 1  # its copy is current: the row is locked since it was read
        else:
            meeting.refresh_from_db(fields=["edit_version"])
        indexing.index(meeting, content_in_hand=content_in_hand)
        return revision


def lock(meeting):
    """The meeting as saved, its row locked until the transaction ends: changes queue up."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def as_text(data):
    """A revision as readable lines, for comparing two."""
    duration = data["duration_minutes"]
    duration_text = describe_duration(timedelta(minutes=duration)) if duration else "—"
    lines = [
        f"Title: {data['title']}",
        *([f"Title (Japanese): {data['title_ja']}"] if data.get("title_ja") else []),
        f"Type: {data['meeting_type']}",
        f"Date: {data['date']}",
        f"Start time: {data['start_time'] or '—'}",
        f"Duration: {duration_text}",
        f"Place: {data['place'] or '—'}",
        f"Topics: {', '.join(data['tags']) or '—'}",
        "",
        "Participants:",
        *(f"  {p['side']}: {p['name']}, {p['title']}" for p in data["participants"]),
        "Photos:",
        *(f"  {p['caption']} [{p['image'] or 'caption only'}]" for p in data["photo_sessions"]),
        "",
        "Lead:",
        *data["lead"].split("\n"),
        *(["", "Lead (Japanese):", *data["lead_ja"].split("\n")] if data.get("lead_ja") else []),
        "",
        "Overview:",
    ]
    number = sub_number = 0
    for item in data["agenda_items"]:
        if item["is_sub_item"] and number:
            sub_number += 1
            label = f"    ({sub_number})"
        else:
            number, sub_number = number + 1, 0
            label = f"  {number}."
        topics = f"  [{', '.join(item['tags'])}]" if item["tags"] else ""
        lines.append(f"{label} {item['text']}{topics}")
        if item.get("text_ja"):
            lines.append(f"{' ' * len(label)} {item['text_ja']}")
    return lines


def diff(older, newer):
    """Lines of a unified comparison of two revisions: (kind, text), kind in ' +-@'."""
    compared = difflib.unified_diff(
        as_text(older.data),
        as_text(newer.data),
        f"revision {older.number}",
        f"revision {newer.number}",
        lineterm="",
        n=2,
    )
    return [(line[:1] if line[:1] in "+-@" else " ", line) for line in list(compared)[2:]]


def _translated_fields(model):
    """The fields editors write in both languages (registered in meetings/translation.py)."""
    return sorted(translator.get_options_for_model(model).fields)


def _both_languages(obj):
    """The object's texts as a revision keeps them: English under the plain name, Japanese
    under `…_ja`."""
    texts = {}
    for name in _translated_fields(type(obj)):
        texts[name] = getattr(obj, f"{name}_en")
        texts[f"{name}_ja"] = getattr(obj, f"{name}_ja") or ""
    return texts


def _columns(data, model):
    """A revision's texts as the model's columns: English `…_en`, Japanese `…_ja`.

    Revisions made before the site was bilingual have no `…_ja` keys: no Japanese."""
    columns = {}
    for name in _translated_fields(model):
        columns[f"{name}_en"] = data[name]
        columns[f"{name}_ja"] = data.get(f"{name}_ja", "")
    return columns


def _row(data, model):
    """A revision's participant or photo as the model's fields."""
    texts = {name for field in _translated_fields(model) for name in (field, f"{field}_ja")}
    others = {name: value for name, value in data.items() if name not in texts}
    return {**others, **_columns(data, model)}


def apply(data, meeting):
    """Give the meeting the content a revision holds (its state is the workflow's business)."""
    for column, value in _columns(data, Meeting).items():
        setattr(meeting, column, value)
    meeting.meeting_type = (
        MeetingType.objects.filter(pk=data["meeting_type_id"]).first() or meeting.meeting_type
    )
    meeting.date = date.fromisoformat(data["date"])
    meeting.start_time = time.fromisoformat(data["start_time"]) if data["start_time"] else None
    minutes = data["duration_minutes"]
    meeting.duration = timedelta(minutes=minutes) if minutes else None
    meeting.save()
    meeting.tags.set(data["tags"])
    meeting.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(meeting=meeting, position=position, **_row(person, Participant))
        for position, person in enumerate(data["participants"], start=1)
    )
    meeting.photo_sessions.all().delete()
    photos = PhotoSession.objects.bulk_create(
        PhotoSession(meeting=meeting, position=position, **_row(photo, PhotoSession))
        for position, photo in enumerate(data["photo_sessions"], start=1)
    )
    # Saved in bulk, so imagekit is not told: the photos' renditions are made here if they
    # are missing (they are shared with the rows the photos were copied from).
    renditions.make_renditions(photos)
    meeting.agenda_items.all().delete()
    for position, item in enumerate(data["agenda_items"], start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            is_sub_item=item["is_sub_item"],
            **_columns(item, AgendaItem),
        ).tags.set(item["tags"])
    return meeting


def as_meeting(revision):
    """The revision as an unsaved meeting that the public page template can render."""
    data, current = revision.data, revision.meeting
    meeting = Meeting(
        pk=current.pk,  # related lists below are read from the prefetch cache, never the db
        relations_page=current.relations_page,
        slug=current.slug,
        **_columns(data, Meeting),
        meeting_type=MeetingType.objects.filter(pk=data["meeting_type_id"]).first()
        or current.meeting_type,
        date=date.fromisoformat(data["date"]),
        start_time=time.fromisoformat(data["start_time"]) if data["start_time"] else None,
        duration=timedelta(minutes=data["duration_minutes"]) if data["duration_minutes"] else None,
        state=revision.state,
    )
    named = Tag.objects.filter(name__in=_all_tag_names(data)).select_related("topic")
    tags = {tag.name: tag for tag in named}
    items = []
    for position, item in enumerate(data["agenda_items"], start=1):
        agenda_item = AgendaItem(
            pk=-position,
            position=position,
            is_sub_item=item["is_sub_item"],
            **_columns(item, AgendaItem),
        )
        agenda_item.tag_list = [tags[name] for name in item["tags"] if name in tags]
        items.append(agenda_item)
    meeting.tag_list = [tags[name] for name in data["tags"] if name in tags]
    meeting._prefetched_objects_cache = {
        "agenda_items": items,
        "participants": [
            Participant(**_row(person, Participant)) for person in data["participants"]
        ],
        "photo_sessions": [
            PhotoSession(**_row(photo, PhotoSession)) for photo in data["photo_sessions"]
        ],
        "change_notes": list(current.change_notes.all()),
    }
    return meeting


def _all_tag_names(data):
    return {*data["tags"], *(name for item in data["agenda_items"] for name in item["tags"])}
