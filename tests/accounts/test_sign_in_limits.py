"""Repeated failed sign-ins lock the account and the address (django-axes), with a page
that says so and a 429; a publisher unlocks in the admin."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from tests import factories
from tests.browser_forms import read_form
from tests.test_settings import django_check

from .signing_in import FAST_HASHER, PASSWORD, sign_in, with_password

LIMIT = 5


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class LockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = with_password(factories.member_of("Editors", "alice"))
        cls.other_editor = with_password(factories.member_of("Editors", "bob"))
        cls.publisher = factories.member_of("Publishers", "pat")

    def assert_locked_out(self, response):
        self.assertContains(response, "Sign-in locked: too many failed attempts", status_code=429)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["Retry-After"], str(30 * 60))

    def assert_signed_in(self, response):
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)

    def test_the_finding_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(self):
        for attempt in range(1, LIMIT):
            response = sign_in(self.client, "alice", f"wrong {attempt}")
            self.assertContains(response, "Please enter the correct username and password")
        self.assert_locked_out(sign_in(self.client, "alice", "wrong again"))
        self.assert_locked_out(sign_in(self.client, "alice", PASSWORD))
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 302)

    def test_the_account_stays_locked_from_another_address(self):
        for attempt in range(LIMIT):
            sign_in(self.client, "alice", f"wrong {attempt}", address=f"198.51.100.{attempt}")
        self.assert_locked_out(sign_in(self.client, "alice", PASSWORD, address="203.0.113.77"))

    def test_an_address_that_tried_many_accounts_may_not_sign_into_another(self):
        for attempt in range(LIMIT):
            sign_in(self.client, f"guess{attempt}", "password1", address="198.51.100.9")
        self.assert_locked_out(sign_in(self.client, "bob", PASSWORD, address="198.51.100.9"))
        self.assert_signed_in(sign_in(self.client, "bob", PASSWORD, address="198.51.100.10"))

    @override_settings(PORTAL_TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_a_forged_forwarded_address_does_not_dodge_the_address_lock(self):
        nginx = "127.0.0.1"
        for attempt in range(LIMIT):
            forged = f"10.9.8.{attempt}, 203.0.113.5"  # the client wrote the first; nginx the last
            sign_in(self.client, f"guess{attempt}", "x", address=nginx, x_forwarded_for=forged)
        self.assertEqual(
            set(AccessAttempt.objects.values_list("ip_address", flat=True)), {"203.0.113.5"}
        )
        response = sign_in(
            self.client, "bob", PASSWORD, address=nginx, x_forwarded_for="192.0.2.1, 203.0.113.5"
        )
        self.assert_locked_out(response)
        response = sign_in(
            self.client, "bob", PASSWORD, address=nginx, x_forwarded_for="203.0.113.6"
        )
        self.assert_signed_in(response)

    def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(self):
        sign_in(self.client, "alice", "wrong", x_forwarded_for="203.0.113.5")
        self.assertEqual(AccessAttempt.objects.get().ip_address, "192.0.2.10")

    def test_after_the_cool_off_the_right_password_works(self):
        for attempt in range(LIMIT):
            sign_in(self.client, "alice", f"wrong {attempt}")
        earlier = AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
        AccessAttempt.objects.update(attempt_time=earlier)
        self.assert_signed_in(sign_in(self.client, "alice", PASSWORD))

    def test_a_publisher_unlocks_the_account_in_the_admin_and_the_sign_in_then_works(self):
        for attempt in range(LIMIT):
            sign_in(self.client, "alice", f"wrong {attempt}")
        publisher = Client()
        publisher.force_login(self.publisher)
        changelist = reverse("admin:axes_accessattempt_changelist")
        page = publisher.get(changelist)
        self.assertContains(page, "Locked Out")
        form = read_form(page, "#changelist-form")
        form.set("action", "unlock")
        form.tick("_selected_action", AccessAttempt.objects.get().pk)
        response = form.submit(publisher, button="index")
        self.assertEqual(response.status_code, 302)
        self.assertContains(publisher.get(changelist), "Unlocked: alice from 192.0.2.10.")
        self.assert_signed_in(sign_in(self.client, "alice", PASSWORD))

    def test_an_editor_cannot_see_or_clear_the_attempts(self):
        sign_in(self.client, "alice", "wrong")
        editor = Client()
        editor.force_login(self.other_editor)
        self.assertEqual(
            editor.get(reverse("admin:axes_accessattempt_changelist")).status_code, 403
        )

    def test_the_wrong_password_is_not_written_down(self):
        sign_in(self.client, "alice", "almost the right passphrase")
        attempt = AccessAttempt.objects.get()
        self.assertNotIn("almost the right passphrase", attempt.post_data)
        self.assertIn("password=********", attempt.post_data)

    def test_with_the_page_cache_on_the_sign_in_and_lockout_pages_are_never_cached(self):
        with self.settings(PORTAL_PAGE_CACHE_SECONDS=600):
            self.assertIn("no-store", self.client.get(reverse("admin:login"))["Cache-Control"])
            for attempt in range(LIMIT):
                response = sign_in(self.client, "alice", f"wrong {attempt}")
            self.assertEqual(response.status_code, 429)
            self.assertIn("no-store", response["Cache-Control"])
            page = self.client.get(reverse("admin:login"))
            self.assertEqual(page.status_code, 200)
            self.assertFalse(hasattr(page.wsgi_request, "page_cache_key"))


class SettingsTests(SimpleTestCase):
    def test_a_limit_that_is_not_a_whole_number_stops_the_site_naming_it(self):
        result = django_check(DJANGO_SECRET_KEY="k" * 50, PORTAL_LOGIN_FAILURE_LIMIT="five")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PORTAL_LOGIN_FAILURE_LIMIT must be a whole number of 1", result.stderr)
