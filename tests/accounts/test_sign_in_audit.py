"""Failed and successful sign-ins, and sign-outs, are kept and shown read-only to
publishers and superusers in the admin; editors do not see anyone's history."""

from axes.models import AccessFailureLog, AccessLog
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from tests import factories
from tests.browser_forms import read_form

from .signing_in import FAST_HASHER, PASSWORD, sign_in, with_password

AUDIT_PAGES = ["admin:axes_accesslog_changelist", "admin:axes_accessfailurelog_changelist"]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class SignInAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = with_password(factories.member_of("Editors", "alice"))
        cls.publisher = factories.member_of("Publishers", "pat")
        cls.superuser = factories.staff_user("root", superuser=True)

    def setUp(self):
        sign_in(self.client, "alice", "not it", address="198.51.100.7")
        sign_in(self.client, "alice", PASSWORD, address="198.51.100.8")

    def as_user(self, user):
        client = Client()
        client.force_login(user)
        return client

    def test_a_publisher_sees_the_failure_and_the_success_with_their_addresses(self):
        publisher = self.as_user(self.publisher)
        failures = publisher.get(reverse("admin:axes_accessfailurelog_changelist"))
        self.assertContains(failures, "alice")
        self.assertContains(failures, "198.51.100.7")
        successes = publisher.get(reverse("admin:axes_accesslog_changelist"))
        self.assertContains(successes, "198.51.100.8")

    def test_an_editor_sees_no_one_s_sign_ins(self):
        editor = self.as_user(self.editor)
        for page in AUDIT_PAGES:
            self.assertEqual(editor.get(reverse(page)).status_code, 403)
        self.assertNotContains(editor.get(reverse("admin:index")), "Access log")

    def test_the_audit_cannot_be_changed_or_deleted_even_by_a_superuser(self):
        superuser = self.as_user(self.superuser)
        entry = AccessLog.objects.get(username="alice")
        change = reverse("admin:axes_accesslog_change", args=[entry.pk])
        self.assertNotContains(superuser.get(change), 'name="_save"')
        delete = reverse("admin:axes_accesslog_delete", args=[entry.pk])
        self.assertEqual(superuser.post(delete, {"post": "yes"}).status_code, 403)
        failure = AccessFailureLog.objects.get()
        delete = reverse("admin:axes_accessfailurelog_delete", args=[failure.pk])
        self.assertEqual(superuser.post(delete, {"post": "yes"}).status_code, 403)
        self.assertEqual(AccessLog.objects.filter(username="alice").count(), 1)

    def test_signing_out_is_recorded_against_the_sign_in(self):
        form = read_form(self.client.get(reverse("admin:index")), "#logout-form")
        form.submit(self.client)
        self.assertIsNotNone(AccessLog.objects.get(username="alice").logout_time)
