"""Every response carries the Content-Security-Policy, Permissions-Policy and framing
headers: public and admin pages, cached hits and 304s of the page cache, and error pages."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client, TestCase
from django.urls import reverse

from meetings import workflow
from tests import factories
from tests.test_database_down import database_down
from tests.test_security_settings import settings_with

SECURITY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options")


def directives(response):
    """The policy as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def security_headers(response):
    return {name: response.headers.get(name) for name in SECURITY_HEADERS}


class ContentSecurityPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="First readout")
        cls.editor = factories.staff_user()

    def assert_strict(self, response):
        policy = directives(response)
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["base-uri"], ["'self'"])
        self.assertEqual(policy["form-action"], ["'self'"])
        self.assertEqual(policy["frame-ancestors"], ["'none'"])
        self.assertEqual(policy["img-src"], ["'self'"])
        # No directive lets inline code or eval in: not scripts, not styles.
        sources = {source for values in policy.values() for source in values}
        self.assertEqual(sources & {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"}, set())
        self.assertNotIn("Content-Security-Policy-Report-Only", response.headers)

    def test_public_pages_send_a_strict_policy(self):
        for url in (
            reverse("meetings:home"),
            self.meeting.get_absolute_url(),
            "/ja" + self.page.get_absolute_url(),
            reverse("meetings:feed-atom"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_strict(response)

    def test_admin_pages_send_the_same_policy(self):
        login = self.client.get(reverse("admin:login"))
        self.assert_strict(login)
        self.client.force_login(self.editor)
        for url in (
            reverse("admin:index"),
            reverse("admin:meetings_meeting_changelist"),
            reverse("admin:meetings_meeting_change", args=[self.meeting.pk]),
            reverse("admin:meetings_meeting_add"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(security_headers(response), security_headers(login))

    def test_error_pages_carry_the_headers(self):
        expected = security_headers(self.client.get(reverse("meetings:home")))
        self.assertNotIn(None, expected.values())
        client = Client(raise_request_exception=False)
        not_found = client.get("/relations/atlantis/")
        self.assertEqual(not_found.status_code, 404)
        self.assertEqual(security_headers(not_found), expected)
        workflow.take_down(self.meeting, by=self.editor, kind="in_error")
        gone = client.get(self.meeting.get_absolute_url())
        self.assertEqual(gone.status_code, 410)
        self.assertEqual(security_headers(gone), expected)
        with database_down():
            unavailable = client.get(reverse("relations:index"))
        self.assertEqual(unavailable.status_code, 503)
        self.assertEqual(security_headers(unavailable), expected)

    def test_a_refusal_before_any_view_carries_them_too(self):
        refused = self.client.get("/?q=%00")
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(
            security_headers(refused), security_headers(self.client.get(reverse("meetings:home")))
        )


class CachedPageHeadersTests(TestCase):
    """The page cache answers before most middleware runs: its hits and 304s must still
    carry every security header a freshly rendered page does."""

    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.meeting = factories.full_meeting(cls.page, title="First readout")

    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 600
        caches["pages"].clear()

    def test_a_cache_hit_and_a_304_carry_the_headers_of_the_miss(self):
        url = self.meeting.get_absolute_url()
        miss = self.client.get(url)
        self.assertNotIn(None, security_headers(miss).values())
        with mock.patch("django.urls.resolvers.URLResolver.resolve") as resolve:
            hit = self.client.get(url)
            not_modified = self.client.get(url, headers={"If-None-Match": miss.headers["ETag"]})
        resolve.assert_not_called()  # both answered by the page cache's fast path
        self.assertEqual(not_modified.status_code, 304)
        self.assertEqual(security_headers(hit), security_headers(miss))
        self.assertEqual(security_headers(not_modified), security_headers(miss))


class PermissionsPolicyTests(TestCase):
    def test_powerful_features_are_denied_to_every_page(self):
        response = self.client.get(reverse("meetings:home"))
        policy = dict(
            item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
            with self.subTest(feature=feature):
                self.assertEqual(policy[feature], "()")
        # Passkeys (WebAuthn) stay allowed on the site itself, for the editors' sign-in.
        self.assertNotIn("publickey-credentials-get", policy)
        self.assertNotIn("publickey-credentials-create", policy)


CSP = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


class PolicySettingsTests(TestCase):
    def test_report_only_reports_the_same_policy_without_enforcing_it(self):
        enforced = settings_with(*CSP)
        reported = settings_with(
            *CSP, PORTAL_CSP_REPORT_ONLY="1", PORTAL_CSP_REPORT_URI="https://csp.mofa.example/r"
        )
        self.assertIsNone(reported["CONTENT_SECURITY_POLICY"])
        self.assertIsNone(enforced["CONTENT_SECURITY_POLICY_REPORT_ONLY"])
        directives = reported["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
        self.assertEqual(directives.pop("report-uri"), ["https://csp.mofa.example/r"])
        self.assertEqual(directives, enforced["CONTENT_SECURITY_POLICY"]["DIRECTIVES"])

    def test_images_may_come_from_the_media_host_when_it_is_another(self):
        def image_sources(**environment):
            policy = settings_with("CONTENT_SECURITY_POLICY", **environment)
            return policy["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]

        self.assertEqual(image_sources(), ["'self'"])
        self.assertEqual(
            image_sources(DJANGO_MEDIA_URL="https://media.mofa.example/media/"),
            ["'self'", "https://media.mofa.example"],
        )
        self.assertEqual(
            image_sources(PORTAL_CSP_IMG_SRC="https://maps.mofa.example, https://cdn.example"),
            ["'self'", "https://maps.mofa.example", "https://cdn.example"],
        )

    def test_a_report_uri_that_is_not_an_address_is_refused(self):
        with self.assertRaisesMessage(AssertionError, "PORTAL_CSP_REPORT_URI"):
            settings_with("CONTENT_SECURITY_POLICY", PORTAL_CSP_REPORT_URI="csp reports")
