"""A runaway query does not hold a web worker: on PostgreSQL the web process's connections
cancel any statement after DATABASE_STATEMENT_TIMEOUT_MS, and the visitor gets a 503."""

from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client, SimpleTestCase, TestCase
from django.urls import reverse, translate_url

from meetings import views
from portal.web_database import limit_statement_time
from tests import factories

POSTGRESQL = "django.db.backends.postgresql"
on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)


class StatementTimeoutSettingTests(SimpleTestCase):
    def test_postgresql_connections_of_the_web_process_are_given_the_timeout(self):
        database = {"ENGINE": POSTGRESQL, "OPTIONS": {}}
        limit_statement_time(database, 10000)
        self.assertEqual(database["OPTIONS"]["options"], "-c statement_timeout=10000")

    def test_options_already_given_are_kept(self):
        database = {"ENGINE": POSTGRESQL, "OPTIONS": {"options": "-c search_path=portal"}}
        limit_statement_time(database, 250)
        self.assertEqual(
            database["OPTIONS"]["options"], "-c search_path=portal -c statement_timeout=250"
        )

    def test_zero_turns_the_timeout_off(self):
        database = {"ENGINE": POSTGRESQL}
        limit_statement_time(database, 0)
        self.assertNotIn("OPTIONS", database)

    def test_sqlite_has_no_such_setting(self):
        database = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 20}}
        limit_statement_time(database, 10000)
        self.assertEqual(database["OPTIONS"], {"timeout": 20})

    def test_commands_and_tests_are_not_limited(self):
        # Only portal/wsgi.py and portal/asgi.py apply it; this process imported neither.
        self.assertNotIn("statement_timeout", str(connection.settings_dict.get("OPTIONS")))


def cancelled_query(*args, **kwargs):
    """What Django raises when PostgreSQL cancels a query for its statement timeout."""
    try:
        raise psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
    except psycopg.errors.QueryCanceled as cause:
        raise OperationalError(*cause.args) from cause


class TooLongTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.meeting(factories.relations_page("Canada", slug="canada"))

    def setUp(self):
        # As in production: an exception is answered with a page, not raised in the test.
        self.client = Client(raise_request_exception=False)

    def assertTooLong(self, response):
        self.assertContains(response, "This page took too long to prepare", status_code=503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_a_cancelled_query_is_a_503_to_retry_not_a_server_error(self):
        with mock.patch.object(views.MeetingArchiveView, "get_queryset", cancelled_query):
            response = self.client.get(reverse("meetings:archive"))
        self.assertTooLong(response)

    def test_in_japanese_too(self):
        with mock.patch.object(views.MeetingArchiveView, "get_queryset", cancelled_query):
            response = self.client.get(translate_url(reverse("meetings:archive"), "ja"))
        self.assertContains(response, "時間がかかりすぎました", status_code=503)

    def test_a_database_that_cannot_be_reached_keeps_its_own_message(self):
        refused = OperationalError("connection refused: is the server running?")
        with mock.patch.object(views.MeetingArchiveView, "get_queryset", side_effect=refused):
            response = self.client.get(reverse("meetings:archive"))
        self.assertContains(response, "briefly unavailable", status_code=503)

    @on_postgresql_only
    def test_a_query_running_past_a_real_timeout_is_a_503(self):
        def sleep(view):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(2)")

        with connection.cursor() as cursor:
            # For this test's transaction only.
            cursor.execute("SET LOCAL statement_timeout = 50")
        with mock.patch.object(views.MeetingArchiveView, "get_queryset", sleep):
            response = self.client.get(reverse("meetings:archive"))
        self.assertTooLong(response)


@on_postgresql_only
class WebConnectionTests(SimpleTestCase):
    databases = {"default"}

    def test_a_connection_of_the_web_process_opens_with_the_timeout(self):
        settings_dict = {**connection.settings_dict, "OPTIONS": {}}
        limit_statement_time(settings_dict, 1500)
        web = DatabaseWrapper(settings_dict)
        try:
            with web.cursor() as cursor:
                cursor.execute("SHOW statement_timeout")
                self.assertEqual(cursor.fetchone()[0], "1500ms")
        finally:
            web.close()
