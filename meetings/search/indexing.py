"""Each meeting's search document and topic entries, kept current.

The topic entries (`TopicEntry`, the points of the topics' timelines) are written with the
document, from the same reading of the meeting, its items and their tags.

`index(meeting)` is called by `revisions.record`, through which every change of a meeting's
content goes (admin saves, imports, restores, every workflow step, and a correction applied
onto its published meeting). A document also copies a few names from other rows: its
relations page's title and counterpart, its meeting type's name, its topics' names and
labels. Those rows change rarely, in the admin or by renaming and merging topics
(`meetings.topics`); `listen_for_renames` re-indexes the meetings that show a changed one,
and `topics.merge_topics` re-indexes the meetings whose tags it moves.

`manage.py index_meetings` rebuilds every document; after each `migrate`, the meetings
without a document get one (`index_missing`), so an existing database is searchable as
soon as it is migrated.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Value
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from meetings.models import Meeting, SearchDocument, Topic, TopicEntry, attach_tags, tag_list

from . import bigrams, text

BATCH_SIZE = 500


def index(meeting, *, content_in_hand=False):
    """Write the meeting's search document as the meeting is saved now.

    `content_in_hand`: as `revisions.record` has it; the document is made from the meeting
    as the caller holds it, not read back."""
    if content_in_hand:
        _with_search_topics([meeting])
        _write_documents([meeting])
    else:
        index_meetings([meeting.pk])


def index_meetings(meeting_ids, *, batch_size=BATCH_SIZE):
    """Write the search documents of these meetings (ids, or a queryset of meetings), a
    batch at a time in a few queries; returns how many were written."""
    if hasattr(meeting_ids, "values_list"):
        meeting_ids = meeting_ids.values_list("pk", flat=True)
    meeting_ids = list(meeting_ids)
    for start in range(0, len(meeting_ids), batch_size):
        _write_documents(_read(meeting_ids[start : start + batch_size]))
    return len(meeting_ids)


def _write_documents(meetings):
    """Write the documents, topics and topic entries of meetings as `_read` gives them."""
    batch = [meeting.pk for meeting in meetings]
    carried = SearchDocument.topics.through
    SearchDocument.objects.bulk_create(
        [document_for(meeting) for meeting in meetings],
        update_conflicts=True,
        unique_fields=["meeting"],
        update_fields=["text", "vector"],
    )
    carried.objects.filter(searchdocument__in=batch).delete()
    carried.objects.bulk_create(
        carried(searchdocument_id=meeting.pk, tag_id=tag.pk)
        for meeting in meetings
        for tag, _ in meeting.search_topics
    )
    TopicEntry.objects.filter(meeting__in=batch).delete()
    TopicEntry.objects.bulk_create(
        entry for meeting in meetings for entry in topic_entries_for(meeting)
    )


def index_missing():
    """Give every meeting without a search document one; returns how many."""
    return index_meetings(Meeting.objects.filter(search_document__isnull=True).order_by("pk"))


def _read(meeting_ids):
    """The meetings with everything their documents hold, in four queries; each with its
    `search_topics`, [(tag, its Topic or None)] of the meeting and its agenda items."""
    meetings = list(
        Meeting.objects.filter(pk__in=meeting_ids)
        .select_related("meeting_type", "relations_page")
        .prefetch_related("participants", "agenda_items")
    )
    items = [item for meeting in meetings for item in meeting.agenda_items.all()]
    attach_tags([*meetings, *items])
    return _with_search_topics(meetings)


def _with_search_topics(meetings):
    """Give each meeting, its items at hand and tags attached (with their topics), its
    `search_topics`."""
    for meeting in meetings:
        carried = [meeting, *meeting.agenda_items.all()]
        tags = {tag.pk: tag for obj in carried for tag in obj.tag_list}
        # A tag outside the vocabulary has no topic (the attribute raises).
        meeting.search_topics = [(tag, getattr(tag, "topic", None)) for tag in tags.values()]
    return meetings


def topic_entries_for(meeting):
    """The unsaved topic entries of a meeting whose items are at hand (prefetched) and whose
    tags are attached: one per tag of each item, and one per tag of the meeting itself that
    none of its items carries."""
    common = {
        "meeting": meeting,
        "date": meeting.date,
        "start_time": meeting.start_time,
        "relations_page_id": meeting.relations_page_id,
    }
    return [
        TopicEntry(tag=tag, item=item, rank=rank, **common)
        for tag, item, rank in topic_points(meeting)
    ]


def topic_points(meeting):
    """What tells a meeting's topic entries apart: [(tag, item or None, rank)], in the
    order `topic_entries_for` makes them (which see)."""
    points, on_items = [], set()
    for item in meeting.agenda_items.all():
        for tag in tag_list(item):
            points.append((tag, item, item.position))
            on_items.add(tag.pk)
    for tag in tag_list(meeting):
        if tag.pk not in on_items:
            points.append((tag, None, 0))
    return points


def both(obj, field):
    """A translated field's text in every language: [English, Japanese]."""
    return [getattr(obj, f"{field}_{code}") or "" for code, _ in settings.LANGUAGES]


