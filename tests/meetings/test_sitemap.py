"""The sitemap: every public page in both languages, each dated by its last public change,
listed by an index of sections in pages of a fixed size."""

from datetime import datetime, timedelta
from unittest import mock
from xml.etree import ElementTree

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting
from meetings.sitemaps import MeetingSitemap
from tests import factories

NAMESPACES = {
    "sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
SITE = "http://testserver"


def tokyo(*args):
    return timezone.make_aware(datetime(*args))


def meetings_per_page(number):
    return mock.patch.object(MeetingSitemap, "limit", number)


class SitemapTestCase(TestCase):
    def index(self):
        """{address of a sitemap page: its lastmod} of every page the index lists."""
        response = self.client.get(reverse("sitemap"))
        self.assertEqual(response.status_code, 200)
        return {
            page.findtext("sitemap:loc", namespaces=NAMESPACES): page.findtext(
                "sitemap:lastmod", namespaces=NAMESPACES
            )
            for page in ElementTree.fromstring(response.content).iterfind(
                "sitemap:sitemap", NAMESPACES
            )
        }

    def sitemap(self):
        """{address: (lastmod, {hreflang: alternate address})} of every entry of every page
        the index lists."""
        entries = {}
        for page in self.index():
            entries.update(self.entries(page))
        return entries

    def entries(self, page):
        """The entries of one sitemap page, as `sitemap()` gives them."""
        response = self.client.get(page.removeprefix(SITE))
        self.assertEqual(response.status_code, 200)
        entries = {}
        for url in ElementTree.fromstring(response.content).iterfind("sitemap:url", NAMESPACES):
            alternates = {
                link.get("hreflang"): link.get("href")
                for link in url.iterfind("xhtml:link", NAMESPACES)
            }
            lastmod = url.findtext("sitemap:lastmod", namespaces=NAMESPACES)
            entries[url.findtext("sitemap:loc", namespaces=NAMESPACES)] = (lastmod, alternates)
        return entries

    def lastmod(self, path):
        return self.sitemap()[SITE + path][0]


class LastModifiedTests(SitemapTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.older = factories.meeting(
            cls.page, title="Published in 2023", published_at=tokyo(2023, 5, 19, 18)
        )
        cls.newer = factories.meeting(
            cls.page, title="Published in 2024", published_at=tokyo(2024, 2, 1, 9)
        )
        # The relations page itself was last edited before both.
        type(cls.page).objects.filter(pk=cls.page.pk).update(updated_at=tokyo(2020, 1, 1))

    def test_each_meeting_is_dated_by_its_publication_not_by_the_day_the_sitemap_is_read(self):
        self.assertEqual(self.lastmod(self.older.get_absolute_url()), "2023-05-19")
        self.assertEqual(self.lastmod(self.newer.get_absolute_url()), "2024-02-01")

    def test_saves_the_public_does_not_see_leave_the_date_alone(self):
        Meeting.objects.filter(pk=self.older.pk).update(updated_at=timezone.now())
        draft = workflow.start_correction(self.older, by=self.editor)
        draft.title = "A correction still in draft"
        draft.save()
        self.assertEqual(self.lastmod(self.older.get_absolute_url()), "2023-05-19")

    def test_a_major_correction_dates_the_meeting_to_the_day_it_was_applied(self):
        draft = workflow.start_correction(self.older, by=self.editor)
        workflow.submit_for_review(draft, by=self.editor)
        workflow.approve(draft, by=self.publisher, major=True, change_note="The date was wrong.")
        today = f"{timezone.localdate():%Y-%m-%d}"
        self.assertEqual(self.lastmod(self.older.get_absolute_url()), today)
        self.assertEqual(self.lastmod(self.newer.get_absolute_url()), "2024-02-01")

    def test_a_relations_page_is_dated_by_its_newest_public_change(self):
        self.assertEqual(self.lastmod(self.page.get_absolute_url()), "2024-02-01")
        self.page.introduction = "A new introduction."
        self.page.save()
        today = f"{timezone.localdate():%Y-%m-%d}"
        self.assertEqual(self.lastmod(self.page.get_absolute_url()), today)

    def test_a_takedown_dates_the_relations_page_that_no_longer_lists_the_meeting(self):
        workflow.take_down(self.newer, by=self.publisher, kind="in_error")
        today = f"{timezone.localdate():%Y-%m-%d}"
        self.assertEqual(self.lastmod(self.page.get_absolute_url()), today)

    def test_the_date_is_the_same_in_both_languages(self):
        entries = self.sitemap()
        url = self.older.get_absolute_url()
        self.assertEqual(entries[SITE + url][0], entries[f"{SITE}/ja{url}"][0])


class BothLanguagesTests(SitemapTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.meeting(cls.page, title="A public readout")

    def test_every_page_is_listed_in_english_and_in_japanese_with_each_other_as_alternates(self):
        entries = self.sitemap()
        for path in (self.meeting.get_absolute_url(), self.page.get_absolute_url()):
            with self.subTest(path=path):
                english, japanese = SITE + path, f"{SITE}/ja{path}"
                expected = {"en": english, "ja": japanese, "x-default": english}
                self.assertEqual(entries[english][1], expected)
                self.assertEqual(entries[japanese][1], expected)

    def test_a_crawler_asking_for_japanese_gets_the_same_addresses(self):
        english = self.sitemap()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
        self.assertEqual(self.sitemap(), english)

    def test_each_page_is_xml_for_crawlers_only(self):
        response = self.client.get(reverse("sitemap-section", args=["meetings"]))
        self.assertEqual(response["Content-Type"], "application/xml")
        self.assertEqual(response["X-Robots-Tag"], "noindex, noodp, noarchive")
        self.assertTrue(response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))


class WhatIsListedTests(SitemapTestCase):
    def test_only_what_the_public_sees_is_listed_in_either_language(self):
        page = factories.relations_page("Canada", slug="canada")
        public = factories.meeting(page, title="Public")
        hidden = [
            factories.meeting(page, title="Draft", published=False),
            factories.meeting(
                page, title="Scheduled", published_at=timezone.now() + timedelta(days=1)
            ),
            factories.meeting(page, title="Expired", expires_at=timezone.now()),
        ]
        taken_down = factories.meeting(page, title="Taken down")
        workflow.take_down(taken_down, by=factories.staff_user("publisher"), kind="in_error")
        hidden.append(taken_down)
        hidden_page = factories.relations_page("Atlantis", slug="atlantis", published=False)
        entries = self.sitemap()
        self.assertIn(SITE + public.get_absolute_url(), entries)
        for path in [*(meeting.get_absolute_url() for meeting in hidden), "/relations/atlantis/"]:
            with self.subTest(path=path):
                self.assertNotIn(SITE + path, entries)
                self.assertNotIn(f"{SITE}/ja{path}", entries)
        self.assertFalse(hidden_page.published)


class IndexTests(SitemapTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meetings = [
            factories.meeting(cls.page, published_at=tokyo(2024, 1, day, 9)) for day in (1, 2, 3)
        ]
        type(cls.page).objects.filter(pk=cls.page.pk).update(updated_at=tokyo(2020, 1, 1))

    def test_the_index_lists_a_page_of_relations_pages_and_pages_of_meetings(self):
        with meetings_per_page(2):
            pages = self.index()
            self.assertEqual(
                list(pages),
                [
                    f"{SITE}/sitemap-relations.xml",
                    f"{SITE}/sitemap-meetings.xml",
                    f"{SITE}/sitemap-meetings.xml?p=2",
                ],
            )
            meetings = self.entries(f"{SITE}/sitemap-meetings.xml?p=2")
        # The last meeting, in English and in Japanese.
        path = self.meetings[2].get_absolute_url()
        self.assertEqual(list(meetings), [SITE + path, f"{SITE}/ja{path}"])

    def test_every_meeting_is_on_one_page_of_the_sitemap(self):
        with meetings_per_page(2):
            entries = self.sitemap()
        for meeting in self.meetings:
            with self.subTest(meeting=meeting):
                self.assertIn(SITE + meeting.get_absolute_url(), entries)

    def test_each_section_is_dated_by_its_latest_public_change(self):
        pages = self.index()
        self.assertEqual(pages[f"{SITE}/sitemap-meetings.xml"][:10], "2024-01-03")
        self.assertEqual(pages[f"{SITE}/sitemap-relations.xml"][:10], "2024-01-03")

    def test_pages_that_do_not_exist_are_not_found(self):
        for page in ("0", "-1", "3", "999999", "abc", "1.5", ""):
            with self.subTest(page=page), meetings_per_page(2):
                response = self.client.get(
                    reverse("sitemap-section", args=["meetings"]), {"p": page}
                )
                self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("sitemap-section", args=["drafts"]))
        self.assertEqual(response.status_code, 404)


class QueryCountTests(SitemapTestCase):
    """However many meetings, the index and each sitemap page run the same queries."""

    def test_each_page_runs_a_fixed_number_of_queries_with_few_meetings_as_with_many(self):
        page = factories.relations_page("Canada", slug="canada")
        for _ in range(3):
            factories.meeting(page)
        with meetings_per_page(2):
            self.assertPagesRunTheirQueries()
            for _ in range(12):
                factories.meeting(factories.relations_page())
            self.assertPagesRunTheirQueries()

    def assertPagesRunTheirQueries(self):
        # The index: the relations pages, dated in two grouped queries, and counted; the
        # meetings' latest publication and latest public step, and their count.
        with self.assertNumQueries(7):
            self.index()
        # A page: the count, then the page's rows with their dates.
        for url in (f"{SITE}/sitemap-meetings.xml", f"{SITE}/sitemap-meetings.xml?p=2"):
            with self.subTest(url=url), self.assertNumQueries(2):
                self.entries(url)
        # The relations pages: counted, read, then dated in two grouped queries.
        with self.assertNumQueries(4):
            self.entries(f"{SITE}/sitemap-relations.xml")
