"""Staff sessions end after PORTAL_SESSION_IDLE_MINUTES idle and PORTAL_SESSION_MAX_HOURS
after signing in; a person signs out everywhere, or a publisher does it for them; a
disabled account keeps its history and cannot sign in. Visitors never get a session."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.staff_sessions import ACTIVE_AT, SIGNED_IN_AT
from tests import factories
from tests.browser_forms import admin_change_form, read_form

from .signing_in import FAST_HASHER, PASSWORD, sign_in, with_password

ADMIN = reverse("admin:index")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def move_clocks_back(client, **seconds):
    """Edit the stored session as if its sign-in or last activity were that long ago."""
    session = client.session
    for key, back in seconds.items():
        session[{"signed_in": SIGNED_IN_AT, "active": ACTIVE_AT}[key]] -= back
    session.save()


class SessionLifetimeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "alice")

    def assert_signed_out_saying(self, client, words):
        response = client.get(ADMIN)
        self.assertRedirects(
            response, f"{reverse('admin:login')}?next={ADMIN}", fetch_redirect_response=False
        )
        self.assertContains(client.get(response["Location"]), words)
        self.assertEqual(client.get(ADMIN).status_code, 302)

    def test_a_session_idle_for_thirty_minutes_is_signed_out_with_a_message(self):
        client = signed_in(self.editor)
        self.assertEqual(client.get(ADMIN).status_code, 200)
        move_clocks_back(client, active=30 * 60)
        self.assert_signed_out_saying(client, "signed out after 30 minutes without activity")

    def test_twenty_nine_idle_minutes_are_not_enough(self):
        client = signed_in(self.editor)
        move_clocks_back(client, active=29 * 60)
        self.assertEqual(client.get(ADMIN).status_code, 200)

    def test_an_active_session_ends_twelve_hours_after_signing_in(self):
        client = signed_in(self.editor)
        move_clocks_back(client, signed_in=12 * 3600)
        self.assert_signed_out_saying(client, "signed out 12 hours after signing in")

    @override_settings(PORTAL_SESSION_IDLE_MINUTES=5, PORTAL_SESSION_MAX_HOURS=1)
    def test_the_limits_are_settings(self):
        client = signed_in(self.editor)
        move_clocks_back(client, active=5 * 60)
        self.assert_signed_out_saying(client, "after 5 minutes without activity")

    def test_a_session_without_the_clocks_from_before_the_limits_is_ended(self):
        client = signed_in(self.editor)
        session = client.session
        del session[SIGNED_IN_AT]
        session.save()
        self.assertEqual(client.get(ADMIN).status_code, 302)

    def test_activity_is_written_at_most_once_a_minute(self):
        client = signed_in(self.editor)
        client.get(ADMIN)
        with CaptureQueriesContext(connection) as queries:
            client.get(ADMIN)
        writes = [
            q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]
        ]
        self.assertEqual(writes, [])
        move_clocks_back(client, active=61)
        before = client.session[ACTIVE_AT]
        client.get(ADMIN)
        self.assertGreaterEqual(client.session[ACTIVE_AT], before + 61)

    @override_settings(PASSWORD_HASHERS=FAST_HASHER)
    def test_the_session_cookie_lasts_no_longer_than_the_absolute_lifetime(self):
        with_password(self.editor)
        response = sign_in(self.client, "alice", PASSWORD)
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(cookie["max-age"], 12 * 3600)
        self.assertTrue(cookie["httponly"])


class VisitorsTests(TestCase):
    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600

    @classmethod
    def setUpTestData(cls):
        cls.meeting = factories.meeting()

    def test_public_pages_set_no_cookie_and_do_not_vary_by_one_and_stay_cached(self):
        url = self.meeting.get_absolute_url()
        for _ in range(2):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.cookies, {})
            self.assertNotIn("cookie", response.get("Vary", "").lower())
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        self.assertLessEqual(len(queries), 1)  # the content version, at most: a cache hit


class SignOutEverywhereTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "alice")
        cls.other_editor = factories.member_of("Editors", "bob")
        cls.publisher = factories.member_of("Publishers", "pat")

    def test_a_person_signs_out_of_every_device_with_the_button_beside_log_out(self):
        laptop, phone = signed_in(self.editor), signed_in(self.editor)
        bob = signed_in(self.other_editor)
        form = read_form(laptop.get(ADMIN), "#sign-out-everywhere-form")
        response = form.submit(laptop)
        self.assertRedirects(response, reverse("admin:login"), fetch_redirect_response=False)
        self.assertContains(laptop.get(response["Location"]), "Signed out everywhere: 2 sessions")
        self.assertEqual(laptop.get(ADMIN).status_code, 302)
        self.assertEqual(phone.get(ADMIN).status_code, 302)
        self.assertEqual(bob.get(ADMIN).status_code, 200)

    def test_a_publisher_signs_another_person_out_everywhere(self):
        lost_laptop = signed_in(self.editor)
        publisher = signed_in(self.publisher)
        page = publisher.get(reverse("admin:auth_user_changelist"))
        form = read_form(page, "#changelist-form")
        form.set("action", "sign_out_everywhere").tick("_selected_action", self.editor.pk)
        response = form.submit(publisher, button="index")
        self.assertEqual(response.status_code, 302)
        self.assertContains(publisher.get(response["Location"]), "Signed out everywhere: alice")
        self.assertEqual(lost_laptop.get(ADMIN).status_code, 302)
        self.assertEqual(publisher.get(ADMIN).status_code, 200)

    def test_an_editor_has_no_staff_list_to_sign_anyone_out_from(self):
        editor = signed_in(self.other_editor)
        self.assertEqual(editor.get(reverse("admin:auth_user_changelist")).status_code, 403)

    def test_signing_out_everywhere_needs_a_post(self):
        client = signed_in(self.editor)
        self.assertEqual(client.get(reverse("sign_out_everywhere")).status_code, 405)
        self.assertEqual(Session.objects.count(), 1)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DisabledAccountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = with_password(factories.member_of("Editors", "alice"))
        cls.superuser = factories.staff_user("root", superuser=True)
        cls.meeting = factories.meeting(created_by=cls.editor, submitted_by=cls.editor)

    def test_a_disabled_account_keeps_its_history_loses_its_sessions_and_cannot_sign_in(self):
        alice = signed_in(self.editor)
        root = signed_in(self.superuser)
        form = admin_change_form(root, reverse("admin:auth_user_change", args=[self.editor.pk]))
        form.set("is_active", False)
        self.assertEqual(form.submit(root).status_code, 302)

        self.assertEqual(alice.get(ADMIN).status_code, 302)
        response = sign_in(Client(), "alice", PASSWORD)
        self.assertContains(response, "Please enter the correct username and password")
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.created_by, self.editor)
        self.assertEqual(self.meeting.submitted_by, self.editor)
