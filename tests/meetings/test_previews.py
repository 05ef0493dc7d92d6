from datetime import timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import PreviewLink
from tests import factories
from tests.browser_forms import read_form


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.draft = factories.full_meeting(published=False, title="A draft readout")
        cls.staff_url = reverse("admin:meetings_meeting_preview", args=[cls.draft.pk])

    def test_staff_see_a_draft_as_its_public_page_marked_as_a_preview(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.staff_url)
        self.assertContains(response, "<h1>A draft readout</h1>", html=True)
        self.assertContains(response, "<strong>Preview.</strong>", html=True)
        self.assertContains(response, '<meta name="robots" content="noindex, nofollow">')
        self.assertEqual(response.headers["X-Robots-Tag"], "noindex, nofollow")

    def test_the_public_cannot_open_the_staff_preview(self):
        response = self.client.get(self.staff_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response.url)
        self.assertEqual(self.client.get(self.draft.get_absolute_url()).status_code, 404)

    def test_a_shared_link_works_until_it_expires(self):
        link = workflow.share_preview(self.draft, by=self.publisher, days=3)
        self.assertContains(self.client.get(link.get_absolute_url()), "A draft readout")
        later = timezone.now() + timedelta(days=3, seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            response = self.client.get(link.get_absolute_url())
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "This preview link has expired", status_code=410)

    def test_a_revoked_link_stops_working(self):
        link = workflow.share_preview(self.draft, by=self.publisher, days=3)
        workflow.revoke_preview(link, by=self.publisher)
        self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 404)

    def test_only_publishers_share_previews(self):
        with self.assertRaises(PermissionDenied):
            workflow.share_preview(self.draft, by=self.editor, days=3)
        self.client.force_login(self.editor)
        change = reverse("admin:meetings_meeting_change", args=[self.draft.pk])
        with self.assertRaises(LookupError):
            read_form(self.client.get(change), "form[action$='share-preview/']")
        # A forged request: the editor's page renders no share form.
        share = reverse("admin:meetings_meeting_share_preview", args=[self.draft.pk])
        self.client.post(share, {"days": "3"})
        self.assertFalse(PreviewLink.objects.exists())

    def test_a_publisher_shares_and_revokes_from_the_meeting_page(self):
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[self.draft.pk])
        share = read_form(self.client.get(change), "form[action$='share-preview/']")
        response = share.set("days", "7").submit(self.client, follow=True)
        link = PreviewLink.objects.get()
        # The address the publisher's own request came to, not a configured one.
        self.assertContains(response, f"http://testserver{link.get_absolute_url()}")
        revoke = read_form(response, f"form[action$='/preview-links/{link.pk}/revoke/']")
        revoke.submit(self.client)
        link.refresh_from_db()
        self.assertFalse(link.is_valid)

    def test_an_unknown_token_is_not_found(self):
        url = reverse("meetings:preview", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)
