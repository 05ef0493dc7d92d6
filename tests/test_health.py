"""/healthz and /readyz, for load balancers: cheap, never cached, 503 (not 500) when not ready."""

import json
import time
from unittest import mock

from django.core.cache.backends.locmem import LocMemCache
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from portal import health
from tests.test_database_down import database_down


class BrokenCache(LocMemCache):
    """A cache server that cannot be reached."""

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server refused the connection")


BROKEN_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "tests.test_health.BrokenCache", "LOCATION": "broken"},
}


class HealthTests(TestCase):
    def setUp(self):
        # As in production: an exception is answered with a page, not raised in the test.
        self.client = Client(raise_request_exception=False)

    def assert_not_stored(self, response):
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertFalse(response.cookies)
        self.assertNotIn("Vary", response.headers)

    def test_healthz_answers_ok_without_touching_the_database(self):
        with self.assertNumQueries(0):
            response = self.client.get(reverse("healthz"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")
        self.assert_not_stored(response)

    def test_healthz_answers_while_the_database_is_down(self):
        with database_down():
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)

    def test_healthz_is_not_redirected_to_https_nor_to_a_language(self):
        with self.settings(SECURE_SSL_REDIRECT=True):
            for address in ("/healthz", "/readyz"):
                with self.subTest(address=address):
                    self.assertIn(self.client.get(address).status_code, {200, 503})
        with translation.override("ja"):
            self.assertEqual(reverse("healthz"), "/healthz")

    def test_readyz_reports_the_database_and_the_cache(self):
        response = self.client.get(reverse("readyz"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.content), {"database": "ok", "cache": "ok"})
        self.assert_not_stored(response)

    def test_readyz_is_503_naming_the_database_when_it_is_down(self):
        with database_down():
            response = self.client.get(reverse("readyz"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            json.loads(response.content), {"database": "failed: OperationalError", "cache": "ok"}
        )
        self.assert_not_stored(response)

    @override_settings(CACHES=BROKEN_CACHES)
    def test_readyz_is_503_naming_the_cache_when_it_is_broken(self):
        response = self.client.get(reverse("readyz"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            json.loads(response.content), {"database": "ok", "cache": "failed: ConnectionError"}
        )

    def test_readyz_answers_503_in_time_when_the_database_hangs(self):
        hang = mock.patch.object(
            BaseDatabaseWrapper, "ensure_connection", side_effect=lambda: time.sleep(1)
        )
        with hang, mock.patch.object(health, "TIMEOUT_SECONDS", 0.2):
            started = time.monotonic()
            response = self.client.get(reverse("readyz"))
        self.assertLess(time.monotonic() - started, 0.9)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content)["database"], "timeout")
        time.sleep(1)  # the hung check finishes before the next test
