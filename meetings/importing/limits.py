"""What one readout may hold, checked before anything is written.

A file too large, more photos or agenda items than a readout has, a date or a duration no
meeting has, or a value longer than its column: each ends as a `ReadoutError` naming the
line, never as a database error, and alike on SQLite (which stores any length) and
PostgreSQL (which refuses). Lengths are read off the model fields, so a migration changing
a field's max_length changes the check with it. The limits are settings (README,
“Configuration”).
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from taggit.models import Tag

from meetings.models import Meeting, Participant, PhotoSession, describe_duration
from relations.models import RelationsPage

from .errors import ReadoutError

# The longest meeting, as the admin's duration field (meetings/forms.py) has it too.
MAX_DURATION = timedelta(hours=24)


def check_size(size):
    """Refuse a file (or pasted text) of more bytes than one readout can need."""
    limit = settings.PORTAL_IMPORT_MAX_BYTES
    if size > limit:
        raise ReadoutError(f"the text is larger than {size_text(limit)}; is it one readout?", 1)


def check_date(day, written, line):
    earliest, latest = date(settings.PORTAL_EARLIEST_YEAR, 1, 1), latest_date()
    if not earliest <= day <= latest:
        raise ReadoutError(
            f"“{written}” is out of range: meetings dated from {earliest.year} to "
            f"{latest:%B} {latest.day}, {latest.year} are imported",
            line,
        )


def latest_date():
    """A meeting may be announced ahead, but not by more than a year."""
    return timezone.localdate() + timedelta(days=366)


def check_duration_minutes(minutes, written, line=None):
    """Refuse a duration longer than any meeting, before it is made a timedelta."""
    if minutes > MAX_DURATION.total_seconds() // 60:
        raise ReadoutError(
            f"the meeting lasts more than {describe_duration(MAX_DURATION)} "
            f"(“{written[:60]}”); check the duration",
            line,
        )


def check_photos(captions, lines):
    limit = settings.PORTAL_IMPORT_MAX_PHOTOS
    if len(captions) > limit:
        raise ReadoutError(
            f"more than {limit} photos: is this one readout? (PORTAL_IMPORT_MAX_PHOTOS)",
            lines[limit] if len(lines) > limit else None,
        )


def check_items(items):
    limit = settings.PORTAL_IMPORT_MAX_ITEMS
    if len(items) > limit:
        raise ReadoutError(
            f"more than {limit} agenda items: is this one readout? (PORTAL_IMPORT_MAX_ITEMS)",
            items[limit].line,
        )


def check_lengths(parsed):
    """Every text the import writes fits its column."""
    topics = topics_with_lines(parsed)
    for model, field_name, value, what, line in texts_to_write(parsed, topics):
        limit = model._meta.get_field(field_name).max_length
        if len(value) > limit:
            raise ReadoutError(f"{what} is {len(value)} characters; at most {limit} fit", line)
    # A new tag's slug is made from its name, and may come out longer (“㎒” → “mhz”); taggit
    # adds “_1”, “_2”… on a clash, so leave it room for that.
    slug_limit = Tag._meta.get_field("slug").max_length - len("_99")
    for tag, line in topics:
        if len(Tag().slugify(tag)) > slug_limit:
            raise ReadoutError(
                f"the topic “{tag[:20]}…” makes an address longer than {slug_limit} characters",
                line,
            )


def topics_with_lines(parsed):
    return [
        *((tag, parsed.lines.get("title")) for tag in parsed.tags),
        *((tag, item.line) for item in parsed.agenda_items for tag in item.tags),
    ]


def texts_to_write(parsed, topics):
    """(model, field, value, what it is, line) of each text an import writes."""
    lines = parsed.lines
    lead_line = lines.get("lead")
    caption_lines = parsed.caption_lines + [None] * len(parsed.photo_captions)
    return [
        (
            RelationsPage,
            "title",
            parsed.relations_page_title,
            "the relations page’s title",
            lines.get("relations_page_title"),
        ),
        (Meeting, "title", parsed.title, "the title", lines.get("title")),
        (Meeting, "place", parsed.place, "the place", lead_line),
        *(
            (PhotoSession, "caption", caption, "the photo caption", line)
            for caption, line in zip(parsed.photo_captions, caption_lines, strict=False)
        ),
        *(
            (Participant, field, getattr(person, field), f"the participant’s {field}", lead_line)
            for person in parsed.participants
            for field in ("name", "title")
        ),
        *((Tag, "name", tag, f"the topic “{tag[:20]}…”", line) for tag, line in topics),
    ]


def check_readout(parsed):
    """All of the above, for a parsed readout that may have changed since it was parsed."""
    day, lines = parsed.date, parsed.lines
    check_date(day, f"{day:%B} {day.day}, {day.year}", lines.get("date"))
    if parsed.duration is not None:
        minutes = parsed.duration.total_seconds() // 60
        check_duration_minutes(minutes, parsed.duration_text, lines.get("lead"))
    check_photos(parsed.photo_captions, parsed.caption_lines)
    check_items(parsed.agenda_items)
    check_lengths(parsed)


def size_text(count):
    """1048576 → “1 MB”; 2000 → “2,000 bytes”."""
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024):,} MB"
    return f"{count:,} bytes"
