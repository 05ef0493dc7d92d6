"""Create and publish Wagtail pages from readouts, read with the portal's own parser.

    DJANGO_SETTINGS_MODULE=wagtailbench.settings_loader \
        python manage.py load_readouts [--topics topics.json] [--stats-json OUT] FILE_OR_FOLDER…

Each readout becomes a MeetingPage under the RelationsPage its first line names (created
and published when missing), published the way Wagtail publishes: a revision, then
`revision.publish()`, in one transaction per readout. Importing the same readout again
(same page, date and title) publishes a new revision of the same page.

With --stats-json, the seconds and SQL queries each readout took (parse, write, publish,
commit hooks) are written there; queries are counted with a connection execute wrapper,
which costs next to nothing.
"""

import json
import time
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import Page, Site

from readouts.models import (
    MEETING_TYPES,
    HomePage,
    MeetingAgendaItem,
    MeetingPage,
    MeetingParticipant,
    MeetingPhotoSession,
    RelationsIndexPage,
    RelationsPage,
)

KNOWN_TYPES = {slug for slug, _ in MEETING_TYPES}


class QueryCounter:
    """connection.execute_wrapper callable counting statements by their first word."""

    def __init__(self):
        self.counts = {}

    def __call__(self, execute, sql, params, many, context):
        word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        self.counts[word] = self.counts.get(word, 0) + 1
        return execute(sql, params, many, context)

    def take(self):
        counts, self.counts = self.counts, {}
        return counts


class Command(BaseCommand):
    help = "Create and publish meeting pages from readouts in the ministry's text shape."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE_OR_FOLDER")
        parser.add_argument(
            "--topics",
            metavar="JSON",
            help="{file name: [topic, …]} (default: topics.json beside the first file, if any)",
        )
        parser.add_argument("--stats-json", metavar="OUT", help="write per-readout costs here")

    def handle(self, files, topics, stats_json, **options):
        if not apps.is_installed("meetings"):
            raise CommandError(
                "the portal's parser needs its apps: run with "
                "DJANGO_SETTINGS_MODULE=wagtailbench.settings_loader"
            )
        from meetings.importing import ReadoutError, decode, parse_readout

        # A folder stands for its *.txt files in name order (as import_readout reads one):
        # 50,000 file names would not fit on a command line.
        paths = [
            p
            for name in map(Path, files)
            for p in (sorted(name.glob("*.txt")) if name.is_dir() else [name])
        ]
        topics_path = Path(topics) if topics else paths[0].parent / "topics.json"
        topics_by_file = (
            json.loads(topics_path.read_text(encoding="utf-8")) if topics_path.exists() else {}
        )
        self.index = self.ensure_tree()
        counter = QueryCounter()
        rows, failures = [], 0
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            for path in paths:
                counter.take()
                t0 = time.perf_counter()
                try:
                    parsed = parse_readout(decode(path.read_bytes()))
                except ReadoutError as error:
                    self.stderr.write(error.located(str(path)))
                    failures += 1
                    continue
                topics = list(topics_by_file.get(path.name, []))
                # Topics the portal's parser found itself (it may tag from a vocabulary).
                topics += [t for t in getattr(parsed, "tags", []) if t not in topics]
                page, created = self.publish_readout(parsed, topics)
                seconds = time.perf_counter() - t0
                queries = counter.take()
                rows.append(
                    {
                        "file": path.name,
                        "seconds": seconds,
                        "queries": sum(queries.values()),
                        "by_kind": queries,
                        "created": created,
                    }
                )
                self.stdout.write(f"imported: {page.url}")
        total = time.perf_counter() - started
        if stats_json:
            Path(stats_json).write_text(
                json.dumps({"site": "wagtail", "total_seconds": total, "readouts": rows})
            )
        if failures:
            raise CommandError(f"{failures} of {len(paths)} file(s) could not be imported")

    def ensure_tree(self):
        """A HomePage as the site's root, with the RelationsIndexPage at /relations/."""
        site = Site.objects.get(is_default_site=True)
        home = HomePage.objects.first()
        if home is None:
            with transaction.atomic():
                root = Page.get_first_root_node()
                home = root.add_child(instance=HomePage(title="Home", slug="home-page"))
                home.save_revision().publish()
                old_root = site.root_page
                site.root_page = home
                site.save()
                if old_root.pk != home.pk and not old_root.get_children().exists():
                    old_root.delete()
        index = RelationsIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(
                instance=RelationsIndexPage(title="Relations by region", slug="relations")
            )
            index.save_revision().publish()
        return index

    def relations_page_for(self, title):
        page = RelationsPage.objects.child_of(self.index).filter(title__iexact=title).first()
        if page is not None:
            return page
        counterpart = title.removeprefix("Japan-").removesuffix(" Relations").strip() or title
        page = RelationsPage(
            title=title, counterpart=counterpart, slug=slugify(counterpart)[:255] or "relations"
        )
        self.index.add_child(instance=page)
        page.save_revision(log_action=True).publish()
        return page

    def publish_readout(self, parsed, topics):
        with transaction.atomic():
            parent = self.relations_page_for(parsed.relations_page_title)
            slug = f"{parsed.date:%Y-%m-%d}-{slugify(parsed.title)}"[:255]
            page = MeetingPage.objects.child_of(parent).filter(slug=slug).first()
            created = page is None
            if created:
                page = MeetingPage(slug=slug, live=False)
            page.title = parsed.title
            page.date = parsed.date
            page.meeting_type = (
                parsed.meeting_type_slug if parsed.meeting_type_slug in KNOWN_TYPES else "other"
            )
            page.start_time = parsed.start_time
            page.duration = parsed.duration
            page.place = parsed.place
            page.lead = parsed.lead
            page.participants = [
                MeetingParticipant(side=str(p.side), name=p.name, title=p.title)
                for p in parsed.participants
            ]
            page.photo_sessions = [
                MeetingPhotoSession(caption=caption) for caption in parsed.photo_captions
            ]
            page.agenda_items = [
                MeetingAgendaItem(text=item.text, is_sub_item=item.is_sub_item)
                for item in parsed.agenda_items
            ]
            page.tags.set(topics)
            if created:
                parent.add_child(instance=page)
                log(instance=page, action="wagtail.create")
            revision = page.save_revision(log_action=not created)
            revision.publish()
        return page, created
