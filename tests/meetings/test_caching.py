import time
import warnings
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import CacheKeyWarning, caches
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import caching, workflow
from meetings.caching import content_changed
from meetings.models import PublicContentVersion
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


class BatchOfChangesTests(TestCase):
    """A command publishing many meetings, each in its own transaction, retires the cached
    pages once for the batch, and none stays out of date."""

    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")

    def version(self):
        return PublicContentVersion.objects.get(pk=1).version

    def publish_drafts(self, titles):
        for title in titles:
            draft = factories.meeting(self.page, title=title, published=False)
            with self.captureOnCommitCallbacks(execute=True):
                workflow.publish(draft, by=workflow.SITE)

    def test_publications_in_a_batch_retire_the_cached_pages_once_when_it_ends(self):
        caching.current_version()
        before = self.version()
        with caching.one_retirement_per_batch():
            self.publish_drafts(["First readout", "Second readout", "Third readout"])
            self.assertEqual(self.version(), before)
        self.assertEqual(self.version(), before + 1)

    def test_a_change_waits_no_longer_than_the_batch_allows(self):
        caching.current_version()
        before = self.version()
        with caching.one_retirement_per_batch():
            self.publish_drafts(["First readout"])
            later = time.monotonic() + caching.BATCH_SECONDS
            with mock.patch("time.monotonic", return_value=later):
                self.publish_drafts(["Second readout"])
            self.assertEqual(self.version(), before + 1)
        self.assertEqual(self.version(), before + 1)

    def test_a_batch_whose_process_dies_leaves_no_page_out_of_date_for_long(self):
        caching.current_version()
        before = self.version()
        batch = caching.one_retirement_per_batch()
        batch.__enter__()  # and never left: the process was killed mid-run
        try:
            self.publish_drafts(["First readout"])
        finally:
            caching._batch.set(None)
        self.assertEqual(caching.current_version(), before)
        later = timezone.now() + timedelta(seconds=caching.BATCH_SECONDS)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(caching.current_version(), before + 1)

    def test_a_batch_that_fails_still_retires_what_it_changed(self):
        caching.current_version()
        before = self.version()
        with self.assertRaises(RuntimeError), caching.one_retirement_per_batch():
            self.publish_drafts(["First readout"])
            raise RuntimeError
        self.assertEqual(self.version(), before + 1)

    def test_a_change_committed_after_its_batch_ended_retires_the_pages_at_once(self):
        caching.current_version()
        before = self.version()
        draft = factories.meeting(self.page, title="First readout", published=False)
        with self.captureOnCommitCallbacks(execute=True):
            with caching.one_retirement_per_batch():
                workflow.publish(draft, by=workflow.SITE)
            self.assertEqual(self.version(), before)
        self.assertEqual(self.version(), before + 1)

    def test_a_batch_of_drafts_retires_nothing(self):
        caching.current_version()
        before = self.version()
        with caching.one_retirement_per_batch():
            factories.meeting(self.page, title="A draft", published=False)
        self.assertEqual(self.version(), before)


class CacheHitFastPathTests(TestCase):
    """A cached page is served by a middleware early in the stack: no session, CSRF, auth
    or messages middleware and no URL resolving, with the bytes and headers of the miss."""

    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="First readout")
        cls.editor = factories.staff_user()

    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        caches["pages"].clear()

    def urls(self):
        return [
            self.meeting.get_absolute_url(),
            "/ja" + self.meeting.get_absolute_url(),
            self.page.get_absolute_url() + "?year=2024",
            reverse("meetings:home"),
            reverse("meetings:feed-rss"),
        ]

    def test_a_hit_runs_no_session_or_auth_middleware_and_resolves_no_url(self):
        for url in self.urls():
            with self.subTest(url=url):
                self.client.get(url)
                with (
                    mock.patch(
                        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
                        return_value=None,
                    ) as session,
                    mock.patch(
                        "django.contrib.auth.middleware.AuthenticationMiddleware.process_request",
                        return_value=None,
                    ) as auth,
                    mock.patch("django.urls.resolvers.URLResolver.resolve") as resolve,
                ):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                session.assert_not_called()
                auth.assert_not_called()
                resolve.assert_not_called()

    def test_a_hit_carries_the_bytes_and_headers_of_the_miss(self):
        for url in self.urls():
            with self.subTest(url=url):
                miss = self.client.get(url)
                hit = self.client.get(url)
                self.assertEqual(hit.content, miss.content)
                ignored = {"X-Request-ID"}
                self.assertEqual(
                    {k: v for k, v in hit.headers.items() if k not in ignored},
                    {k: v for k, v in miss.headers.items() if k not in ignored},
                )
                self.assertEqual(hit.headers["X-Frame-Options"], "DENY")
                self.assertIn("Content-Language", hit.headers)
                self.assertNotEqual(hit.headers["X-Request-ID"], miss.headers["X-Request-ID"])

    def test_a_hit_answers_a_conditional_request_with_304(self):
        url = self.meeting.get_absolute_url()
        etag = self.client.get(url).headers["ETag"]
        with mock.patch("django.urls.resolvers.URLResolver.resolve") as resolve:
            response = self.client.get(url, headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 304)
        resolve.assert_not_called()

    def test_a_hit_costs_one_query_without_a_shared_cache(self):
        url = self.page.get_absolute_url()
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        self.assertEqual(len(queries), 1)

    def test_a_logged_in_editor_goes_through_the_whole_stack(self):
        url = self.meeting.get_absolute_url()
        anonymous = self.client.get(url)
        self.client.force_login(self.editor)
        with mock.patch.object(
            AuthenticationMiddleware,
            "process_request",
            autospec=True,
            side_effect=AuthenticationMiddleware.process_request,
        ) as auth:
            response = self.client.get(url)
        auth.assert_called_once()
        self.assertEqual(response.content, anonymous.content)

    def test_an_editors_visit_leaves_visitors_the_headers_of_a_visitors_miss(self):
        url = self.meeting.get_absolute_url()
        self.client.force_login(self.editor)
        self.client.get(url)  # the miss, cached by the editor's request
        self.client.logout()
        visitor = Client()
        hit = visitor.get(url)
        caches["pages"].clear()
        miss = visitor.get(url)
        self.assertEqual(hit.content, miss.content)
        ignored = {"X-Request-ID"}
        self.assertEqual(
            {k: v for k, v in hit.headers.items() if k not in ignored},
            {k: v for k, v in miss.headers.items() if k not in ignored},
        )

    def test_an_address_no_view_caches_costs_no_extra_version_read(self):
        url = reverse("meetings:search") + "?q=readout"
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        # The one the search's own remembered results need, not one more for the fast path.
        reads = [q for q in queries if "publiccontentversion" in q["sql"]]
        self.assertEqual(len(reads), 1)
