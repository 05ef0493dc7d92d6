"""Setting up an authenticator app, recovery codes and removing an app, through the pages."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser_forms import read_form
from tests.second_factor.helpers import (
    FAST_HASHING,
    PASSWORD,
    code_from_page,
    code_of,
    read_text,
    sign_in,
    with_app,
)


def recovery_codes_on(response):
    import lxml.html

    page = lxml.html.fromstring(response.content.decode())
    return [code.text_content() for code in page.cssselect("#recovery-codes code")]


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class SettingUpAnAppTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.publisher.set_password(PASSWORD)
        cls.publisher.save()

    @pytest.fixture(autouse=True)
    def _publishers_must(self, _two_factor_not_required, settings):
        settings.PORTAL_TWO_FACTOR_REQUIRED = "publishers"

    def test_a_publisher_sent_to_set_up_an_app_does_so_and_then_signs_in_with_it(self):
        page = sign_in(self.client, "paul", follow=True)
        self.assertContains(page, "<svg", msg_prefix="the QR code, drawn inline")
        self.assertIn("otpauth://totp/", read_text(page, "#two-factor-config-url"))
        self.assertNotContains(page, "<script>")

        form = read_form(page, "#two-factor-add-app")
        form.set("otp_token", code_from_page(page)).set("name", "Work phone")
        done = form.submit(self.client)
        self.assertContains(done, "The app “Work phone” is set up.")
        codes = recovery_codes_on(done)
        self.assertEqual(len(codes), 10)
        self.assertEqual(len(set(codes)), 10)
        device = TOTPDevice.objects.get(user=self.publisher)
        self.assertTrue(device.confirmed)
        # This session gave a code: the admin opens at once.
        changelist = reverse("admin:meetings_meeting_changelist")
        self.assertEqual(self.client.get(changelist).status_code, 200)

        self.client.post(reverse("admin:logout"))
        self.assertContains(sign_in(self.client, "paul"), "Enter the six-digit code")
        self.assertRedirects(sign_in(self.client, "paul", code=codes[0]), reverse("admin:index"))

    def test_a_wrong_first_code_leaves_the_app_unconfirmed(self):
        page = sign_in(self.client, "paul", follow=True)
        form = read_form(page, "#two-factor-add-app").set("otp_token", "12345")
        response = form.submit(self.client)
        self.assertContains(response, "Enter the six-digit code your app shows.")
        response = form.set("otp_token", "999999x").submit(self.client)
        self.assertContains(response, "Enter the six-digit code your app shows.")
        self.assertFalse(TOTPDevice.objects.filter(confirmed=True).exists())
        self.assertRedirects(
            self.client.get(reverse("admin:index")), reverse("admin:two_factor_add_app")
        )

    def test_the_key_stays_the_same_until_it_is_confirmed(self):
        page = sign_in(self.client, "paul", follow=True)
        again = self.client.get(reverse("admin:two_factor_add_app"))
        self.assertEqual(
            read_text(page, "#two-factor-secret"), read_text(again, "#two-factor-secret")
        )
        self.assertEqual(TOTPDevice.objects.count(), 1)


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class OwnAppsTests(TestCase):
    """An editor who set up an app voluntarily manages it from the user tools' link."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "erin")
        cls.editor.set_password(PASSWORD)
        cls.editor.save()
        cls.device, cls.codes = with_app(cls.editor)

    def setUp(self):
        sign_in(self.client, "erin", code=self.codes[-1])

    def test_the_user_tools_link_to_the_page_which_lists_the_apps(self):
        index = self.client.get(reverse("admin:index"))
        self.assertContains(index, f'href="{reverse("admin:two_factor")}"')
        page = self.client.get(reverse("admin:two_factor"))
        self.assertContains(page, "Phone")
        self.assertContains(page, "9 unused recovery codes left")

    def test_new_recovery_codes_replace_the_old_ones(self):
        page = self.client.get(reverse("admin:two_factor_recovery_codes"))
        response = read_form(page, "#content-main form").set("password_or_code", PASSWORD)
        response = response.submit(self.client)
        new_codes = recovery_codes_on(response)
        self.assertEqual(len(new_codes), 10)
        self.assertFalse(StaticToken.objects.filter(token__in=self.codes).exists())

    def test_removing_an_app_needs_the_password_or_a_code(self):
        url = reverse("admin:two_factor_remove_app", args=[self.device.pk])
        form = read_form(self.client.get(url), "#content-main form")
        response = form.set("password_or_code", "not it").submit(self.client)
        self.assertContains(response, "That is neither your password nor a valid code.")
        self.assertTrue(TOTPDevice.objects.filter(pk=self.device.pk).exists())

        response = form.set("password_or_code", code_of(self.device)).submit(self.client)
        self.assertRedirects(response, reverse("admin:two_factor"), fetch_redirect_response=False)
        self.assertFalse(TOTPDevice.objects.exists())
        self.assertFalse(StaticToken.objects.exists(), "the recovery codes went with the app")

    def test_nobody_removes_another_persons_app(self):
        other, _ = with_app(factories.member_of("Editors", "ed"))
        url = reverse("admin:two_factor_remove_app", args=[other.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class ResetTests(TestCase):
    """A lost phone: a publisher resets a colleague's two-factor sign-in."""

    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.editor = factories.member_of("Editors", "erin")
        cls.superuser = get_user_model().objects.create_superuser("root", "", None)
        for person in (cls.publisher, cls.editor, cls.superuser):
            with_app(person)

    def sign_in_verified(self, user):
        self.client.force_login(user)
        session = self.client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()

    def test_a_publisher_resets_an_editors_apps_and_the_log_records_it(self):
        self.sign_in_verified(self.publisher)
        page = self.client.get(reverse("admin:two_factor_staff"))
        form = read_form(page, f"button[name=reset][value='{self.editor.pk}']")
        response = form.submit(self.client, button="reset")
        self.assertRedirects(response, reverse("admin:two_factor_staff"))
        self.assertFalse(TOTPDevice.objects.filter(user=self.editor).exists())
        self.assertFalse(StaticToken.objects.filter(device__user=self.editor).exists())
        entry = LogEntry.objects.get(object_id=str(self.editor.pk))
        self.assertEqual(entry.user, self.publisher)
        self.assertIn("Reset two-factor sign-in", entry.get_change_message())

    def test_a_publisher_cannot_reset_a_superuser_nor_themselves(self):
        self.sign_in_verified(self.publisher)
        page = self.client.get(reverse("admin:two_factor_staff"))
        self.assertNotContains(page, f'value="{self.superuser.pk}"')
        self.assertNotContains(page, f'value="{self.publisher.pk}"')
        form = read_form(page, f"button[name=reset][value='{self.editor.pk}']")
        forged = form.forge("reset", self.superuser.pk).data()
        forged["reset"] = [str(self.superuser.pk)]
        response = self.client.post(reverse("admin:two_factor_staff"), forged)
        self.assertEqual(response.status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.superuser).exists())

    def test_a_superuser_may_reset_a_superuser(self):
        other = get_user_model().objects.create_superuser("root2", "", None)
        with_app(other)
        self.sign_in_verified(self.superuser)
        page = self.client.get(reverse("admin:two_factor_staff"))
        read_form(page, f"button[name=reset][value='{other.pk}']").submit(
            self.client, button="reset"
        )
        self.assertFalse(TOTPDevice.objects.filter(user=other).exists())

    def test_editors_have_no_such_page(self):
        self.sign_in_verified(self.editor)
        self.assertEqual(self.client.get(reverse("admin:two_factor_staff")).status_code, 403)
        self.assertNotContains(
            self.client.get(reverse("admin:two_factor")), reverse("admin:two_factor_staff")
        )

    def test_a_bad_reset_value_is_a_404_not_an_error(self):
        self.sign_in_verified(self.publisher)
        for value in ("", "x", "999999", str(self.publisher.pk)):
            response = self.client.post(reverse("admin:two_factor_staff"), {"reset": value})
            self.assertEqual(response.status_code, 404, value)
