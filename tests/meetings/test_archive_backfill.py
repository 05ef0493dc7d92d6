"""Archive back-fill: years of readouts brought in, each public at its own meeting's date,
none announced as new (feeds, sitemaps, emails), each logged as a back-fill."""

import email.utils
from datetime import date, datetime, time, timedelta
from unittest import mock
from xml.etree import ElementTree

import feedparser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.importing import ReadoutError, parse_readout, save_readout
from meetings.models import Meeting, PublicationLogEntry, PublicContentVersion
from relations.models import RelationsPage
from tests import factories
from tests.meetings.test_importing import fixture_text

SITEMAP = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def tokyo(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def instant(text):
    """A feed's time (ISO 8601 or RFC 822), to compare with `tokyo(…)`."""
    if "," in text:
        return email.utils.parsedate_to_datetime(text)
    return datetime.fromisoformat(text)


def backfill(name, *, by, text=None):
    return save_readout(parse_readout(text or fixture_text(name)), backfill=True, by=by)


class BackfillTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "publisher", email="pub@example.org")
        cls.other_publisher = factories.member_of("Publishers", "other", email="o@example.org")
        cls.editor = factories.member_of("Editors", "editor", email="editor@example.org")
        # What subscribers saw last: a readout published in 2023 under an existing page.
        cls.page = factories.relations_page("Atlantis", slug="japan-atlantis-relations")
        RelationsPage.objects.filter(pk=cls.page.pk).update(
            title="Japan-Atlantis Relations", updated_at=tokyo(2020, 1, 1)
        )
        cls.last_news = factories.meeting(
            cls.page, title="Last real news", date=date(2023, 5, 19),
            published_at=tokyo(2023, 5, 19, 18),
        )  # fmt: skip


class PublicationTests(BackfillTestCase):
    def test_a_backfilled_readout_is_public_from_the_end_of_its_meeting_in_the_ministrys_zone(self):
        meeting = backfill("foreign-ministers-meeting.txt", by=self.publisher).meeting
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, Meeting.State.PUBLISHED)
        self.assertTrue(meeting.is_public)
        # June 3, 2024, from 5:45 p.m. for 45 minutes, Tokyo time.
        self.assertEqual(meeting.published_at, tokyo(2024, 6, 3, 18, 30))
        self.assertEqual(meeting.relations_page, self.page)

    def test_the_log_records_a_backfill_and_who_did_it(self):
        meeting = backfill("foreign-ministers-meeting.txt", by=self.publisher).meeting
        entry = PublicationLogEntry.objects.get(meeting=meeting)
        self.assertTrue(entry.backfill)
        self.assertEqual(entry.actor, self.publisher)
        self.assertEqual((entry.from_state, entry.to_state), ("draft", "published"))
        self.assertEqual(entry.published_at, tokyo(2024, 6, 3, 18, 30))
        self.assertIn("Archive back-fill", entry.comment)
        self.assertIn("Archive back-fill", meeting.revisions.first().event)

    def test_nobody_is_emailed(self):
        backfill("foreign-ministers-meeting.txt", by=self.publisher)
        backfill("telephone-talk.txt", by=workflow.SITE)
        self.assertEqual(mail.outbox, [])

    def test_cached_pages_are_retired_since_the_archive_now_lists_it(self):
        before = PublicContentVersion.objects.get_or_create(pk=1)[0].version
        with self.captureOnCommitCallbacks(execute=True):
            backfill("foreign-ministers-meeting.txt", by=self.publisher)
        self.assertGreater(PublicContentVersion.objects.get(pk=1).version, before)

    def test_a_meeting_already_on_the_portal_is_skipped_and_left_as_it_was(self):
        text = fixture_text("telephone-talk.txt")
        draft = save_readout(parse_readout(text)).meeting
        result = backfill(None, text=text.replace("welcomed", "praised"), by=self.publisher)
        self.assertTrue(result.skipped)
        self.assertEqual(result.meeting, draft)
        draft.refresh_from_db()
        self.assertEqual(draft.state, Meeting.State.DRAFT)
        self.assertIn("welcomed", draft.agenda_items.first().text)
        self.assertFalse(PublicationLogEntry.objects.filter(meeting=draft).exists())

    def test_a_meeting_dated_in_the_future_is_refused_and_nothing_is_written(self):
        next_year = timezone.localdate().year + 1
        text = fixture_text("foreign-ministers-meeting.txt").replace("2024", str(next_year))
        with self.assertRaises(ReadoutError) as refused:
            backfill(None, text=text, by=self.publisher)
        self.assertEqual(refused.exception.line, 3)
        self.assertIn(f"June 3, {next_year}, in the future", refused.exception.message)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_an_editor_may_not_backfill_since_it_publishes(self):
        with self.assertRaises(PermissionDenied):
            backfill("summit-meeting.txt", by=self.editor)
        self.assertFalse(Meeting.objects.filter(title__contains="Syldavia").exists())
        self.assertFalse(RelationsPage.objects.filter(title="Japan-Syldavia Relations").exists())


