"""The topic entries behind the topics' timelines: written with each meeting's search
document, and written alike by the migration that fills them for an existing database."""

import importlib

from django.apps import apps
from django.db import connection
from django.test import TestCase

from meetings import revisions
from meetings.models import TopicEntry
from meetings.search import indexing
from tests import factories

filling = importlib.import_module("meetings.migrations.0022_topic_entries")


def entries():
    columns = ["tag__name", "meeting__title", "item__text", "rank", "date", "relations_page"]
    return sorted(TopicEntry.objects.values_list(*columns), key=repr)


class StatementsRun:
    """What the migration uses of a schema editor, inside a test's transaction (SQLite's
    own schema editor refuses to open in one)."""

    def execute(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class TopicEntriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("India")
        cls.meeting = factories.meeting(cls.page, title="Summit", tags=["G7", "Trade"])
        cls.first, cls.second = factories.agenda(cls.meeting, "On the G7.", "On nothing much.")
        cls.first.tags.add("G7", "North Korea")
        indexing.index_missing()

    def test_one_per_tagged_item_and_one_per_tag_the_meeting_alone_carries(self):
        self.assertEqual(
            entries(),
            [
                ("G7", "Summit", "On the G7.", 1, self.meeting.date, self.page.pk),
                ("North Korea", "Summit", "On the G7.", 1, self.meeting.date, self.page.pk),
                ("Trade", "Summit", None, 0, self.meeting.date, self.page.pk),
            ],
        )

    def test_a_change_recorded_rewrites_them(self):
        self.first.tags.remove("G7")
        self.second.tags.add("Trade")
        revisions.record(self.meeting, by=None, event="Saved in the admin")
        self.assertEqual(
            [(tag, item) for tag, _, item, *_ in entries()],
            [("G7", None), ("North Korea", "On the G7."), ("Trade", "On nothing much.")],
        )

    def test_the_migration_writes_what_the_indexing_writes(self):
        other = factories.meeting(self.page, title="Talk", tags=["Space"])
        factories.agenda(other, "On space.")[0].tags.add("Space", "G7")
        indexing.index_missing()
        written = entries()
        TopicEntry.objects.all().delete()
        filling.write_entries(apps, StatementsRun())
        self.assertEqual(entries(), written)
