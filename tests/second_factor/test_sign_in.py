"""Signing in to the admin with a password and a code from an authenticator app."""

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from tests import factories
from tests.second_factor.helpers import (
    FAST_HASHING,
    PASSWORD,
    code_of,
    sign_in,
    signed_in,
    with_app,
)


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class SignInWithAnAppTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.publisher.set_password(PASSWORD)
        cls.publisher.save()
        cls.device, cls.recovery_codes = with_app(cls.publisher)

    @pytest.fixture(autouse=True)
    def _publishers_must(self, _two_factor_not_required, settings):
        settings.PORTAL_TWO_FACTOR_REQUIRED = "publishers"

    def test_the_login_page_asks_for_the_code(self):
        response = self.client.get(reverse("admin:login"))
        self.assertContains(response, 'name="otp_token"')
        self.assertContains(response, 'autocomplete="one-time-code"')

    def test_the_password_alone_is_refused_and_the_code_asked_for(self):
        response = sign_in(self.client, "paul")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enter the six-digit code your authenticator app shows")
        self.assertFalse(signed_in(self.client))

    def test_a_wrong_code_is_refused(self):
        response = sign_in(self.client, "paul", code=code_of(self.device, steps_ago=10))
        self.assertContains(response, "That code is not right")
        self.assertFalse(signed_in(self.client))

    def test_a_wrong_password_with_the_right_code_is_refused_as_a_wrong_password(self):
        response = sign_in(self.client, "paul", "wrong password", code=code_of(self.device))
        self.assertContains(response, "Please enter the correct username and password")
        self.assertNotContains(response, "That code")
        self.assertFalse(signed_in(self.client))

    def test_the_right_code_signs_in_and_the_same_code_is_refused_afterwards(self):
        code = code_of(self.device)
        response = sign_in(self.client, "paul", code=code)
        self.assertRedirects(response, reverse("admin:index"))
        self.assertEqual(
            self.client.get(reverse("admin:meetings_meeting_changelist")).status_code, 200
        )

        self.client.post(reverse("admin:logout"))
        response = sign_in(self.client, "paul", code=code)
        self.assertContains(response, "That code has already been used")
        self.assertFalse(signed_in(self.client))

    def test_a_code_with_spaces_as_apps_show_it_is_accepted(self):
        code = code_of(self.device)
        response = sign_in(self.client, "paul", code=f"{code[:3]} {code[3:]}")
        self.assertRedirects(response, reverse("admin:index"))

    def test_a_recovery_code_signs_in_once(self):
        code = self.recovery_codes[0]
        self.assertRedirects(sign_in(self.client, "paul", code=code), reverse("admin:index"))

        self.client.post(reverse("admin:logout"))
        response = sign_in(self.client, "paul", code=code)
        self.assertContains(response, "That code is not right")
        self.assertFalse(signed_in(self.client))

    def test_after_a_wrong_code_the_next_try_waits_its_turn(self):
        sign_in(self.client, "paul", code=code_of(self.device, steps_ago=10))
        response = sign_in(self.client, "paul", code=code_of(self.device))
        self.assertContains(response, "Too many wrong codes: wait 1 second,")
        self.assertFalse(signed_in(self.client))

    def test_a_session_signed_in_without_the_code_reaches_nothing(self):
        # As a session from before the app was set up: the password alone, no code.
        self.client.force_login(self.publisher)
        changelist = reverse("admin:meetings_meeting_changelist")
        response = self.client.get(changelist)
        self.assertRedirects(response, f"{reverse('admin:login')}?next={changelist}")
        response = self.client.get(response.url)
        self.assertContains(response, "but without your second factor")

    def test_an_editor_who_set_up_an_app_is_asked_for_its_code_too(self):
        editor = factories.member_of("Editors", "erin")
        editor.set_password(PASSWORD)
        editor.save()
        device, _ = with_app(editor)
        response = sign_in(self.client, "erin")
        self.assertContains(response, "Enter the six-digit code")
        self.assertRedirects(
            sign_in(self.client, "erin", code=code_of(device)), reverse("admin:index")
        )

    def test_with_the_setting_off_those_with_an_app_are_still_asked(self):
        with self.settings(PORTAL_TWO_FACTOR_REQUIRED="off"):
            self.assertContains(sign_in(self.client, "paul"), "Enter the six-digit code")


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class WhoMustTests(TestCase):
    """Who is sent to set up an app after signing in with a password alone."""

    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.editor = factories.member_of("Editors", "erin")
        cls.superuser = get_user_model().objects.create_superuser("root", "", PASSWORD)
        for person in (cls.publisher, cls.editor):
            person.set_password(PASSWORD)
            person.save()

    @pytest.fixture(autouse=True)
    def _setting(self, _two_factor_not_required, settings):
        self.settings_fixture = settings
        settings.PORTAL_TWO_FACTOR_REQUIRED = "publishers"

    def assert_sent_to_set_up_an_app(self, username):
        response = sign_in(self.client, username, follow=True)
        add_app = reverse("admin:two_factor_add_app")
        self.assertEqual(response.redirect_chain[-1][0], add_app)
        self.assertContains(response, "Your account must use two-factor sign-in")
        for url in (
            reverse("admin:index"),
            reverse("admin:meetings_meeting_changelist"),
            reverse("admin:meetings_meeting_add"),
            reverse("admin:password_change"),
            reverse("admin:two_factor_recovery_codes"),
        ):
            self.assertRedirects(self.client.get(url), add_app, msg_prefix=url)

    def assert_signs_in_with_the_password_alone(self, username):
        response = sign_in(self.client, username)
        self.assertRedirects(response, reverse("admin:index"))
        self.assertEqual(
            self.client.get(reverse("admin:meetings_meeting_changelist")).status_code, 200
        )

    def test_a_publisher_without_an_app_is_sent_to_set_one_up_and_reaches_nothing_else(self):
        self.assert_sent_to_set_up_an_app("paul")

    def test_a_superuser_counts_as_a_publisher(self):
        self.assert_sent_to_set_up_an_app("root")

    def test_one_sent_to_set_up_an_app_may_sign_out(self):
        sign_in(self.client, "paul")
        self.client.post(reverse("admin:logout"))
        self.assertFalse(signed_in(self.client))

    def test_an_editor_is_not_made_to(self):
        self.assert_signs_in_with_the_password_alone("erin")

    def test_with_staff_everyone_is(self):
        self.settings_fixture.PORTAL_TWO_FACTOR_REQUIRED = "staff"
        self.assert_sent_to_set_up_an_app("erin")

    def test_with_off_nobody_is_and_login_is_as_before(self):
        self.settings_fixture.PORTAL_TWO_FACTOR_REQUIRED = "off"
        self.assert_signs_in_with_the_password_alone("paul")
        self.client.post(reverse("admin:logout"))
        self.assert_signs_in_with_the_password_alone("erin")
