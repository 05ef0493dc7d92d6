"""Writing generated readouts into the database in bulk, as the importer would leave them.

Importing one readout at a time (`save_readout`) costs tens of queries; 50,000 would take
over an hour. Here each batch of meetings is written a table at a time (on PostgreSQL by
COPY, with the tables' foreign keys and non-unique indexes made again after the load):
meetings, participants, photo captions, agenda items, their tags, the first revision, the
publication log, the search document and the topic entries. Published meetings are
back-filled (published at their own date, their log row marked so: see
`workflow.backfill`), drafts are imported.
The revision and the search document are built by the functions the site uses
(`revisions.snapshot`, `indexing.document_for`) from the rows in memory, so they read as
if the meetings had been imported one by one; tests compare them with the real thing.
"""

import random
import uuid
from collections import Counter
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from modeltranslation.translator import translator
from taggit.models import Tag, TaggedItem

from meetings import caching, revisions, topics
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingRevision,
    MeetingType,
    Participant,
    PhotoSession,
    PublicationLogEntry,
    SearchDocument,
    Topic,
    TopicEntry,
)
from meetings.search import indexing
from meetings.workflow.backfill import COMMENT as BACKFILL_COMMENT
from meetings.workflow.backfill import backfill_publication_time
from relations.models import Region, RelationsPage

from . import readouts as made_up

BATCH_SIZE = 1000
State = Meeting.State

# What `log_step` records when an import back-fills a new meeting.
BACKFILL_EVENT = f"{State.DRAFT.label} → {State.PUBLISHED.label}. {BACKFILL_COMMENT}"


def write_archive(
    *,
    meetings,
    relations=20,
    seed=2024,
    years=30,
    published_share=0.98,
    today=None,
    progress=None,
):
    """Write `meetings` generated readouts under `relations` relations pages, all or
    nothing; returns a Counter of the rows written by kind. `progress(done)` is called
    after each batch."""
    rng = random.Random(f"states-{seed}")
    now = timezone.now()
    today = today or timezone.localdate(now)
    written = Counter()
    with transaction.atomic(), _indexes_and_foreign_keys_set_aside():
        pages = _relations_pages(made_up.countries(relations, seed), written)
        tags = _topics(written)
        types = {meeting_type.slug: meeting_type for meeting_type in MeetingType.objects.all()}
        taken = set(Meeting.objects.live().values_list("relations_page_id", "date", "slug"))
        batch, done = [], 0
        generated = made_up.readouts(
            meetings, relations=relations, seed=seed, years=years, today=today
        )
        for readout in generated:
            meeting = _meeting(readout, pages, types, rng, published_share, now)
            address = (meeting.relations_page_id, meeting.date, meeting.slug)
            if address in taken:  # --add: a meeting is already there
                written["skipped"] += 1
                continue
            taken.add(address)
            batch.append((readout, meeting))
            if len(batch) == BATCH_SIZE:
                _write_batch(batch, tags, now, written)
                done += len(batch)
                batch = []
                if progress:
                    progress(done)
        if batch:
            _write_batch(batch, tags, now, written)
            done += len(batch)
            if progress:
                progress(done)
        caching.content_changed()
    return written


# The tables written a batch at a time.
WRITTEN = [
    Meeting,
    Participant,
    PhotoSession,
    AgendaItem,
    TaggedItem,
    MeetingRevision,
    PublicationLogEntry,
    SearchDocument,
    SearchDocument.topics.through,
    TopicEntry,
]


