"""Passkeys (django-otp-webauthn) beside authenticator apps: registering one from the
two-factor page, signing in with one after the password, removing one, a publisher's reset.

The ceremony itself (a browser's signed answer) is in tests/test_two_factor_in_a_browser.py;
here are the pages and the server's refusals."""

import json

import lxml.html
import pytest
from django.contrib.admin.models import LogEntry
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import bytes_to_base64url

from second_factor import devices
from tests import factories
from tests.browser_forms import read_form
from tests.second_factor.helpers import (
    FAST_HASHING,
    PASSWORD,
    scripts_without_src,
    sign_in,
    signed_in,
    verified_by,
    with_app,
    with_passkey,
)


def configuration_on(response):
    page = lxml.html.fromstring(response.content.decode())
    return json.loads(page.get_element_by_id("otp_webauthn_config").text_content())


def post_json(client, url, data=None):
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", HTTP_ACCEPT="application/json"
    )


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class SignInWithAPasskeyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.publisher.set_password(PASSWORD)
        cls.publisher.save()
        cls.passkey = with_passkey(cls.publisher)

    @pytest.fixture(autouse=True)
    def _publishers_must(self, _two_factor_not_required, settings):
        settings.PORTAL_TWO_FACTOR_REQUIRED = "publishers"

    def test_the_password_then_leads_to_the_passkey_not_to_setting_up_an_app(self):
        response = sign_in(self.client, "paul")
        self.assertRedirects(
            response,
            f"{reverse('admin:login_passkey')}?next=%2Fadmin%2F",
            fetch_redirect_response=False,
        )
        self.assertFalse(signed_in(self.client), "not signed in before the passkey")
        page = self.client.get(response.url)
        self.assertContains(page, "Your password was right, paul.")
        self.assertContains(page, 'id="passkey-verification-button"')
        configuration = configuration_on(page)
        self.assertEqual(
            configuration["beginAuthenticationUrl"], reverse("admin:login_passkey_begin")
        )
        self.assertEqual(
            configuration["completeAuthenticationUrl"], reverse("admin:login_passkey_complete")
        )
        self.assertEqual(scripts_without_src(page), [], "a strict CSP allows no inline script")
        self.assertEqual(
            self.client.get(reverse("admin:index")).status_code, 302, "nothing opens yet"
        )

    def test_the_challenge_names_the_persons_passkeys_alone(self):
        other = with_passkey(factories.member_of("Editors", "erin"))
        sign_in(self.client, "paul")
        options = post_json(self.client, reverse("admin:login_passkey_begin")).json()
        self.assertEqual(options["rpId"], "localhost")
        allowed = [credential["id"] for credential in options["allowCredentials"]]
        self.assertEqual(allowed, [bytes_to_base64url(self.passkey.credential_id)])
        self.assertNotIn(bytes_to_base64url(other.credential_id), allowed)
        self.assertEqual(options["userVerification"], "discouraged", "a second factor")

    def test_without_the_password_first_there_is_no_passkey_step(self):
        page = self.client.get(reverse("admin:login_passkey"), follow=True)
        self.assertContains(page, "Sign in with your password first")
        for name in ("admin:login_passkey_begin", "admin:login_passkey_complete"):
            response = post_json(self.client, reverse(name))
            self.assertEqual(response.status_code, 403, name)
            self.assertIn("sign in again with your password", response.json()["detail"])
        # Nor passwordless through the library's own address.
        begin = reverse("otp_webauthn:credential-authentication-begin")
        self.assertEqual(post_json(self.client, begin).status_code, 403)

    def test_a_wrong_answer_is_refused_with_a_clear_message_and_signs_nobody_in(self):
        sign_in(self.client, "paul")
        complete = reverse("admin:login_passkey_complete")
        response = post_json(self.client, complete, {"id": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("press the button again", response.json()["detail"])

        post_json(self.client, reverse("admin:login_passkey_begin"))
        for hostile in ({"id": "x"}, {"id": 5, "rawId": [], "response": "no"}, []):
            post_json(self.client, reverse("admin:login_passkey_begin"))
            response = post_json(self.client, complete, hostile)
            self.assertIn(response.status_code, (400, 422), hostile)
            self.assertTrue(response.json()["detail"])
        response = self.client.post(complete, "{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(signed_in(self.client))

    def test_a_code_still_signs_in_those_with_an_app_too(self):
        _, codes = with_app(self.publisher)
        self.assertRedirects(sign_in(self.client, "paul", code=codes[0]), reverse("admin:index"))


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class RegisteringAndRemovingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.publisher.set_password(PASSWORD)
        cls.publisher.save()

    @pytest.fixture(autouse=True)
    def _publishers_must(self, _two_factor_not_required, settings):
        settings.PORTAL_TWO_FACTOR_REQUIRED = "publishers"

    def test_a_publisher_who_must_enrol_is_offered_a_passkey_without_inline_script(self):
        page = sign_in(self.client, "paul", follow=True)
        self.assertEqual(page.redirect_chain[-1][0], reverse("admin:two_factor_add_app"))
        self.assertContains(page, 'id="passkey-register-button"')
        self.assertContains(page, f'data-passkey-next="{reverse("admin:two_factor")}"')
        configuration = configuration_on(page)
        self.assertEqual(
            configuration["beginRegistrationUrl"],
            reverse("otp_webauthn:credential-registration-begin"),
        )
        self.assertEqual(scripts_without_src(page), [])
        # The library's registration starts for them: their first second factor.
        options = post_json(self.client, configuration["beginRegistrationUrl"]).json()
        self.assertEqual(options["rp"], {"name": "Ministry of Foreign Affairs", "id": "localhost"})

    def test_a_passkey_alone_counts_as_set_up(self):
        passkey = with_passkey(self.publisher)
        verified_by(self.client, passkey)
        changelist = reverse("admin:meetings_meeting_changelist")
        self.assertEqual(self.client.get(changelist).status_code, 200)
        page = self.client.get(reverse("admin:two_factor"))
        self.assertContains(page, "You sign in with your password and a passkey.")
        self.assertContains(page, reverse("admin:two_factor_remove_passkey", args=[passkey.pk]))
        self.assertEqual(scripts_without_src(page), [])

    def test_removing_a_passkey_asks_for_the_password_and_takes_the_recovery_codes_with_the_last(
        self,
    ):
        passkey = with_passkey(self.publisher)
        verified_by(self.client, passkey)
        devices.new_recovery_codes(self.publisher)
        url = reverse("admin:two_factor_remove_passkey", args=[passkey.pk])
        form = read_form(self.client.get(url), "#content-main form")
        response = form.set("password_or_code", "not it").submit(self.client)
        self.assertContains(response, "That is neither your password nor a valid code.")
        self.assertTrue(WebAuthnCredential.objects.filter(pk=passkey.pk).exists())

        response = form.set("password_or_code", PASSWORD).submit(self.client, follow=True)
        self.assertContains(response, "The passkey “Passkey” was removed.")
        self.assertFalse(WebAuthnCredential.objects.exists())
        self.assertFalse(StaticToken.objects.exists())

    def test_an_app_left_keeps_the_recovery_codes(self):
        passkey = with_passkey(self.publisher)
        _, codes = with_app(self.publisher)
        verified_by(self.client, passkey)
        url = reverse("admin:two_factor_remove_passkey", args=[passkey.pk])
        read_form(self.client.get(url), "#content-main form").set(
            "password_or_code", codes[0]
        ).submit(self.client)
        self.assertFalse(WebAuthnCredential.objects.exists())
        self.assertEqual(StaticToken.objects.count(), 9)

    def test_nobody_removes_another_persons_passkey(self):
        verified_by(self.client, with_passkey(self.publisher))
        other = with_passkey(factories.member_of("Editors", "erin"))
        url = reverse("admin:two_factor_remove_passkey", args=[other.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_publishers_reset_removes_passkeys_too_and_the_staff_page_counts_them(self):
        editor = factories.member_of("Editors", "erin")
        with_passkey(editor)
        verified_by(self.client, with_passkey(self.publisher))
        page = self.client.get(reverse("admin:two_factor_staff"))
        row = lxml.html.fromstring(page.content.decode()).xpath(
            "//tr[td[1][normalize-space()='erin']]"
        )[0]
        self.assertIn("Set up", row.text_content())
        read_form(page, f"button[name=reset][value='{editor.pk}']").submit(
            self.client, button="reset"
        )
        self.assertFalse(WebAuthnCredential.objects.filter(user=editor).exists())
        self.assertIn("passkeys", LogEntry.objects.get(object_id=str(editor.pk)).change_message)

    def test_the_credential_admin_of_the_library_is_not_offered(self):
        self.publisher.is_superuser = True
        self.publisher.save()
        verified_by(self.client, with_passkey(self.publisher))
        index = self.client.get(reverse("admin:index"))
        self.assertNotContains(index, "WebAuthn credential")
