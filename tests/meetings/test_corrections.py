"""Editing a published meeting never changes what the public sees until it is approved."""

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from meetings import workflow
from meetings.models import ChangeNote, Meeting
from tests import factories
from tests.browser_forms import read_forms_by_button
from tests.meetings.test_admin import meeting_form


class CorrectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page("Canada", slug="canada")

    def setUp(self):
        self.live = factories.full_meeting(self.page, title="The published readout", items=2)
        self.url = self.live.get_absolute_url()

    def corrected(self, **changes):
        draft = workflow.start_correction(self.live, by=self.editor)
        for name, value in changes.items():
            setattr(draft, name, value)
        draft.save()
        draft.agenda_items.filter(position=1).update(text="A corrected first item.")
        return draft

    def public_views(self):
        return [
            self.url,
            reverse("meetings:home"),
            self.page.get_absolute_url(),
            reverse("meetings:feed-atom"),
        ]

    def test_the_published_meeting_cannot_be_edited_directly(self):
        self.client.force_login(factories.staff_user("superuser"))
        change = reverse("admin:meetings_meeting_change", args=[self.live.pk])
        response = self.client.get(change)
        self.assertNotContains(response, 'name="title"')
        self.assertContains(response, 'value="correct"')
        # A forged post: the add page's form, sent to the published meeting's address.
        form = meeting_form(self.client, self.page, title="Changed in place")
        self.assertEqual(self.client.post(change, form.data()).status_code, 403)

    def test_the_public_sees_the_published_version_while_a_correction_is_drafted(self):
        self.corrected(title="A corrected title", lead="On Monday, corrected.")
        workflow.submit_for_review(self.live.corrections.get(), by=self.editor)
        for url in self.public_views():
            with self.subTest(url=url):
                content = self.client.get(url).content.decode()
                self.assertIn("The published readout", content)
                self.assertNotIn("A corrected title", content)
        self.assertNotContains(self.client.get(self.url), "A corrected first item.")

    def test_an_approved_minor_correction_updates_the_page_in_place(self):
        draft = self.corrected(title="A corrected title")
        workflow.submit_for_review(draft, by=self.editor)
        live = workflow.approve(draft, by=self.publisher)
        self.assertEqual(live.pk, self.live.pk)
        self.assertFalse(Meeting.objects.filter(pk=draft.pk).exists())
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>A corrected title</h1>", html=True)
        self.assertContains(response, "A corrected first item.")
        self.assertNotContains(response, "Updated on")
        self.assertEqual(self.live.photo_sessions.count(), 2)
        self.assertEqual(
            sorted(t.name for t in Meeting.objects.get(pk=self.live.pk).tags.all()),
            ["G7", "North Korea"],
        )

    def test_a_major_correction_carries_a_public_change_note_into_page_and_feed(self):
        draft = self.corrected()
        workflow.submit_for_review(draft, by=self.editor)
        with self.assertRaises(ValidationError):
            workflow.approve(draft, by=self.publisher, major=True, change_note="")
        workflow.approve(
            draft, by=self.publisher, major=True, change_note="The first item was corrected."
        )
        note = ChangeNote.objects.get()
        self.assertContains(self.client.get(self.url), "The first item was corrected.")
        self.assertContains(self.client.get(self.url), "Updated on")
        feed = self.client.get(reverse("meetings:feed-rss")).content.decode()
        self.assertIn("The first item was corrected.", feed)
        self.assertEqual(note.meeting_id, self.live.pk)

    def test_one_correction_at_a_time_and_the_second_request_opens_the_first(self):
        first = workflow.start_correction(self.live, by=self.editor)
        self.assertEqual(workflow.start_correction(self.live, by=self.publisher), first)

    def test_the_correct_button_opens_the_draft(self):
        self.client.force_login(self.editor)
        change = reverse("admin:meetings_meeting_change", args=[self.live.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        response = panel.submit(self.client, "transition", "correct")
        draft = self.live.corrections.get()
        self.assertRedirects(
            response, reverse("admin:meetings_meeting_change", args=[draft.pk]), 302, 200
        )
        self.assertContains(self.client.get(response.url), "This draft corrects")


class ReimportTests(TestCase):
    def test_reimporting_a_published_meeting_drafts_a_correction(self):
        from meetings.importing import parse_readout, save_readout
        from tests.meetings.test_importing import fixture_text

        text = fixture_text("telephone-talk.txt")
        live = save_readout(parse_readout(text), publish=True).meeting
        changed = text.replace("welcomed the progress", "praised the progress")
        draft = save_readout(parse_readout(changed)).meeting
        self.assertEqual(draft.draft_of, live)
        self.assertIn("praised", draft.agenda_items.first().text)
        self.assertIn("welcomed", live.agenda_items.first().text)
        self.assertNotContains(self.client.get(live.get_absolute_url()), "praised")
        again = save_readout(parse_readout(changed)).meeting
        self.assertEqual(again.pk, draft.pk)