def english(obj, field):
    return getattr(obj, f"{field}_{settings.LANGUAGE_CODE}") or ""


def document_for(meeting):
    """The unsaved search document of a meeting read by `_read`."""
    # Besides title and lead, what a reader may look a meeting up by: (row, field).
    rest = [
        *((item, "text") for item in meeting.agenda_items.all()),
        *((person, field) for person in meeting.participants.all() for field in ("name", "title")),
        (meeting, "place"),
        (meeting.relations_page, "title"),
        (meeting.relations_page, "counterpart"),
        (meeting.meeting_type, "name"),
        *((topic, "label") for _, topic in meeting.search_topics if topic is not None),
    ]
    tag_names = [tag.name for tag, _ in meeting.search_topics]
    weighted = {  # weight → [(English text, every language's text)]
        "A": (english(meeting, "title"), both(meeting, "title")),
        "B": (english(meeting, "lead"), both(meeting, "lead")),
        "C": (
            " ".join([english(row, field) for row, field in rest] + tag_names),
            [value for row, field in rest for value in both(row, field)] + tag_names,
        ),
    }
    document = SearchDocument(
        meeting=meeting,
        text=text.normalised(*(value for _, texts in weighted.values() for value in texts)),
    )
    if connection.vendor == "postgresql":
        document.vector = _vector(weighted)
    return document


def _vector(weighted):
    """English words, stemmed, and Japanese as pairs of characters (`bigrams`), each
    weighted by where it stands: title A, lead B, the rest C."""
    vector = None
    for weight, (english_text, texts) in weighted.items():
        # The words as `text.words` reads them, as queries are read: “U.S.” is “u s”.
        words = Value(" ".join(text.words(english_text)))
        parts = [SearchVector(words, config="english", weight=weight)]
        japanese = bigrams.vector_literal(*texts)
        if japanese:
            parts.append(bigrams.WrittenVector(japanese, weight))
        for part in parts:
            vector = part if vector is None else vector + part
    return vector


def _names_copied():
    """The rows documents copy names from: {model label: (its fields copied, the meetings
    whose documents show the row)}."""
    languages = [code for code, _ in settings.LANGUAGES]

    def localised(*fields):
        return [f"{field}_{code}" for field in fields for code in languages]

    return {
        "relations.RelationsPage": (
            localised("title", "counterpart"),
            lambda page: Meeting.objects.filter(relations_page=page),
        ),
        "meetings.MeetingType": (
            localised("name"),
            lambda meeting_type: Meeting.objects.filter(meeting_type=meeting_type),
        ),
        "taggit.Tag": (["name"], lambda tag: Meeting.objects.carrying_topic(tag)),
        "meetings.Topic": (
            ["tag_id", *localised("label")],
            lambda topic: Meeting.objects.carrying_topic(topic.tag_id),
        ),
    }


def listen_for_renames():
    """Connected once, when the app is ready (meetings/apps.py)."""
    for label, (fields, showing) in _names_copied().items():
        model = apps.get_model(label)
        uid = f"search:{label}"
        pre_save.connect(_remember(fields), sender=model, dispatch_uid=f"{uid}:pre", weak=False)
        post_save.connect(
            _reindex_if_renamed(fields, showing), sender=model, dispatch_uid=uid, weak=False
        )
        if label in ("taggit.Tag", "meetings.Topic"):
            pre_delete.connect(
                _remember_showing(showing), sender=model, dispatch_uid=f"{uid}:d", weak=False
            )
            post_delete.connect(_reindex_showing, sender=model, dispatch_uid=f"{uid}:D")


def _remember(fields):
    def remember(sender, instance, raw=False, **kwargs):
        if instance.pk is not None and not raw:
            saved = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
            instance._search_names_saved = saved

    return remember


def _reindex_if_renamed(fields, showing):
    def reindex(sender, instance, created, raw=False, **kwargs):
        if raw:
            return
        now = {field: getattr(instance, field) for field in fields}
        saved = instance.__dict__.pop("_search_names_saved", None)
        if created:
            # A new page, type or tag is on no meeting yet; a new topic changes the
            # documents of its tag's meetings only with a label.
            labels = [value for field, value in now.items() if field.startswith("label")]
            if sender is not Topic or not any(labels):
                return
        elif saved == now:
            return
        index_meetings(showing(instance))

    return reindex


def _remember_showing(showing):
    def remember(sender, instance, **kwargs):
        instance._search_showing = list(showing(instance).values_list("pk", flat=True))

    return remember


def _reindex_showing(sender, instance, **kwargs):
    index_meetings(instance.__dict__.pop("_search_showing", []))


def index_missing_after_migrate(sender, using, **kwargs):
    """After `migrate` (and the flush of a transactional test): documents for the meetings
    without one, e.g. every meeting of a database migrated to search, or restored from a
    backup made before it."""
    if using != DEFAULT_DB_ALIAS:
        return
    if SearchDocument._meta.db_table in connection.introspection.table_names():
        index_missing()
