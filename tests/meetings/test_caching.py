import warnings
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import CacheKeyWarning, caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.caching import content_changed
from tests import factories
from tests.browser_forms import admin_change_form


class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="First readout")

    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        caches["pages"].clear()

    def test_a_cached_page_costs_one_query(self):
        url = self.meeting.get_absolute_url()
        first = self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(url)
        self.assertEqual(len(queries), 1)
        self.assertEqual(second.content, first.content)

    def test_publishing_retires_cached_lists_and_feeds(self):
        urls = [
            reverse("meetings:home"),
            self.page.get_absolute_url(),
            reverse("meetings:feed-atom"),
            reverse("relations:feed-rss", args=["canada"]),
        ]
        for url in urls:
            self.assertNotContains(self.client.get(url), "Second readout")
        draft = factories.meeting(self.page, title="Second readout", published=False)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.publish(draft, by=workflow.SITE)
        for url in urls:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Second readout")

    def test_withdrawing_retires_the_cached_meeting_page(self):
        url = self.meeting.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.unpublish(self.meeting, by=workflow.SITE)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_scheduled_meeting_appears_at_its_time_with_no_one_acting(self):
        publish_at = timezone.now() + timedelta(hours=2)
        scheduled = factories.meeting(self.page, title="Scheduled readout", published=False)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.publish(scheduled, at=publish_at, by=workflow.SITE)
        home = reverse("meetings:home")
        self.assertNotContains(self.client.get(home), "Scheduled readout")
        later = publish_at + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertContains(self.client.get(home), "Scheduled readout")
            self.assertEqual(self.client.get(scheduled.get_absolute_url()).status_code, 200)

    def test_browsers_revalidate_with_the_etag(self):
        url = self.page.get_absolute_url()
        etag = self.client.get(url).headers["ETag"]
        self.assertEqual(self.client.get(url, headers={"If-None-Match": etag}).status_code, 304)
        with self.captureOnCommitCallbacks(execute=True):
            content_changed()
        self.assertEqual(self.client.get(url, headers={"If-None-Match": etag}).status_code, 200)

    def test_an_admin_edit_retires_cached_pages(self):
        url = self.page.get_absolute_url()
        self.client.get(url)
        self.client.force_login(factories.staff_user())
        change = reverse("admin:relations_relationspage_change", args=[self.page.pk])
        form = admin_change_form(self.client, change)
        form.set("introduction", "A brand new introduction.")
        with self.captureOnCommitCallbacks(execute=True):
            response = form.submit(self.client)
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertContains(self.client.get(url), "A brand new introduction.")

    def test_a_topic_named_in_japanese_in_the_admin_retires_cached_japanese_pages(self):
        url = "/ja" + self.meeting.get_absolute_url()
        self.assertContains(self.client.get(url), ">North Korea</a>")
        self.client.force_login(factories.staff_user())
        form = admin_change_form(self.client, reverse("admin:meetings_topic_add"))
        form.set("name", "North Korea")
        form.set("label_ja", "北朝鮮")
        with self.captureOnCommitCallbacks(execute=True):
            response = form.submit(self.client)
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertContains(self.client.get(url), ">北朝鮮</a>")

    def test_not_found_pages_are_not_cached(self):
        self.assertEqual(self.client.get("/relations/atlantis/").status_code, 404)
        factories.relations_page("Atlantis", slug="atlantis")
        self.assertEqual(self.client.get("/relations/atlantis/").status_code, 200)

    def test_an_unknown_address_is_not_found_even_with_the_current_etag(self):
        etag = self.client.get(self.page.get_absolute_url()).headers["ETag"]
        response = self.client.get("/relations/atlantis/", headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 404)

    def test_a_page_not_cached_yet_is_rendered_whatever_etag_the_browser_holds(self):
        etag = self.client.get(self.page.get_absolute_url()).headers["ETag"]
        response = self.client.get(reverse("meetings:home"), headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "First readout")

    @override_settings(ALLOWED_HOSTS=["testserver", "www.mofa.example", "mirror.mofa.example"])
    def test_feeds_link_to_the_host_and_scheme_they_were_asked_on(self):
        feed = reverse("meetings:feed-atom")
        path = self.meeting.get_absolute_url()
        for host, secure in [
            ("www.mofa.example", True),
            ("mirror.mofa.example", False),
            ("www.mofa.example", False),
        ]:
            scheme = "https" if secure else "http"
            with self.subTest(host=host, scheme=scheme):
                response = self.client.get(feed, headers={"Host": host}, secure=secure)
                self.assertContains(response, f'href="{scheme}://{host}{path}"')
                for other in ("www.mofa.example", "mirror.mofa.example", "testserver"):
                    if other != host:
                        self.assertNotContains(response, f"://{other}/")

    def test_a_long_query_string_is_cached_under_a_short_key(self):
        url = reverse("meetings:home") + "?utm_source=" + "x" * 2000
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheKeyWarning)
            first = self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                second = self.client.get(url)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(len(queries), 1)
        self.assertEqual(second.content, first.content)
