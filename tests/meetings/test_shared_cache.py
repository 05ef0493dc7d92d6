"""The page cache on a shared Redis, in this process: a hit reads no database, changes retire
pages, and a Redis that is down costs speed, never a page."""

from datetime import timedelta
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import caching, workflow
from meetings.caching import content_changed
from meetings.models import PublicContentVersion
from tests import factories
from tests.redis_server import free_port, redis_caches, running_redis


@pytest.fixture(scope="class")
def redis_url(request):
    with running_redis() as url:
        request.cls.redis_url = url
        yield url


@pytest.mark.usefixtures("redis_url")
class OnRedis:
    """Tests with the page cache on, every cache alias on a real Redis, emptied first."""

    @pytest.fixture(autouse=True)
    def _on_redis(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        settings.CACHES = redis_caches(self.redis_url)
        caches["default"].clear()  # the whole Redis database: every alias


class SharedCacheTests(OnRedis, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="First readout")

    def test_a_cached_page_makes_no_database_query(self):
        url = self.meeting.get_absolute_url()
        first = self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(url)
        self.assertEqual(len(queries), 0, [q["sql"] for q in queries])
        self.assertEqual(second.content, first.content)

    def test_a_cached_page_is_one_read_of_redis(self):
        url = self.meeting.get_absolute_url()
        first = self.client.get(url)
        self.client.get(url)  # served by the fast path, which now knows the version
        with mock.patch.object(
            redis.Redis, "execute_command", autospec=True, side_effect=redis.Redis.execute_command
        ) as commands:
            hit = self.client.get(url)
        self.assertEqual([call.args[1] for call in commands.call_args_list], ["MGET"])
        self.assertEqual(hit.content, first.content)
        self.assertEqual(hit.headers["ETag"], first.headers["ETag"])

    def test_a_page_cached_under_an_older_version_is_not_served(self):
        url = self.page.get_absolute_url()
        self.client.get(url)
        self.client.get(url)
        factories.meeting(self.page, title="Newer readout")
        with self.captureOnCommitCallbacks(execute=True):
            content_changed()
        self.assertContains(self.client.get(url), "Newer readout")

    def test_a_repeated_search_reads_no_version_row(self):
        url = reverse("meetings:search") + "?q=readout"
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        self.assertFalse([q for q in queries if "publiccontentversion" in q["sql"]])

    def test_the_version_lives_in_the_shared_cache(self):
        self.client.get(self.meeting.get_absolute_url())
        record = caches["default"].get(caching.VERSION_KEY)
        self.assertEqual(record["version"], PublicContentVersion.objects.get().version)

    def test_publishing_retires_pages_cached_by_every_server(self):
        home = reverse("meetings:home")
        self.assertNotContains(self.client.get(home), "Second readout")
        draft = factories.meeting(self.page, title="Second readout", published=False)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.publish(draft, by=workflow.SITE)
        self.assertContains(self.client.get(home), "Second readout")
        version = PublicContentVersion.objects.get().version
        self.assertEqual(caches["default"].get(caching.VERSION_KEY)["version"], version)

    def test_a_scheduled_meeting_appears_at_its_time(self):
        publish_at = timezone.now() + timedelta(hours=2)
        scheduled = factories.meeting(self.page, title="Scheduled readout", published=False)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.publish(scheduled, at=publish_at, by=workflow.SITE)
        home = reverse("meetings:home")
        self.assertNotContains(self.client.get(home), "Scheduled readout")
        self.assertEqual(caches["default"].get(caching.VERSION_KEY)["next_change_at"], publish_at)
        with mock.patch("django.utils.timezone.now", return_value=publish_at):
            self.assertContains(self.client.get(home), "Scheduled readout")
            self.assertEqual(caches["default"].get(caching.VERSION_KEY)["next_change_at"], None)

    def test_a_record_left_behind_by_a_newer_database_row_is_replaced(self):
        url = self.meeting.get_absolute_url()
        self.client.get(url)
        # Another server bumped the row, and its write to the cache was lost.
        PublicContentVersion.objects.update(version=99)
        caches["default"].set(caching.VERSION_KEY, {"version": 1, "next_change_at": timezone.now()})
        self.client.get(url)
        self.assertEqual(caches["default"].get(caching.VERSION_KEY)["version"], 99)


class RedisDownTests(TestCase):
    """Nothing listens at the Redis address: pages are rendered, uncached, never a 500."""

    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="Readout without Redis")

    @pytest.fixture(autouse=True)
    def _on_a_redis_that_is_down(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        in_memory = settings.CACHES
        settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")
        yield
        settings.CACHES = in_memory  # for the clearing after each test (tests/conftest.py)

    def test_pages_feeds_and_searches_are_served(self):
        for url in [
            self.meeting.get_absolute_url(),
            reverse("meetings:home"),
            reverse("meetings:feed-atom"),
            "/ja" + self.meeting.get_absolute_url(),
        ]:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Readout without Redis")

    def test_a_search_is_answered(self):
        response = self.client.get(reverse("meetings:search") + "?q=readout")
        self.assertEqual(response.status_code, 200)

    def test_changes_show_at_once(self):
        url = self.meeting.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.unpublish(self.meeting, by=workflow.SITE)
        self.assertEqual(self.client.get(url).status_code, 404)


@override_settings(ALLOWED_HOSTS=["testserver", "mirror.testserver"])
class KeyTests(TestCase):
    def test_the_key_names_the_language_scheme_and_host_hashed(self):
        from django.test import RequestFactory

        factory = RequestFactory()
        keys = set()
        for secure in (False, True):
            for host in ("testserver", "mirror.testserver"):
                request = factory.get("/relations/", secure=secure, headers={"Host": host})
                request.LANGUAGE_CODE = "en"
                keys.add(caching.page_cache_key(request, 7))
        request = factory.get("/relations/")
        request.LANGUAGE_CODE = "ja"
        keys.add(caching.page_cache_key(request, 7))
        self.assertEqual(len(keys), 5)
        self.assertTrue(all(len(key) < 100 and "relations" not in key for key in keys))


class DatabaseDownWithRedisUpTests(OnRedis, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="Readout served from Redis")

    def test_a_server_that_never_reached_the_database_serves_what_another_cached(self):
        from tests.test_database_down import database_down

        url = self.meeting.get_absolute_url()
        warm = self.client.get(url)
        with mock.patch.object(caching, "_last_version_seen", None), database_down():
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, warm.content)
