"""A meeting the public has seen is never deleted: it is taken down, which keeps its
revisions and its address's answer (withdrawal notice, 410, redirect). Only a meeting that
was never published can be deleted, one at a time."""

from django.test import TestCase
from django.urls import reverse

from meetings import workflow
from meetings.models import Meeting
from tests import factories


class DeletingTests(TestCase):
    def setUp(self):
        self.publisher = factories.member_of("Publishers", "deleting-publisher")
        self.client.force_login(self.publisher)

    def delete_page(self, meeting):
        return self.client.get(reverse("admin:meetings_meeting_delete", args=[meeting.pk]))

    def test_a_draft_never_published_can_be_deleted(self):
        draft = factories.meeting(published=False)
        change = self.client.get(reverse("admin:meetings_meeting_change", args=[draft.pk]))
        self.assertContains(change, reverse("admin:meetings_meeting_delete", args=[draft.pk]))
        response = self.client.post(
            reverse("admin:meetings_meeting_delete", args=[draft.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Meeting.objects.filter(pk=draft.pk).exists())

    def test_a_published_meeting_offers_no_delete_and_refuses_a_forged_one(self):
        live = factories.meeting()
        change = self.client.get(reverse("admin:meetings_meeting_change", args=[live.pk]))
        self.assertNotContains(change, reverse("admin:meetings_meeting_delete", args=[live.pk]))
        self.assertEqual(self.delete_page(live).status_code, 403)
        self.client.post(reverse("admin:meetings_meeting_delete", args=[live.pk]), {"post": "yes"})
        self.assertTrue(Meeting.objects.filter(pk=live.pk).exists())

    def test_a_meeting_once_public_stays_undeletable_after_it_is_taken_down_and_restored(self):
        live = factories.meeting()
        workflow.take_down(live, by=self.publisher, kind="withdrawn", note="Superseded.")
        self.assertEqual(self.delete_page(live).status_code, 403)
        draft = workflow.restore_as_draft(live, by=self.publisher, comment="Back to work.")
        self.assertEqual(self.delete_page(draft).status_code, 403)

    def test_the_list_has_no_bulk_delete(self):
        factories.meeting(published=False)
        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        self.assertNotContains(response, 'value="delete_selected"')


class PhotosOfAPublishedMeetingTests(TestCase):
    def test_the_warning_says_how_to_add_the_images_when_the_page_is_read_only(self):
        from meetings.models import PhotoSession

        self.client.force_login(factories.member_of("Editors", "photo-editor"))
        live = factories.meeting()
        PhotoSession.objects.create(meeting=live, caption="Waiting", position=1)
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[live.pk]))
        self.assertContains(response, "To upload images, start a correction")
        draft = factories.meeting(published=False)
        PhotoSession.objects.create(meeting=draft, caption="Waiting", position=1)
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[draft.pk]))
        self.assertContains(response, "1 photo caption has no image yet")
        self.assertNotContains(response, "start a correction")