@contextmanager
def _indexes_and_foreign_keys_set_aside():
    """On PostgreSQL, drop the written tables' foreign keys and their indexes but the
    unique ones while the archive is written, and make them again after, as they were.
    Building an index over 50,000 meetings' rows takes a fraction of a second, keeping it
    current row by row far longer (the search documents' GIN indexes most); a foreign key
    made again checks every row in one join instead of one query per row at commit.
    Inside the transaction, so a failed run leaves them as they were."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in WRITTEN]
    with connection.cursor() as cursor:
        # A table is not altered over pending checks (e.g. rows added earlier by a test).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)"
            " ORDER BY conrelid::regclass::text, conname",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indrelid::regclass::text, indexrelid::regclass::text,"
            " pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid::regclass::text = ANY(%s) AND NOT indisunique ORDER BY 1, 2",
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for _, name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        # Check the deferred foreign keys now: a table is not altered over pending checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for _, _, definition in indexes:
            cursor.execute(definition)


def _relations_pages(countries, written):
    """{country name: its relations page}, creating the regions and pages not there yet."""
    regions = {region.slug: region for region in Region.objects.all()}
    new_regions = [
        Region(slug=slug, name=name, position=position)
        for position, (slug, name) in enumerate(made_up.REGIONS.items(), start=1)
        if slug not in regions
        and not Region.objects.filter(name=name).exists()
        and any(country.region == slug for country in countries)
    ]
    Region.objects.bulk_create(new_regions)
    regions.update((region.slug, region) for region in new_regions)
    written["regions"] += len(new_regions)
    existing = {page.title: page for page in RelationsPage.objects.all()}
    slugs = {page.slug for page in existing.values()}
    new_pages = []
    for country in countries:
        if country.page_title in existing:
            continue
        slug = base = made_up.slugify(country.name)
        suffix = 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        new_pages.append(
            RelationsPage(
                title=country.page_title,
                title_en=country.page_title,
                counterpart=country.name,
                counterpart_en=country.name,
                slug=slug,
                region=regions.get(country.region),
                introduction=(
                    f"Readouts of Japan's meetings with {country.name}: summit meetings, "
                    "foreign ministers' meetings, telephone talks and dialogues."
                ),
            )
        )
    RelationsPage.objects.bulk_create(new_pages)
    written["relations pages"] += len(new_pages)
    pages = {**existing, **{page.title: page for page in new_pages}}
    return {country.name: pages[country.page_title] for country in countries}


def _topics(written):
    """{topic name: tag}: the demo vocabulary, defined where it is not yet."""
    tags = {}
    for topic in made_up.load_topics():
        tag = Tag.objects.filter(name__iexact=topic["name"]).first()
        if tag is None:
            tag = topics.define_topic(topic["name"], "\n".join(topic["synonyms"])).tag
            written["topics"] += 1
        tags[topic["name"]] = tag
    # A tag's topic, for search documents (its labels) as `attach_tags` reads it.
    by_tag = {topic.tag_id: topic for topic in Topic.objects.filter(tag__in=tags.values())}
    for tag in tags.values():
        tag.topic_row = by_tag.get(tag.pk)
    return tags


def _meeting(readout, pages, types, rng, published_share, now):
    page = pages[readout.country.name]
    meeting_type = types.get(readout.meeting_type_slug) or types["other"]
    meeting = _translated(
        Meeting,
        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
        relations_page_id=page.pk,
        meeting_type_id=meeting_type.pk,
        date=readout.day,
        start_time=readout.start_time,
        duration=readout.duration,
        edit_version=2,  # saved, then published (or recorded as imported)
        title=readout.title,
        place=readout.place,
        lead="\n\n".join(readout.lead),
    )
    meeting._state.fields_cache.update(relations_page=page, meeting_type=meeting_type)
    meeting.slug = meeting.slug_from_title()
    if rng.random() < published_share:
        meeting.state = State.PUBLISHED
        meeting.published_at = backfill_publication_time(
            readout.day, readout.start_time, readout.duration, now=now
        )
    return meeting


def _write_batch(batch, tags, now, written):
    meetings = [meeting for _, meeting in batch]
    _create(Meeting, meetings)
    people, photos, items = [], [], []
    for readout, meeting in batch:
        meeting_people = [
            _translated(
                Participant,
                meeting_id=meeting.pk,
                side=side,
                position=position,
                name=name,
                title=title,
            )
            for position, (side, name, title) in enumerate(readout.participants, start=1)
        ]
        meeting_photos = [
            _translated(PhotoSession, meeting_id=meeting.pk, position=position, caption=caption)
            for position, caption in enumerate(readout.captions, start=1)
        ]
        meeting_items = [
            _translated(
                AgendaItem,
                meeting_id=meeting.pk,
                position=position,
                is_sub_item=item.is_sub_item,
                text=item.text,
            )
            for position, item in enumerate(readout.items, start=1)
        ]
        meeting._prefetched_objects_cache = {
            "participants": meeting_people,
            "photo_sessions": meeting_photos,
            "agenda_items": meeting_items,
            "tags": _sorted_tags(tags, readout.topics),
        }
        for row, item in zip(meeting_items, readout.items, strict=True):
            row._prefetched_objects_cache = {"tags": _sorted_tags(tags, item.topics)}
        people += meeting_people
        photos += meeting_photos
        items += meeting_items
    _create(Participant, people)
    _create(PhotoSession, photos)
    _create(AgendaItem, items)

    meeting_type = ContentType.objects.get_for_model(Meeting).pk
    item_type = ContentType.objects.get_for_model(AgendaItem).pk
    tagged = [
        (content_type, obj.pk, tag.pk)
        for content_type, objects in [(meeting_type, meetings), (item_type, items)]
        for obj in objects
        for tag in obj._prefetched_objects_cache["tags"]
    ]
    _insert(TaggedItem, ["content_type_id", "object_id", "tag_id"], tagged)

    history, log, documents, carried, entries = [], [], [], [], []
    for meeting in meetings:
        published = meeting.state == State.PUBLISHED
        history.append(
            MeetingRevision(
                meeting=meeting,
                number=1,
                created_at=now,
                state=meeting.state,
                event=BACKFILL_EVENT if published else "Imported",
                data=revisions.snapshot(meeting),
            )
        )
        if published:
            log.append(
                PublicationLogEntry(
                    meeting=meeting,
                    meeting_title=meeting.title,
                    at=now,
                    from_state=State.DRAFT,
                    to_state=State.PUBLISHED,
                    published_at=meeting.published_at,
                    version=1,
                    comment=BACKFILL_COMMENT,
                    backfill=True,
                )
            )
        meeting.search_topics = _search_topics(meeting)
        documents.append(indexing.document_for(meeting))
        carried += [(meeting.pk, tag.pk) for tag, _ in meeting.search_topics]
        entries += [_topic_entry_row(meeting, *point) for point in indexing.topic_points(meeting)]
    _create(MeetingRevision, history)
    _create(PublicationLogEntry, log)
    SearchDocument.objects.bulk_create(documents)
    _insert(SearchDocument.topics.through, ["searchdocument_id", "tag_id"], carried)
    _insert(TopicEntry, TOPIC_ENTRY_COLUMNS, entries)

    written["meetings"] += len(meetings)
    written["published"] += len(log)
    written["participants"] += len(people)
    written["photo captions"] += len(photos)
    written["agenda items"] += len(items)
    written["sub-items"] += sum(item.is_sub_item for item in items)
    written["tags on meetings and items"] += len(tagged)
    written["publication log entries"] += len(log)
    written["revisions"] += len(history)
    written["search documents"] += len(documents)
    written["topic entries"] += len(entries)


def _create(model, objects):
    """`bulk_create`, on PostgreSQL by COPY: the values prepared as `bulk_create` prepares
    them (each field's `pre_save` and `get_db_prep_save`), the new rows' ids taken from
    the table's sequence first and set on the objects. Django 5.2's `bulk_create` sends
    each column as an array to unnest, which psycopg writes out value by value (quoting
    the revisions' JSON was seconds a batch). For rows without expressions."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    if not objects:
        return
    opts, quote = model._meta, connection.ops.quote_name
    fields = [field for field in opts.concrete_fields if not field.generated]
    # The connection itself, not the proxy: fields look up its `ops` for every value.
    db = connections[connection.alias]
    with db.cursor() as cursor:
        if opts.pk in fields and any(obj.pk is None for obj in objects):
            new = [obj for obj in objects if obj.pk is None]
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id"
                " FROM generate_series(1, %s) ORDER BY id",
                [opts.db_table, opts.pk.column, len(new)],
            )
            for obj, (pk,) in zip(new, cursor.fetchall(), strict=True):
                obj.pk = pk
        names = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({names}) FROM STDIN") as copy:
            for obj in objects:
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                copy.write_row(
                    [field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields]
                )
                obj._state.adding = False
                obj._state.db = db.alias


def _translated(model, **values):
    """An unsaved row whose translated fields hold their English text under both names.

    Made from a copy of a new row's fields rather than by `Model(…)`: with the translation
    fields' set-up, building half a million rows that way takes a good part of the run."""
    template = _TEMPLATES.get(model)
    if template is None:
        fields = translator.get_options_for_model(model).fields
        blank = model()
        template = _TEMPLATES[model] = (fields, {**blank.__dict__, "_state": None})
    fields, defaults = template
    row = model.__new__(model)
    row.__dict__.update(defaults)
    row._state = ModelState()
    for name, value in values.items():
        row.__dict__[name] = value
        if name in fields:
            row.__dict__[f"{name}_en"] = value
    return row


_TEMPLATES = {}

TOPIC_ENTRY_COLUMNS = [
    "tag_id",
    "meeting_id",
    "item_id",
    "rank",
    "date",
    "start_time",
    "relations_page_id",
]


def _insert(model, columns, rows):
    """Insert plain rows (integers, text, dates) nothing reads back, as taggit's and
    search's link rows. On PostgreSQL by COPY: an INSERT of a thousand rows costs more in
    parsing its placeholders (client) and its statement (server) than in writing them.
    Elsewhere in one INSERT statement per thousand."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = f"({', '.join(['%s'] * len(columns))})"
        size = max(1, min(1000, connection.ops.bulk_batch_size(columns, rows) or 1000))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def _topic_entry_row(meeting, tag, item, rank):
    """A `TopicEntry` (see `indexing.topic_entries_for`) as the plain values of
    `TOPIC_ENTRY_COLUMNS`, for `_insert`."""
    ops = connection.ops
    return (
        tag.pk,
        meeting.pk,
        item.pk if item else None,
        rank,
        ops.adapt_datefield_value(meeting.date),
        ops.adapt_timefield_value(meeting.start_time),
        meeting.relations_page_id,
    )


def _sorted_tags(tags, names):
    """The tags of these names, by name, as `attach_tags` orders them."""
    return sorted((tags[name] for name in set(names)), key=lambda tag: tag.name)


def _search_topics(meeting):
    """[(tag, its topic)] of the meeting and its items, as `indexing._read` gives them."""
    carried = {}
    for obj in [meeting, *meeting.agenda_items.all()]:
        for tag in obj._prefetched_objects_cache["tags"]:
            carried.setdefault(tag.pk, tag)
    return [(tag, tag.topic_row) for tag in carried.values()]
