"""Staff passwords are 12 characters at least, as the admin's own change form says."""

from django.test import TestCase, override_settings
from django.urls import reverse

from tests import factories
from tests.browser_forms import read_form

from .signing_in import FAST_HASHER, PASSWORD, with_password


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class PasswordLengthTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = with_password(factories.member_of("Editors", "alice"))

    def change_password_to(self, new):
        self.client.force_login(self.editor)
        page = self.client.get(reverse("admin:password_change"))
        form = read_form(page, "#content-main form")
        form.set("old_password", PASSWORD)
        form.set("new_password1", new).set("new_password2", new)
        return form.submit(self.client)

    def test_eleven_characters_are_refused_with_the_reason(self):
        response = self.change_password_to("qz7-Kv9_Lm2")
        self.assertContains(response, "This password is too short. It must contain at least 12")
        self.editor.refresh_from_db()
        self.assertTrue(self.editor.check_password(PASSWORD))

    def test_twelve_characters_are_taken(self):
        response = self.change_password_to("qz7-Kv9_Lm2x")
        self.assertRedirects(response, reverse("admin:password_change_done"))
        self.editor.refresh_from_db()
        self.assertTrue(self.editor.check_password("qz7-Kv9_Lm2x"))
