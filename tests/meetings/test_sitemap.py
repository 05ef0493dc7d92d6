"""The sitemap: every public page in both languages, each dated by its last public change."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting
from tests import factories

NAMESPACES = {
    "sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
SITE = "http://testserver"


def tokyo(*args):
    return timezone.make_aware(datetime(*args))


class SitemapTestCase(TestCase):
    def sitemap(self):
        """{address: (lastmod, {hreflang: alternate address})} of every entry."""
        response = self.client.get(reverse("sitemap"))
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
