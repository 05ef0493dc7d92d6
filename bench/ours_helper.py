#!/usr/bin/env python
"""The benchmark's in-process helpers for the portal (run with the portal's settings).

    python bench/ours_helper.py tag ARCHIVE_DIR
        Tag the imported meetings with the topics in ARCHIVE_DIR/topics.json (the readout
        text shape has no place for topics).
    python bench/ours_helper.py import-stats --out STATS.json FILE_OR_FOLDER…
        Import and publish each readout as `manage.py import_readout --publish` does
        (meetings.importing: decode, parse_readout with the editors' vocabulary when the
        importer has one, save_readout(publish=True)), then tag it, timing both steps and
        counting their SQL queries with a connection execute wrapper (cheap: no SQL is
        formatted). Loading the vocabulary, once per command, is counted apart.

Needs DJANGO_SETTINGS_MODULE=portal.settings (or unset), DATABASE_URL and DJANGO_SECRET_KEY
in the environment; the portal directory is found from this file's place, or BENCH_PORTAL_DIR.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

PORTAL_DIR = os.environ.get("BENCH_PORTAL_DIR") or str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, PORTAL_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from meetings import importing  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.search import indexing  # noqa: E402
from relations.models import RelationsPage  # noqa: E402


class QueryCounter:
    def __init__(self):
        self.counts = {}

    def __call__(self, execute, sql, params, many, context):
        word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        self.counts[word] = self.counts.get(word, 0) + 1
        return execute(sql, params, many, context)

    def take(self):
        counts, self.counts = self.counts, {}
        return counts


def topics_for(archive_dir):
    path = Path(archive_dir) / "topics.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load_vocabulary():
    """The editors' vocabulary the importer reads with, if this version of it has one."""
    vocabulary_class = getattr(importing, "Vocabulary", None)
    return vocabulary_class.from_database() if vocabulary_class else None


def parse(path, vocabulary=None):
    text = importing.decode(path.read_bytes())
    if vocabulary is None:
        return importing.parse_readout(text)
    return importing.parse_readout(text, vocabulary)


def meeting_for(path):
    parsed = parse(path)
    page = RelationsPage.objects.get_by_title(parsed.relations_page_title)
    slug = Meeting(title=parsed.title).slug_from_title()
    return Meeting.objects.get(relations_page=page, date=parsed.date, slug=slug)


def tag(archive_dir):
    topics = topics_for(archive_dir)
    tagged = []
    for path in sorted(Path(archive_dir).glob("*.txt")):
        if topics.get(path.name):
            meeting = meeting_for(path)
            meeting.tags.add(*topics[path.name])
            tagged.append(meeting.pk)
    # As the site does whenever a meeting changes: its search document and topic entries
    # (the topic pages read those) follow its tags.
    indexing.index_meetings(tagged)
    print(f"tagged {len(tagged)} meetings")


def import_stats(files, out):
    # A folder stands for its *.txt files in name order, as for import_readout.
    paths = [
        p
        for name in map(Path, files)
        for p in (sorted(name.glob("*.txt")) if name.is_dir() else [name])
    ]
    topics = topics_for(paths[0].parent)
    counter = QueryCounter()
    rows = []
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        vocabulary = load_vocabulary()
        vocabulary_seconds = time.perf_counter() - started
        vocabulary_queries = sum(counter.take().values())
        for path in paths:
            counter.take()
            t0 = time.perf_counter()
            result = importing.save_readout(parse(path, vocabulary), publish=True)
            t1 = time.perf_counter()
            queries = counter.take()
            names = topics.get(path.name, [])
            if names:
                result.meeting.tags.add(*names)
            t2 = time.perf_counter()
            tag_queries = counter.take()
            rows.append(
                {
                    "file": path.name,
                    "seconds": t1 - t0,
                    "queries": sum(queries.values()),
                    "by_kind": queries,
                    "tag_seconds": t2 - t1,
                    "tag_queries": sum(tag_queries.values()),
                    "created": result.created,
                }
            )
    total = time.perf_counter() - started
    Path(out).write_text(
        json.dumps(
            {
                "site": "ours",
                "total_seconds": total,
                "once_per_command": {
                    "vocabulary_seconds": vocabulary_seconds,
                    "vocabulary_queries": vocabulary_queries,
                },
                "readouts": rows,
            }
        )
    )
    print(f"{len(rows)} readouts imported and published in {total:.2f} s")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="action", required=True)
    tag_parser = sub.add_parser("tag")
    tag_parser.add_argument("archive_dir")
    stats_parser = sub.add_parser("import-stats")
    stats_parser.add_argument("--out", required=True)
    stats_parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.action == "tag":
        tag(args.archive_dir)
    else:
        import_stats(args.files, args.out)


if __name__ == "__main__":
    main()
