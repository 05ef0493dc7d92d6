import email.utils
import re
from datetime import date, timedelta
from pathlib import Path

import feedparser
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_SCHEMA = etree.RelaxNG(
    etree.parse(str(Path(__file__).resolve().parents[1] / "schemas" / "atom.rng"))
)
RFC822_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)


class FeedTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.other_page = factories.relations_page("France", slug="france")
        cls.meeting = factories.meeting(
            cls.page,
            title="Japan-Canada Foreign Ministers’ Meeting",
            lead="On May 1, the ministers discussed the Economic “2+2”.",
            date=date(2024, 5, 1),
            tags=["North Korea", "G7"],
        )
        cls.other = factories.meeting(cls.other_page, title="Japan-France Summit", tags=["G7"])
        cls.draft = factories.meeting(cls.page, title="Draft readout", published=False, tags=["G7"])
        cls.scheduled = factories.meeting(
            cls.page,
            title="Scheduled readout",
            published_at=timezone.now() + timedelta(days=1),
            tags=["G7"],
        )

    feeds = {
        "all": ("meetings:feed-rss", "meetings:feed-atom", []),
        "page": ("relations:feed-rss", "relations:feed-atom", ["canada"]),
        "topic": ("meetings:topic-feed-rss", "meetings:topic-feed-atom", ["g7"]),
    }

    def fetch(self, name, args):
        response = self.client.get(reverse(name, args=args))
        self.assertEqual(response.status_code, 200)
        return response


class FeedContentTests(FeedTestCase):
    def test_every_feed_parses_cleanly_and_keeps_typographic_quotes(self):
        for rss, atom, args in self.feeds.values():
            for name in (rss, atom):
                with self.subTest(feed=name):
                    parsed = feedparser.parse(self.fetch(name, args).content)
                    self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
                    titles = [entry.title for entry in parsed.entries]
                    self.assertIn("Japan-Canada Foreign Ministers’ Meeting", titles)
                    entry = parsed.entries[titles.index("Japan-Canada Foreign Ministers’ Meeting")]
                    self.assertEqual(
                        entry.summary, "On May 1, the ministers discussed the Economic “2+2”."
                    )
                    self.assertEqual(entry.id, self.meeting.guid)
                    self.assertTrue(entry.link.endswith(self.meeting.get_absolute_url()))
                    self.assertEqual({tag.term for tag in entry.tags}, {"North Korea", "G7"})

    def test_drafts_and_scheduled_meetings_stay_out_of_every_feed(self):
        for rss, atom, args in self.feeds.values():
            for name in (rss, atom):
                with self.subTest(feed=name):
                    content = self.fetch(name, args).content.decode()
                    self.assertNotIn("Draft readout", content)
                    self.assertNotIn("Scheduled readout", content)

    def test_relations_page_feed_holds_only_its_meetings(self):
        parsed = feedparser.parse(self.fetch("relations:feed-rss", ["canada"]).content)
        self.assertEqual(
            [e.title for e in parsed.entries], ["Japan-Canada Foreign Ministers’ Meeting"]
        )

    def test_topic_feed_holds_the_meetings_carrying_the_topic(self):
        parsed = feedparser.parse(self.fetch("meetings:topic-feed-atom", ["north-korea"]).content)
        self.assertEqual(
            [e.title for e in parsed.entries], ["Japan-Canada Foreign Ministers’ Meeting"]
        )

    def test_unknown_page_or_topic_feeds_are_not_found(self):
        for name, args in [
            ("relations:feed-rss", ["atlantis"]),
            ("meetings:topic-feed-atom", ["no-such-topic"]),
        ]:
            self.assertEqual(self.client.get(reverse(name, args=args)).status_code, 404)

    def test_a_topic_only_drafts_carry_has_no_feed(self):
        factories.meeting(self.page, published=False, tags=["Unannounced"])
        response = self.client.get(reverse("meetings:topic-feed-rss", args=["unannounced"]))
        self.assertEqual(response.status_code, 404)