class PublicationTimeTests(TestCase):
    def time_of(self, day, start=None, duration=None, now=None):
        return workflow.backfill_publication_time(day, start, duration, now=now)

    def test_the_end_of_the_meeting_when_the_readout_gives_its_time(self):
        self.assertEqual(self.time_of(date(2019, 4, 2), time(9, 5)), tokyo(2019, 4, 2, 9, 5))
        self.assertEqual(
            self.time_of(date(2019, 4, 2), time(9, 5), timedelta(hours=1, minutes=10)),
            tokyo(2019, 4, 2, 10, 15),
        )

    def test_noon_when_it_does_not_and_never_past_the_meetings_own_day(self):
        self.assertEqual(self.time_of(date(2019, 4, 2)), tokyo(2019, 4, 2, 12))
        self.assertEqual(
            self.time_of(date(2019, 4, 2), time(23, 30), timedelta(hours=2)),
            tokyo(2019, 4, 2, 23, 59),
        )

    def test_a_meeting_of_today_is_never_dated_later_than_now(self):
        now = tokyo(2025, 3, 1, 8)
        self.assertEqual(self.time_of(date(2025, 3, 1), now=now), now)
        with self.assertRaisesMessage(Exception, "March 2, 2025, in the future"):
            self.time_of(date(2025, 3, 2), now=now)


