"""What an import will write, described for people: the admin preview and `--dry-run`."""

from django.utils import timezone

from meetings.models import describe_duration

from .saving import backfill_time, existing_for


def numbered(parsed):
    """[(“3.”, item, [(“(1)”, sub-item), …]), …] as the page will number the overview."""
    return [
        (f"{number}.", item, [(f"({sub_number})", sub) for sub_number, sub in enumerate(subs, 1)])
        for number, (item, subs) in enumerate(parsed.overview(), 1)
    ]


def describe(parsed, *, backfill=False):
    """A JSON-ready account of a parsed readout and of what importing it would change.

    For a back-fill, when it would be published, or that it would be skipped; ReadoutError
    for a meeting yet to come, as the import itself would refuse it."""
    page, meeting = existing_for(parsed)
    described = {
        "relations_page": parsed.relations_page_title,
        "relations_page_exists": page is not None,
        "existing_meeting": meeting.get_absolute_url() if meeting else None,
        "date": parsed.date.isoformat(),
        "title": parsed.title,
        "meeting_type": parsed.meeting_type_slug,
        "start_time": parsed.start_time.strftime("%H:%M") if parsed.start_time else None,
        "duration_minutes": (
            round(parsed.duration.total_seconds() / 60) if parsed.duration else None
        ),
        "duration": describe_duration(parsed.duration) or None,
        "place": parsed.place or None,
        "participants": [
            {"side": p.side, "name": p.name, "title": p.title} for p in parsed.participants
        ],
        "photo_captions": parsed.photo_captions,
        "lead": parsed.lead,
        "overview": [
            {
                "number": number,
                "text": item.text,
                "tags": item.tags,
                "sub_items": [
                    {"number": sub_number, "text": sub.text, "tags": sub.tags}
                    for sub_number, sub in subs
                ],
            }
            for number, item, subs in numbered(parsed)
        ],
        "tags": parsed.tags,
        "warnings": [{"line": w.line, "message": w.message} for w in parsed.warnings],
    }
    if backfill:
        described["backfill"] = {
            "published_at": timezone.localtime(backfill_time(parsed)).isoformat(),
            "skipped": meeting is not None,
        }
    return described