class AtomValidityTests(FeedTestCase):
    def test_atom_feeds_are_valid_rfc_4287(self):
        for _, atom, args in self.feeds.values():
            with self.subTest(feed=atom):
                document = etree.fromstring(self.fetch(atom, args).content)
                ATOM_SCHEMA.assertValid(document)
                for child in ("id", "title", "updated", "link"):
                    self.assertIsNotNone(document.find(ATOM + child), child)
                feed_has_author = document.find(ATOM + "author") is not None
                entries = document.findall(ATOM + "entry")
                self.assertTrue(entries)
                for entry in entries:
                    for child in ("id", "title", "updated", "link", "summary"):
                        self.assertIsNotNone(entry.find(ATOM + child), child)
                    self.assertTrue(feed_has_author or entry.find(ATOM + "author") is not None)
                    self.assertIsNotNone(entry.find(ATOM + "author/" + ATOM + "name"))


class RssValidityTests(FeedTestCase):
    def test_rss_feeds_have_rfc_822_dates_and_the_required_elements(self):
        for rss, _, args in self.feeds.values():
            with self.subTest(feed=rss):
                document = etree.fromstring(self.fetch(rss, args).content)
                self.assertEqual(document.tag, "rss")
                self.assertEqual(document.get("version"), "2.0")
                channel = document.find("channel")
                for child in ("title", "link", "description"):
                    self.assertTrue(channel.findtext(child), child)
                items = channel.findall("item")
                self.assertTrue(items)
                for item in items:
                    for child in ("title", "link", "description", "guid", "pubDate"):
                        self.assertTrue(item.findtext(child), child)
                    self.assertEqual(item.find("guid").get("isPermaLink"), "false")
                    pub_date = item.findtext("pubDate")
                    self.assertRegex(pub_date, RFC822_DATE)
                    self.assertIsNotNone(email.utils.parsedate_to_datetime(pub_date))
                last_build = channel.findtext("lastBuildDate")
                self.assertRegex(last_build, RFC822_DATE)

    def test_feed_sets_last_modified(self):
        response = self.fetch("meetings:feed-rss", [])
        self.assertIn("Last-Modified", response.headers)


class AtomSummaryTests(FeedTestCase):
    def test_atom_summaries_are_plain_text_with_their_typographic_quotes(self):
        for _, atom, args in self.feeds.values():
            with self.subTest(feed=atom):
                document = etree.fromstring(self.fetch(atom, args).content)
                summaries = {
                    entry.findtext(ATOM + "title"): entry.find(ATOM + "summary")
                    for entry in document.findall(ATOM + "entry")
                }
                summary = summaries["Japan-Canada Foreign Ministers’ Meeting"]
                self.assertEqual(summary.get("type"), "text")
                self.assertEqual(
                    summary.text, "On May 1, the ministers discussed the Economic “2+2”."
                )


class AtomTextConstructTests(FeedTestCase):
    """Titles and leads are plain text: a “<” or “&” typed by an editor is a character, and
    every Atom text construct says so (`type="text"`), not only the summaries."""

    TITLE = "Talks on <b>tariffs</b> & the “2+2”"
    LEAD = "The ministers agreed that <script>x</script> & <i>y</i> are characters."

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        factories.meeting(cls.page, title=cls.TITLE, lead=cls.LEAD, tags=["G7"])

    def test_every_title_subtitle_and_summary_is_declared_text(self):
        for _, atom, args in self.feeds.values():
            with self.subTest(feed=atom):
                document = etree.fromstring(self.fetch(atom, args).content)
                constructs = [
                    element
                    for name in ("title", "subtitle", "summary", "rights")
                    for element in document.iter(ATOM + name)
                ]
                self.assertGreater(len(constructs), 4)
                for element in constructs:
                    self.assertEqual(element.get("type"), "text", element.tag)

    def test_readers_show_markup_typed_in_a_title_or_lead_as_characters(self):
        for _, atom, args in self.feeds.values():
            with self.subTest(feed=atom):
                parsed = feedparser.parse(self.fetch(atom, args).content)
                self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
                self.assertEqual(parsed.feed.title_detail.type, "text/plain")
                self.assertEqual(parsed.feed.subtitle_detail.type, "text/plain")
                entry = next(entry for entry in parsed.entries if entry.title == self.TITLE)
                self.assertEqual(entry.title_detail.type, "text/plain")
                self.assertEqual(entry.summary_detail.type, "text/plain")
                self.assertEqual(entry.summary, self.LEAD)
