from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from meetings import workflow
from meetings.models import Meeting, PublicationLogEntry
from tests import factories
from tests.browser_forms import read_form, read_forms_by_button
from tests.meetings.test_admin import meeting_form
from tests.meetings.test_importing import FIXTURES


class RolesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page()
        cls.draft = factories.meeting(cls.page, published=False)

    def test_the_groups_exist_with_their_permissions(self):
        self.assertTrue(self.editor.has_perm("meetings.change_meeting"))
        self.assertFalse(self.editor.has_perm("meetings.publish_meeting"))
        self.assertFalse(self.editor.has_perm("meetings.delete_meeting"))
        self.assertTrue(self.publisher.has_perm("meetings.publish_meeting"))

    def test_editors_cannot_publish_through_the_form(self):
        self.client.force_login(self.editor)
        form = meeting_form(self.client, meeting=self.draft)
        self.assertNotIn("state", form.names)
        response = form.forge("state", "published").submit(self.client)
        self.assertEqual(response.status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.state, Meeting.State.DRAFT)

    def test_editors_are_offered_no_approval_and_a_forged_one_is_refused(self):
        workflow.submit_for_review(self.draft, by=self.editor)
        self.client.force_login(self.editor)
        change = reverse("admin:meetings_meeting_change", args=[self.draft.pk])
        self.assertNotContains(self.client.get(change), 'value="approve"')
        # A forged request: the editor's panel renders no approve button.
        forged = {"transition": "approve", "opened_version": self.draft.edit_version}
        transition = reverse("admin:meetings_meeting_transition", args=[self.draft.pk])
        response = self.client.post(transition, forged, follow=True)
        self.assertContains(response, "That step is not open to you")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.state, Meeting.State.IN_REVIEW)
        with self.assertRaises(PermissionDenied):
            workflow.approve(self.draft, by=self.editor)

    def test_the_meeting_list_offers_no_approval_of_unseen_meetings(self):
        self.client.force_login(self.publisher)
        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        actions = read_form(response, "#changelist-form").element.cssselect(
            "select[name=action] option"
        )
        self.assertNotIn("approve", [option.get("value") for option in actions])

    def test_a_publisher_approves_and_the_log_says_who_and_which_version(self):
        workflow.submit_for_review(self.draft, by=self.editor)
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[self.draft.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        seen = int(panel.get("opened_version"))
        panel.submit(self.client, "transition", "approve")
        self.draft.refresh_from_db()
        self.assertTrue(self.draft.is_public)
        self.assertEqual(
            [
                (e.actor, e.from_state, e.to_state)
                for e in PublicationLogEntry.objects.order_by("pk")
            ],
            [(self.editor, "draft", "in_review"), (self.publisher, "in_review", "published")],
        )
        self.assertEqual(PublicationLogEntry.objects.order_by("pk").last().version, seen)


class PublicationLogTests(TestCase):
    def test_the_importer_publishing_is_logged_as_the_site(self):
        call_command(
            "import_readout", "--publish", str(FIXTURES / "telephone-talk.txt"), stdout=None
        )
        entry = PublicationLogEntry.objects.get()
        self.assertEqual((entry.actor, entry.to_state), (None, "published"))

    def test_nobody_can_change_or_delete_the_log_in_the_admin(self):
        superuser = factories.staff_user()
        self.client.force_login(superuser)
        meeting = factories.meeting(published=False)
        workflow.publish(meeting, by=superuser)
        entry = PublicationLogEntry.objects.get()
        self.assertEqual(
            self.client.get(reverse("admin:meetings_publicationlogentry_changelist")).status_code,
            200,
        )
        # Forged requests: the log's admin pages offer no save or delete button.
        response = self.client.post(
            reverse("admin:meetings_publicationlogentry_change", args=[entry.pk]), {"comment": "x"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.post(
                reverse("admin:meetings_publicationlogentry_delete", args=[entry.pk])
            ).status_code,
            403,
        )
        self.assertEqual(
            self.client.get(reverse("admin:meetings_publicationlogentry_add")).status_code, 403
        )


class NoLostEditsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.meeting = factories.meeting(lead="On Monday, they met.", published=False)

    def setUp(self):
        self.client.force_login(self.user)
        self.url = reverse("admin:meetings_meeting_change", args=[self.meeting.pk])

    def opened_form(self):
        return meeting_form(self.client, meeting=self.meeting)

    def test_the_second_of_two_saves_is_refused_with_what_changed_and_keeps_the_input(self):
        first, second = self.opened_form(), self.opened_form()
        first.set("lead", "On Monday, the ministers met in Tokyo.")
        self.assertEqual(first.submit(self.client).status_code, 302)

        second.set("title", "A title of my own")
        response = second.submit(self.client)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone else saved this meeting after you opened it")
        [error] = response.context["adminform"].form.non_field_errors()
        changed = error.split("Changed meanwhile: ")[1].split(".")[0].split(", ")
        self.assertIn("Lead", changed)
        self.assertNotIn("Title", changed)
        self.assertContains(response, 'value="A title of my own"')
        self.meeting.refresh_from_db()
        self.assertNotEqual(self.meeting.title, "A title of my own")
        self.assertEqual(self.meeting.lead, "On Monday, the ministers met in Tokyo.")

        # Having merged, the second editor saves again from the form shown: it goes through.
        shown = read_form(response, "form#meeting_form", url=self.url)
        self.assertEqual(shown.get("title"), "A title of my own")
        shown.set("lead", "On Monday, the ministers met in Tokyo.")
        self.assertEqual(shown.submit(self.client).status_code, 302)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.title, "A title of my own")
