"""`manage.py generate_archive`: a made-up archive the site shows as it shows an imported one."""

from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import TaggedItem

from meetings import revisions
from meetings.archive_generator import readouts
from meetings.importing import parse_readout
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingRevision,
    PhotoSession,
    PublicationLogEntry,
    SearchDocument,
    TopicEntry,
)
from meetings.search import indexing
from relations.models import RelationsPage
from tests.test_query_budgets import QUERIES


def generate(*args):
    out, err = StringIO(), StringIO()
    call_command("generate_archive", *args, "--yes-this-is-not-production", stdout=out, stderr=err)
    return out.getvalue()


class GeneratedArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = generate("--relations", "3", "--meetings", "60", "--seed", "7")
        cls.made = list(readouts.readouts(60, relations=3, seed=7))
        cls.meeting = Meeting.objects.published().select_related("relations_page").first()

    def test_writes_every_readout_with_its_rows_and_says_so(self):
        self.assertEqual(Meeting.objects.count(), 60)
        self.assertEqual(RelationsPage.objects.count(), 3)
        items = sum(len(readout.items) for readout in self.made)
        self.assertEqual(AgendaItem.objects.count(), items)
        self.assertTrue(AgendaItem.objects.filter(is_sub_item=True).exists())
        captions = sum(len(readout.captions) for readout in self.made)
        self.assertEqual(PhotoSession.objects.count(), captions)
        self.assertFalse(PhotoSession.objects.exclude(image="").exists())
        published = Meeting.objects.published().count()
        self.assertGreater(published, 50)
        self.assertEqual(PublicationLogEntry.objects.filter(backfill=True).count(), published)
        self.assertEqual(MeetingRevision.objects.count(), 60)
        self.assertEqual(SearchDocument.objects.count(), 60)
        self.assertIn("       60 meetings", self.output)
        self.assertIn(f"{items:>9,} agenda items", self.output)
        years = {day.year for day in Meeting.objects.dates("date", "year")}
        self.assertGreater(max(years) - min(years), 20)

    def test_each_readout_reads_as_the_importer_reads_its_text(self):
        for readout in readouts.readouts(300, relations=200, seed=3):
            parsed = parse_readout(readout.text())
            self.assertEqual(
                (
                    parsed.relations_page_title,
                    parsed.date,
                    parsed.title,
                    parsed.meeting_type_slug,
                    parsed.start_time,
                    parsed.duration,
                    parsed.place,
                    parsed.lead,
                    [(str(p.side), p.name, p.title) for p in parsed.participants],
                    parsed.photo_captions,
                    [(item.text, item.is_sub_item) for item in parsed.agenda_items],
                ),
                (
                    readout.country.page_title,
                    readout.day,
                    readout.title,
                    readout.meeting_type_slug,
                    readout.start_time,
                    readout.duration,
                    readout.place,
                    "\n\n".join(readout.lead),
                    readout.participants,
                    readout.captions,
                    [(item.text, item.is_sub_item) for item in readout.items],
                ),
            )

    def test_revisions_search_documents_and_topic_entries_are_those_the_site_writes(self):
        for meeting in Meeting.objects.all()[:20]:
            self.assertEqual(meeting.revisions.get().data, revisions.read(meeting))
        written = dict(SearchDocument.objects.values_list("meeting_id", "text"))
        vectors = dict(SearchDocument.objects.values_list("meeting_id", "vector"))
        entries = self.topic_entries()
        self.assertTrue(entries)
        indexing.index_meetings(Meeting.objects.all())
        self.assertEqual(dict(SearchDocument.objects.values_list("meeting_id", "text")), written)
        self.assertEqual(dict(SearchDocument.objects.values_list("meeting_id", "vector")), vectors)
        self.assertEqual(self.topic_entries(), entries)

    def topic_entries(self):
        columns = ["tag", "meeting", "item", "rank", "date", "start_time", "relations_page"]
        return sorted(TopicEntry.objects.values_list(*columns), key=repr)

    def test_topics_are_on_meetings_and_on_agenda_items(self):
        self.assertTrue(TaggedItem.objects.filter(content_type__model="meeting").exists())
        self.assertTrue(TaggedItem.objects.filter(content_type__model="agendaitem").exists())

    def test_public_pages_answer_within_their_query_budgets(self):
        meeting, page = self.meeting, self.meeting.relations_page
        tag = meeting.topics()[0]
        pages = {
            "home": reverse("meetings:home"),
            "relations index": reverse("relations:index"),
            "relations page": page.get_absolute_url(),
            "archive": reverse("meetings:archive"),
            "topics": reverse("meetings:topics"),
            "topic": reverse("meetings:topic", args=[tag.slug]),
            "meeting": meeting.get_absolute_url(),
            "feed rss": reverse("meetings:feed-rss"),
            "feed atom": reverse("meetings:feed-atom"),
            "sitemap": reverse("sitemap"),
            "sitemap of meetings": reverse("sitemap-section", args=["meetings"]),
            "sitemap of relations pages": reverse("sitemap-section", args=["relations"]),
            "search": f"{reverse('meetings:search')}?q={tag.name.split()[0]}",
        }
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(len(queries), QUERIES[name], url)
        self.assertContains(self.client.get(meeting.get_absolute_url()), meeting.title)
        found = self.client.get(pages["search"]).context["search"].count
        self.assertGreater(found, 0)

    def test_the_admin_lists_them(self):
        user = get_user_model().objects.create(username="admin", is_staff=True, is_superuser=True)
        self.client.force_login(user)
        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        self.assertContains(response, "60 meetings")
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[self.meeting.pk]))
        self.assertEqual(response.status_code, 200)

    def test_the_same_seed_gives_the_same_archive(self):
        # Added again: every meeting is already at its address, so none is written.
        output = generate("--relations", "3", "--meetings", "60", "--seed", "7", "--add")
        self.assertIn("       60 skipped", output)
        self.assertEqual(Meeting.objects.count(), 60)

    def test_refuses_a_database_that_has_meetings(self):
        with self.assertRaisesMessage(CommandError, "already has meetings"):
            generate("--meetings", "5")

    @override_settings(DEBUG=False)
    def test_refuses_to_run_with_debug_off_unless_told(self):
        with self.assertRaisesMessage(CommandError, "DEBUG is off"):
            call_command("generate_archive", "--meetings", "5", "--add", stdout=StringIO())


def test_writes_readout_files_alike_for_the_same_seed(tmp_path):
    for folder in ("a", "b"):
        call_command(
            "generate_archive",
            "--meetings",
            "25",
            "--files",
            str(tmp_path / folder),
            stdout=StringIO(),
        )
    first = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert len(first) == 26  # and topics.json
    assert first == sorted(path.name for path in (tmp_path / "b").iterdir())
    for name in first:
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    assert all(date(1990, 1, 1) < readout.day for readout in readouts.readouts(50))
