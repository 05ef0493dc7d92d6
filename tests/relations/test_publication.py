"""A relations page an import creates stays hidden until a meeting on it is published."""

from datetime import timedelta
from unittest import mock

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.importing import parse_readout, save_readout
from relations.models import RelationsPage
from tests import factories
from tests.browser_forms import admin_change_form, read_form
from tests.meetings.test_importing import fixture_text


class ImportedPagePublicationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = factories.region("Europe")
        factories.relations_page("France", region=cls.region, slug="france")
        readout = parse_readout(fixture_text("telephone-talk.txt"))
        cls.meeting = save_readout(readout, region=cls.region).meeting
        cls.page = cls.meeting.relations_page

    def assertHidden(self, page):
        self.assertEqual(self.client.get(page.get_absolute_url()).status_code, 404)
        for name in ("relations:feed-rss", "relations:feed-atom"):
            self.assertEqual(self.client.get(reverse(name, args=[page.slug])).status_code, 404)
        for url in (
            reverse("relations:index"),
            reverse("sitemap-section", args=["relations"]),
            reverse("meetings:home"),
        ):
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), page.get_absolute_url())

    def assertShown(self, page):
        self.assertContains(self.client.get(page.get_absolute_url()), page.title)
        for name in ("relations:feed-rss", "relations:feed-atom"):
            self.assertEqual(self.client.get(reverse(name, args=[page.slug])).status_code, 200)
        for url in (
            reverse("relations:index"),
            reverse("sitemap-section", args=["relations"]),
            reverse("meetings:home"),
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), page.get_absolute_url())

    def test_a_draft_import_creates_its_new_page_hidden(self):
        self.assertEqual(self.page.title, "Japan-Borduria Relations")
        self.assertFalse(self.page.published)
        self.assertHidden(self.page)
        self.assertShown(RelationsPage.objects.get(slug="france"))

    def test_a_page_without_a_region_is_hidden_from_the_other_list_too(self):
        self.page.region = None
        self.page.save()
        self.assertNotContains(
            self.client.get(reverse("relations:index")), self.page.get_absolute_url()
        )

    def test_publishing_a_meeting_on_it_shows_the_page(self):
        workflow.publish(self.meeting, by=workflow.SITE)
        self.assertShown(self.page)
        self.page.refresh_from_db()
        self.assertFalse(self.page.published)

    def test_a_scheduled_meeting_shows_the_page_at_its_time(self):
        at = timezone.now() + timedelta(days=1)
        workflow.publish(self.meeting, at=at, by=workflow.SITE)
        self.assertHidden(self.page)
        with mock.patch("django.utils.timezone.now", return_value=at + timedelta(minutes=1)):
            self.assertShown(self.page)

    def test_an_editor_ticking_published_shows_the_page_with_no_meeting(self):
        self.client.force_login(factories.staff_user())
        url = reverse("admin:relations_relationspage_change", args=[self.page.pk])
        form = admin_change_form(self.client, url)
        self.assertIsNone(form.get("published"))
        response = form.set("published", True).submit(self.client, button="_save")
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.page.refresh_from_db()
        self.assertTrue(self.page.published)
        self.assertShown(self.page)

    def test_the_import_preview_says_the_new_page_stays_hidden(self):
        self.client.force_login(factories.staff_user())
        url = reverse("admin:meetings_meeting_import")
        form = read_form(self.client.get(url), "form[enctype]")
        text = fixture_text("summit-meeting.txt")
        response = form.set("text", text).submit(self.client)
        self.assertContains(response, "hidden from the public until a meeting on it is published")

    def test_pages_editors_create_are_published(self):
        self.assertTrue(factories.relations_page("Canada").published)
