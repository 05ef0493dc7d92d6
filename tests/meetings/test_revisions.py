from django.test import TestCase
from django.urls import reverse

from meetings import revisions, workflow
from meetings.models import Meeting, MeetingRevision
from tests import factories
from tests.browser_forms import read_form
from tests.meetings.test_admin import meeting_form


class RevisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user("chief")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page()

    def setUp(self):
        self.client.force_login(self.user)

    def save_in_admin(self, **fields):
        meeting = Meeting.objects.first()
        form = meeting_form(self.client, self.page, meeting=meeting, **fields)
        self.assertEqual(form.submit(self.client).status_code, 302)
        return Meeting.objects.get()

    def test_every_save_and_step_keeps_a_revision_with_who_and_what(self):
        meeting = self.save_in_admin(lead="On Monday, first words.")
        self.save_in_admin(lead="On Monday, second words.")
        workflow.submit_for_review(meeting, by=self.user)
        history = list(meeting.revisions.order_by("number"))
        self.assertEqual([r.number for r in history], [1, 2, 3])
        self.assertEqual([r.created_by for r in history], [self.user] * 3)
        self.assertEqual(history[0].data["lead"], "On Monday, first words.")
        self.assertEqual(history[2].state, "in_review")
        self.assertIn("Draft → In review", history[2].event)

    def test_two_revisions_compare_as_a_readable_diff(self):
        meeting = self.save_in_admin(lead="On Monday, first words.")
        self.save_in_admin(lead="On Monday, second words.")
        older, newer = meeting.revisions.order_by("number")
        lines = revisions.diff(older, newer)
        self.assertIn(("-", "-On Monday, first words."), lines)
        self.assertIn(("+", "+On Monday, second words."), lines)
        url = reverse("admin:meetings_meeting_revisions", args=[meeting.pk])
        response = self.client.get(url, {"a": "1", "b": "2"})
        self.assertContains(
            response, '<div class="added">+On Monday, second words.</div>', html=True
        )

    def test_restoring_a_revision_makes_it_the_draft_again(self):
        meeting = self.save_in_admin(lead="On Monday, first words.")
        self.save_in_admin(lead="On Monday, second words.")
        url = reverse("admin:meetings_meeting_revisions", args=[meeting.pk])
        # The restore buttons sit in the history table, tied to the POST form by form="…".
        restore = read_form(self.client.get(url), "button[name=restore][value='1']")
        restore.submit(self.client, "restore", "1")
        meeting.refresh_from_db()
        self.assertEqual(meeting.lead, "On Monday, first words.")
        self.assertEqual(meeting.state, Meeting.State.DRAFT)
        self.assertIn("Revision 1 restored", meeting.revisions.first().event)

    def test_restoring_on_a_published_meeting_drafts_a_correction(self):
        meeting = self.save_in_admin(lead="On Monday, first words.")
        self.save_in_admin(lead="On Monday, second words.")
        meeting.refresh_from_db()
        workflow.publish_without_review(meeting, by=self.publisher, reason="Urgent.")
        first = MeetingRevision.objects.get(meeting=meeting, number=1)
        draft = workflow.restore_revision(first, by=self.user)
        self.assertEqual(draft.draft_of, meeting)
        self.assertEqual(draft.lead, "On Monday, first words.")
        meeting.refresh_from_db()
        self.assertEqual(meeting.lead, "On Monday, second words.")
        self.assertContains(self.client.get(meeting.get_absolute_url()), "second words")

    def test_the_history_page_loads_for_a_meeting_and_its_correction(self):
        meeting = factories.full_meeting(self.page)
        draft = workflow.start_correction(meeting, by=self.user)
        for pk in (meeting.pk, draft.pk):
            response = self.client.get(reverse("admin:meetings_meeting_revisions", args=[pk]))
            self.assertContains(response, "Correction started")


class RevisionPreviewTests(TestCase):
    def test_staff_see_any_revision_as_its_public_page(self):
        user = factories.staff_user("previewer")
        meeting = factories.full_meeting(published=False, title="The first title", items=2)
        revisions.record(meeting, by=user, event="Saved")
        meeting.title = "The second title"
        meeting.save()
        meeting.agenda_items.filter(position=1).update(text="A changed first item.")
        revisions.record(meeting, by=user, event="Saved")
        self.client.force_login(user)
        url = reverse("admin:meetings_meeting_preview", args=[meeting.pk])
        response = self.client.get(url, {"revision": "1"})
        self.assertContains(response, "<h1>The first title</h1>", html=True)
        self.assertContains(response, "Preview of revision 1.")
        self.assertContains(response, "Item 1.")
        self.assertNotContains(response, "A changed first item.")
        self.assertContains(response, 'href="/topics/north-korea/"')
        self.assertEqual(self.client.get(url, {"revision": "9"}).status_code, 404)
        self.assertEqual(self.client.get(url, {"revision": "x"}).status_code, 404)