class NotAnnouncedAsNewTests(BackfillTestCase):
    def setUp(self):
        self.meeting = backfill("foreign-ministers-meeting.txt", by=self.publisher).meeting

    def test_feeds_place_it_at_its_own_date_and_their_updated_time_stays_at_the_last_news(self):
        atom = feedparser.parse(self.client.get(reverse("meetings:feed-atom")).content)
        self.assertEqual(
            [e.title for e in atom.entries],
            ["Japan-Atlantis Foreign Ministers’ Meeting", "Last real news"],
        )
        entry = atom.entries[0]
        published = tokyo(2024, 6, 3, 18, 30)
        self.assertEqual(instant(entry.published), published)
        self.assertEqual(instant(entry.updated), published)
        self.assertEqual(instant(atom.feed.updated), published)
        rss = self.client.get(reverse("meetings:feed-rss"))
        channel = ElementTree.fromstring(rss.content).find("channel")
        self.assertEqual(instant(channel.findtext("lastBuildDate")), published)
        self.assertEqual(instant(channel.find("item").findtext("pubDate")), published)
        self.assertEqual(instant(rss.headers["Last-Modified"]), published)

    def test_a_backfill_older_than_the_newest_news_leaves_the_feeds_updated_time_alone(self):
        backfill("summit-meeting.txt", by=self.publisher)
        latest = factories.meeting(self.page, title="Today's news", published_at=tokyo(2025, 2, 1))
        atom = feedparser.parse(self.client.get(reverse("meetings:feed-atom")).content)
        self.assertEqual(atom.entries[0].title, latest.title)
        self.assertEqual(instant(atom.feed.updated), tokyo(2025, 2, 1))
        self.assertEqual(instant(atom.entries[-1].updated), tokyo(2023, 5, 19, 18))
        syldavia = next(e for e in atom.entries if "Syldavia" in e.title)
        self.assertEqual(instant(syldavia.updated), tokyo(2023, 10, 30, 13))

    def test_the_home_pages_latest_readouts_place_it_at_its_date(self):
        factories.meeting(self.page, title="This week’s news", date=date(2025, 2, 1))
        backfill("summit-meeting.txt", by=self.publisher)
        titles = [
            m.title for m in self.client.get(reverse("meetings:home")).context["latest_meetings"]
        ]
        self.assertEqual(
            titles,
            [
                "This week’s news",
                "Japan-Atlantis Foreign Ministers’ Meeting",
                "Japan-Syldavia Summit Meeting",
                "Last real news",
            ],
        )

    def test_the_sitemap_dates_it_and_its_relations_page_by_its_own_date_not_today(self):
        lastmod = {}
        for section in ("meetings", "relations"):
            response = self.client.get(reverse("sitemap-section", args=[section]))
            root = ElementTree.fromstring(response.content)
            for url in root.iterfind("sitemap:url", SITEMAP):
                lastmod[url.findtext("sitemap:loc", namespaces=SITEMAP)] = url.findtext(
                    "sitemap:lastmod", namespaces=SITEMAP
                )
        self.assertEqual(
            lastmod["http://testserver" + self.meeting.get_absolute_url()], "2024-06-03"
        )
        self.assertEqual(lastmod["http://testserver" + self.page.get_absolute_url()], "2024-06-03")

    def test_its_page_says_when_it_was_published_and_modified_by_its_own_date(self):
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(response, "2024-06-03T18:30:00+09:00")
        self.assertNotContains(response, f"{timezone.localdate():%Y-%m-%d}T")

    def test_a_later_correction_is_news_again(self):
        draft = workflow.start_correction(self.meeting, by=self.editor)
        workflow.submit_for_review(draft, by=self.editor)
        workflow.approve(draft, by=self.publisher, major=True, change_note="A name was wrong.")
        atom = feedparser.parse(self.client.get(reverse("meetings:feed-atom")).content)
        self.assertEqual(instant(atom.entries[0].published), tokyo(2024, 6, 3, 18, 30))
        self.assertGreater(instant(atom.entries[0].updated), timezone.now() - timedelta(hours=1))


class ClockTests(BackfillTestCase):
    def test_the_clock_does_not_log_a_backfilled_meeting_as_gone_public_by_itself(self):
        # The clock last looked at 8:00; at noon a readout of a talk that ended at 10:15 the
        # same morning is back-filled. It went public by that step, not by the clock.
        workflow.record_due_transitions(now=tokyo(2025, 1, 9, 8))
        with mock.patch("django.utils.timezone.now", return_value=tokyo(2025, 1, 9, 12)):
            meeting = backfill("telephone-talk.txt", by=self.publisher).meeting
        self.assertEqual(meeting.published_at, tokyo(2025, 1, 9, 10, 15))
        self.assertEqual(workflow.record_due_transitions(now=tokyo(2025, 1, 9, 12, 1)), ([], []))
        self.assertEqual(meeting.publication_log.count(), 1)


class LogPageTests(BackfillTestCase):
    def test_the_publication_log_can_be_filtered_to_backfills(self):
        backfill("foreign-ministers-meeting.txt", by=self.publisher)
        workflow.take_down(self.last_news, by=self.publisher, kind="in_error")
        self.client.force_login(factories.staff_user("admin"))
        response = self.client.get(
            reverse("admin:meetings_publicationlogentry_changelist"), {"backfill__exact": "1"}
        )
        self.assertContains(response, "Japan-Atlantis Foreign Ministers’ Meeting")
        self.assertNotContains(response, "Last real news")
