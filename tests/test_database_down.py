"""While the database cannot be reached, visitors get cached pages or a 503, never a 500."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, SimpleTestCase, TestCase
from django.urls import reverse

from meetings import caching
from tests import factories


def database_down():
    """Every query fails as it does while PostgreSQL is stopped or restarting."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused: is the server running?"),
    )


class DatabaseDownTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="Readout served from the cache")
        cls.editor = factories.staff_user()

    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        caches["pages"].clear()

    def setUp(self):
        # As in production: an exception is answered with a page, not raised in the test.
        self.client = Client(raise_request_exception=False)

    def assert_unavailable(self, response):
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.headers["Retry-After"], "30")
        self.assertContains(response, "briefly unavailable", status_code=503)

    def test_a_page_visited_before_is_served_from_the_cache(self):
        url = self.meeting.get_absolute_url()
        warm = self.client.get(url)
        with database_down():
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, warm.content)

    def test_a_browser_holding_a_cached_page_is_told_it_is_unchanged(self):
        url = self.meeting.get_absolute_url()
        etag = self.client.get(url).headers["ETag"]
        with database_down():
            response = self.client.get(url, headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 304)

    def test_a_page_not_in_the_cache_is_a_503_to_retry_later(self):
        self.client.get(self.meeting.get_absolute_url())
        with database_down():
            response = self.client.get(reverse("relations:index"))
        self.assert_unavailable(response)

    def test_a_process_that_never_reached_the_database_answers_503(self):
        with mock.patch.object(caching, "_last_version_seen", None), database_down():
            response = self.client.get(self.meeting.get_absolute_url())
        self.assert_unavailable(response)

    def test_pages_outside_the_cache_answer_503(self):
        self.client.get(self.meeting.get_absolute_url())
        with database_down():
            response = self.client.get("/preview/00000000-0000-0000-0000-000000000000/")
        self.assert_unavailable(response)

    def test_the_admin_answers_503(self):
        self.client.force_login(self.editor)
        with database_down():
            response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        self.assert_unavailable(response)

    def test_the_site_answers_again_once_the_database_is_back(self):
        with database_down():
            self.assert_unavailable(self.client.get(reverse("relations:index")))
        self.assertEqual(self.client.get(reverse("relations:index")).status_code, 200)


class DatabaseGoneInsideAMiddlewareTests(SimpleTestCase):
    """A database error raised outside a view (a middleware saving a session, say) reaches
    the 500 handler, not the middleware's process_exception: it is a 503 there too."""

    def test_the_server_error_handler_answers_503_for_a_database_error(self):
        from django.test import RequestFactory

        from portal.middleware import server_error

        request = RequestFactory().get("/")
        try:
            raise OperationalError("the server closed the connection unexpectedly")
        except OperationalError:
            response = server_error(request)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        try:
            raise ValueError("a bug")
        except ValueError:
            self.assertEqual(server_error(request).status_code, 500)
