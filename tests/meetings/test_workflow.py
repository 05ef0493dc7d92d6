from datetime import timedelta
from unittest import mock

import lxml.html
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting, PhotoSession
from tests import factories
from tests.browser_forms import read_forms_by_button

State = Meeting.State


class TransitionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.other_publisher = factories.member_of("Publishers", "other-publisher")
        cls.page = factories.relations_page()

    def setUp(self):
        self.meeting = factories.meeting(self.page, published=False, title="The readout")

    def submitted(self, by=None):
        return workflow.submit_for_review(self.meeting, by=by or self.editor)

    def test_an_editor_submits_and_a_publisher_approves(self):
        self.submitted()
        self.assertEqual(self.meeting.state, State.IN_REVIEW)
        workflow.approve(self.meeting, by=self.publisher)
        self.assertTrue(self.meeting.is_public)

    def test_editors_may_not_approve_reject_or_take_down(self):
        self.submitted()
        for step in (workflow.approve, workflow.unschedule):
            with self.subTest(step=step.__name__), self.assertRaises(PermissionDenied):
                step(self.meeting, by=self.editor)
        with self.assertRaises(PermissionDenied):
            workflow.reject(self.meeting, by=self.editor, comment="No.")
        with self.assertRaises(PermissionDenied):
            workflow.publish_without_review(self.meeting, by=self.editor, reason="Hurry.")

    def test_nobody_approves_what_they_submitted(self):
        self.submitted(by=self.publisher)
        with self.assertRaisesMessage(PermissionDenied, "second pair of eyes"):
            workflow.approve(self.meeting, by=self.publisher)
        workflow.approve(self.meeting, by=self.other_publisher)

    def test_rejecting_needs_a_comment_and_returns_a_draft_carrying_it(self):
        self.submitted()
        with self.assertRaises(ValidationError):
            workflow.reject(self.meeting, by=self.publisher, comment=" ")
        workflow.reject(self.meeting, by=self.publisher, comment="Check item 3.")
        self.assertEqual(
            (self.meeting.state, self.meeting.review_comment), (State.DRAFT, "Check item 3.")
        )
        self.submitted()
        workflow.approve(self.meeting, by=self.publisher)
        self.assertEqual(self.meeting.review_comment, "")

    def test_steps_out_of_order_are_refused(self):
        with self.assertRaises(ValidationError):
            workflow.approve(self.meeting, by=self.publisher)
        with self.assertRaises(ValidationError):
            workflow.take_down(self.meeting, by=self.publisher, kind="withdrawn", note="x")

    def test_a_scheduled_meeting_becomes_public_at_its_time_and_can_be_unscheduled_before(self):
        self.submitted()
        at = timezone.now() + timedelta(days=1)
        workflow.approve(self.meeting, by=self.publisher, at=at)
        self.assertFalse(self.meeting.is_public)
        with mock.patch("django.utils.timezone.now", return_value=at + timedelta(seconds=1)):
            self.assertTrue(Meeting.objects.published().filter(pk=self.meeting.pk).exists())
        workflow.unschedule(self.meeting, by=self.publisher)
        self.assertEqual(self.meeting.state, State.IN_REVIEW)

    def test_publishing_without_review_needs_a_reason_and_waits_for_another_publisher(self):
        with self.assertRaises(ValidationError):
            workflow.publish_without_review(self.meeting, by=self.publisher, reason="")
        workflow.publish_without_review(self.meeting, by=self.publisher, reason="Crisis.")
        self.assertTrue(self.meeting.is_public)
        self.assertTrue(self.meeting.unreviewed)
        self.assertEqual(
            list(Meeting.objects.filter(unreviewed=True)), [self.meeting], "the review queue"
        )
        with self.assertRaises(PermissionDenied):
            workflow.approve_retrospectively(self.meeting, by=self.publisher)
        workflow.approve_retrospectively(self.meeting, by=self.other_publisher)
        self.assertFalse(self.meeting.unreviewed)
        entry = self.meeting.publication_log.order_by("pk").first()
        self.assertEqual(entry.comment, "Published without review: Crisis.")

    def test_a_publisher_restores_a_taken_down_meeting_as_a_draft(self):
        workflow.publish_without_review(self.meeting, by=self.publisher, reason="Crisis.")
        workflow.take_down(self.meeting, by=self.publisher, kind="in_error")
        with self.assertRaises(PermissionDenied):
            workflow.restore_as_draft(self.meeting, by=self.editor)
        workflow.restore_as_draft(self.meeting, by=self.other_publisher)
        self.assertEqual((self.meeting.state, self.meeting.takedown), (State.DRAFT, ""))


class TakenDownPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.staff_user("publisher")
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.kept = factories.meeting(cls.page, title="The right readout")

    def setUp(self):
        self.meeting = factories.meeting(self.page, title="The readout taken down")
        self.url = self.meeting.get_absolute_url()

    def lists_and_feeds(self):
        return [
            reverse("meetings:home"),
            self.page.get_absolute_url(),
            reverse("meetings:feed-rss"),
            reverse("relations:feed-atom", args=["canada"]),
        ]

    def test_a_withdrawn_meeting_keeps_its_page_with_a_notice_and_leaves_lists_and_feeds(self):
        workflow.take_down(
            self.meeting, by=self.publisher, kind="withdrawn", note="It named the wrong minister."
        )
        response = self.client.get(self.url)
        self.assertContains(response, "This readout has been withdrawn")
        self.assertContains(response, "It named the wrong minister.")
        for url in self.lists_and_feeds():
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), "The readout taken down")

    def test_withdrawing_needs_the_explanation(self):
        with self.assertRaises(ValidationError):
            workflow.take_down(self.meeting, by=self.publisher, kind="withdrawn", note="")

    def test_a_meeting_published_in_error_is_gone(self):
        workflow.take_down(self.meeting, by=self.publisher, kind="in_error")
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "This page has been removed", status_code=410)

    def test_a_merged_meeting_redirects_to_the_one_it_was_merged_into(self):
        workflow.take_down(self.meeting, by=self.publisher, kind="merged", merged_into=self.kept)
        self.assertRedirects(
            self.client.get(self.url), self.kept.get_absolute_url(), status_code=301
        )

    def test_merging_needs_another_meeting(self):
        with self.assertRaises(ValidationError):
            workflow.take_down(self.meeting, by=self.publisher, kind="merged")


class WorkflowPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.meeting = factories.meeting(published=False)

    def test_the_panel_offers_each_person_what_they_may_do(self):
        url = reverse("admin:meetings_meeting_change", args=[self.meeting.pk])
        self.client.force_login(self.editor)
        response = self.client.get(url)
        self.assertContains(response, 'value="submit"')
        self.assertNotContains(response, 'value="publish_without_review"')
        self.client.force_login(self.publisher)
        self.assertContains(self.client.get(url), 'value="publish_without_review"')

    def test_a_step_not_offered_is_refused_on_the_server(self):
        self.client.force_login(self.editor)
        transition = reverse("admin:meetings_meeting_transition", args=[self.meeting.pk])
        # A forged request: the editor's panel renders no such button.
        response = self.client.post(
            transition, {"transition": "publish_without_review", "comment": "x"}, follow=True
        )
        self.assertContains(response, "That step is not open to you")
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.state, State.DRAFT)

    def test_a_refused_step_says_why(self):
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[self.meeting.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        response = panel.submit(self.client, "transition", "publish_without_review", follow=True)
        self.assertContains(response, "Write why this cannot wait for a review.")


class MergingThroughThePanelTests(TestCase):
    """A publisher merges a meeting into another by pasting the other's address (or typing
    its number) into “Merged into”: a field, not a list of every public meeting."""

    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.duplicate = factories.meeting(cls.page, title="The duplicate")
        cls.kept = factories.meeting(cls.page, title="The one kept")

    def merge(self, into):
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[self.duplicate.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        panel.set("takedown", "merged").set("merged_into", into)
        return panel.submit(self.client, "transition", "take_down", follow=True)

    def assertMergedIntoTheKeptOne(self):
        self.duplicate.refresh_from_db()
        self.assertEqual(self.duplicate.merged_into, self.kept)
        response = self.client.get(self.duplicate.get_absolute_url())
        self.assertRedirects(response, self.kept.get_absolute_url(), status_code=301)

    def test_by_the_address_of_its_page_as_copied_from_the_browser(self):
        self.merge(f"https://www.example.org{self.kept.get_absolute_url()}?utm_source=x")
        self.assertMergedIntoTheKeptOne()

    def test_by_its_japanese_address(self):
        self.merge(f"/ja{self.kept.get_absolute_url()}")
        self.assertMergedIntoTheKeptOne()

    def test_by_its_number(self):
        self.merge(str(self.kept.pk))
        self.assertMergedIntoTheKeptOne()

    def test_an_address_of_no_public_meeting_is_refused_with_a_message(self):
        draft = factories.meeting(self.page, title="A draft", published=False)
        for value in ["/relations/canada/1999/01/01/nothing/", draft.get_absolute_url(), "x"]:
            with self.subTest(value=value):
                response = self.merge(value)
                self.assertContains(response, "No public meeting has the address or number")
        response = self.merge(self.duplicate.get_absolute_url())
        self.assertContains(response, "A meeting cannot be merged into itself.")
        self.duplicate.refresh_from_db()
        self.assertTrue(self.duplicate.is_public)

    def test_the_panel_renders_no_list_of_meetings(self):
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[self.duplicate.pk])
        page = lxml.html.fromstring(self.client.get(change).content)
        self.assertEqual(page.cssselect("select[name=merged_into]"), [])
        self.assertEqual(len(page.cssselect("input[name=merged_into]")), 1)


class WorkflowPanelFieldsTests(TestCase):
    """Each step of the panel is a form of its own with the fields that step takes: a draft
    shows no “How” or “Merged into”, a published meeting no “Publish at”."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.other_publisher = factories.member_of("Publishers", "other-publisher")
        cls.page = factories.relations_page()

    def steps(self, meeting, user):
        """{step: [the names of the fields its form renders, in order]}, read from the page;
        every form carries the version the person opened, hidden."""
        self.client.force_login(user)
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        page = lxml.html.fromstring(response.content)
        steps = {}
        for form in page.cssselect(".workflow-panel form.workflow-step"):
            (button,) = form.cssselect("button[name=transition]")
            hidden = [i.get("name") for i in form.cssselect("input[type=hidden]")]
            self.assertIn("opened_version", hidden)
            steps[button.get("value")] = [
                control.get("name")
                for control in form.iter("input", "select", "textarea")
                if control.get("type") != "hidden"
            ]
        return steps

    def test_a_draft(self):
        draft = factories.meeting(self.page, published=False)
        self.assertEqual(self.steps(draft, self.editor), {"submit": ["comment"]})
        self.assertEqual(
            self.steps(draft, self.publisher),
            {"submit": ["comment"], "publish_without_review": ["comment", "publish_at"]},
        )

    def test_a_meeting_in_review(self):
        meeting = factories.meeting(self.page, published=False)
        workflow.submit_for_review(meeting, by=self.editor)
        self.assertEqual(
            self.steps(meeting, self.publisher),
            {
                "approve": ["publish_at", "comment"],
                "reject": ["comment"],
                "publish_without_review": ["comment", "publish_at"],
            },
        )

    def test_a_correction_in_review(self):
        live = factories.meeting(self.page)
        draft = workflow.start_correction(live, by=self.editor)
        workflow.submit_for_review(draft, by=self.editor)
        self.assertEqual(
            self.steps(draft, self.publisher),
            {
                "approve": ["major", "change_note", "comment"],
                "reject": ["comment"],
                "publish_without_review": ["comment"],
            },
        )

    def test_a_published_meeting(self):
        meeting = factories.meeting(self.page)
        self.assertEqual(self.steps(meeting, self.editor), {"correct": []})
        self.assertEqual(
            self.steps(meeting, self.publisher),
            {
                "correct": [],
                "set_expiry": ["expires_at", "comment"],
                "take_down": ["takedown", "merged_into", "comment"],
            },
        )

    def test_a_scheduled_meeting(self):
        meeting = factories.meeting(self.page, published_at=timezone.now() + timedelta(days=1))
        self.assertEqual(
            self.steps(meeting, self.publisher),
            {
                "correct": [],
                "unschedule": ["comment"],
                "set_expiry": ["expires_at", "comment"],
                "take_down": ["takedown", "merged_into", "comment"],
            },
        )

    def test_a_taken_down_meeting(self):
        meeting = factories.meeting(self.page)
        workflow.take_down(meeting, by=self.publisher, kind="withdrawn", note="Wrong minister.")
        self.assertEqual(self.steps(meeting, self.editor), {})
        self.assertEqual(self.steps(meeting, self.publisher), {"restore": ["comment"]})

    def test_a_field_forged_for_another_step_is_ignored(self):
        meeting = factories.meeting(self.page, published=False)
        workflow.submit_for_review(meeting, by=self.editor)
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        later = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        panel.forge("expires_at", later).forge("takedown", "published_in_error")
        panel.submit(self.client, "transition", "approve")
        meeting.refresh_from_db()
        self.assertTrue(meeting.is_public)
        self.assertEqual((meeting.expires_at, meeting.takedown), (None, ""))

    def test_a_field_of_another_step_cannot_be_typed_into_this_one(self):
        meeting = factories.meeting(self.page)
        self.client.force_login(self.publisher)
        change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        with self.assertRaises(KeyError):
            panel.set("takedown", "published_in_error").submit(
                self.client, "transition", "set_expiry"
            )


class NotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.editor.email = "editor@example.org"
        cls.editor.save()
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.publisher.email = "publisher@example.org"
        cls.publisher.save()
        cls.meeting = factories.meeting(published=False, title="The readout")

    def test_publishers_hear_of_a_submission_and_the_author_of_the_outcome(self):
        from django.core import mail

        with self.captureOnCommitCallbacks(execute=True):
            workflow.submit_for_review(self.meeting, by=self.editor)
        self.assertEqual([m.to for m in mail.outbox], [["publisher@example.org"]])
        self.assertEqual(mail.outbox[0].subject, "For review: The readout")
        self.assertIn(f"/admin/meetings/meeting/{self.meeting.pk}/change/", mail.outbox[0].body)

        with self.captureOnCommitCallbacks(execute=True):
            workflow.reject(self.meeting, by=self.publisher, comment="Check item 3.")
        self.assertEqual(mail.outbox[1].to, ["editor@example.org"])
        self.assertEqual(mail.outbox[1].subject, "Rejected: The readout")
        self.assertIn("Check item 3.", mail.outbox[1].body)


class ClockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")

    def test_a_meeting_leaves_every_public_list_at_its_expiry_time(self):
        expires = timezone.now() + timedelta(hours=1)
        meeting = factories.meeting(self.page, title="Short-lived readout", expires_at=expires)
        self.assertContains(self.client.get(reverse("meetings:home")), "Short-lived readout")
        later = expires + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertNotContains(self.client.get(reverse("meetings:home")), "Short-lived")
            self.assertNotContains(self.client.get(reverse("meetings:feed-atom")), "Short-lived")
            self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 404)

    def test_the_command_logs_what_the_clock_did_once(self):
        from io import StringIO

        from django.core.management import call_command

        from meetings.models import PublicationLogEntry

        call_command("record_due_transitions", stdout=StringIO())
        soon = timezone.now() + timedelta(minutes=5)
        scheduled = factories.meeting(self.page, title="Scheduled", published_at=soon)
        expiring = factories.meeting(self.page, title="Expiring", expires_at=soon)
        later = soon + timedelta(minutes=1)
        out = StringIO()
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("record_due_transitions", stdout=out)
            call_command("record_due_transitions", stdout=StringIO())
        self.assertEqual(out.getvalue(), f"public: {scheduled}\nexpired: {expiring}\n")
        self.assertEqual(
            sorted(PublicationLogEntry.objects.values_list("meeting_title", "to_state")),
            [("Expiring", "expired"), ("Scheduled", "published")],
        )


class DeskTests(TestCase):
    def test_new_meetings_remember_who_wrote_them(self):
        from tests.meetings.test_admin import meeting_form

        editor = factories.member_of("Editors", "editor")
        self.client.force_login(editor)
        meeting_form(self.client, factories.relations_page()).submit(self.client)
        self.assertEqual(Meeting.objects.get().created_by, editor)


class EditorsDeskTests(TestCase):
    def test_the_admin_front_page_shows_each_person_their_shelves(self):
        editor = factories.member_of("Editors", "desk-editor")
        publisher = factories.member_of("Publishers", "desk-publisher")
        mine = factories.meeting(published=False, title="My own draft", created_by=editor)
        review = factories.meeting(published=False, title="Please review me")
        workflow.submit_for_review(review, by=editor)
        factories.meeting(title="Out already")

        self.client.force_login(editor)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Your desk")
        self.assertContains(response, "My own draft")
        self.assertContains(response, "<h3>My meetings in review</h3>", html=True)
        self.assertNotContains(response, "Awaiting my review")

        self.client.force_login(publisher)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "<h3>Awaiting my review</h3>", html=True)
        self.assertContains(response, "Please review me")
        self.assertContains(response, "Out already")
        self.assertNotContains(response, mine.title)

    def test_a_publisher_sees_what_they_submitted_waiting_for_another_publisher(self):
        publisher = factories.member_of("Publishers", "desk-submitter")
        mine = factories.meeting(published=False, title="Submitted by the publisher")
        workflow.submit_for_review(mine, by=publisher)
        self.client.force_login(publisher)
        response = self.client.get(reverse("admin:index"))
        self.assertIn("Submitted by the publisher", shelf_of(response, "My meetings in review"))
        self.assertNotIn("Submitted by the publisher", shelf_of(response, "Awaiting my review"))

    def test_meetings_whose_captions_wait_for_images_have_a_shelf_with_the_whole_list(self):
        editor = factories.member_of("Editors", "desk-photos")
        waiting = factories.meeting(published=False, title="Imported, captions only")
        PhotoSession.objects.create(meeting=waiting, caption="Photo session", position=1)
        PhotoSession.objects.create(meeting=waiting, caption="The meeting", position=2)
        complete = factories.full_meeting(title="No captions waiting", photos=0)
        gone = factories.meeting(title="Withdrawn with a caption")
        PhotoSession.objects.create(meeting=gone, caption="Old caption", position=1)
        workflow.take_down(gone, by=factories.member_of("Publishers", "p"), kind="in_error")

        self.client.force_login(editor)
        response = self.client.get(reverse("admin:index"))
        shelf = shelf_of(response, "Waiting for photos")
        self.assertIn("Imported, captions only", shelf)
        self.assertIn("2 captions without an image", shelf)
        self.assertNotIn(complete.title, shelf)
        self.assertNotIn(gone.title, shelf)
        changelist = reverse("admin:meetings_meeting_changelist")
        self.assertIn(f'href="{changelist}?photos_waiting=yes"', shelf)

    def test_the_desk_costs_the_same_queries_however_many_meetings_wait(self):
        publisher = factories.member_of("Publishers", "desk-counter")
        self.client.force_login(publisher)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                self.client.get(reverse("admin:index"))
            return len(captured)

        first = factories.meeting(published=False)
        PhotoSession.objects.create(meeting=first, caption="Waiting", position=1)
        few = queries()
        for _ in range(5):
            more = factories.meeting(published=False)
            PhotoSession.objects.create(meeting=more, caption="Waiting", position=1)
        self.assertEqual(queries(), few)


def shelf_of(response, title):
    """The HTML of one shelf of the desk, from its heading to the next."""
    html = response.content.decode()
    start = html.index(f"<h3>{title}</h3>")
    end = html.find("<h3>", start + 1)
    return html[start : end if end != -1 else html.index("</div>", start)]


class StaleObjectTests(TestCase):
    def test_a_step_on_an_old_copy_of_a_meeting_keeps_the_edits_saved_meanwhile(self):
        publisher = factories.member_of("Publishers", "stale-publisher")
        old_copy = factories.meeting(published=False, lead="On Monday, old words.")
        Meeting.objects.filter(pk=old_copy.pk).update(lead="On Monday, new words.")
        workflow.publish_without_review(old_copy, by=publisher, reason="Urgent.")
        self.assertEqual(Meeting.objects.get(pk=old_copy.pk).lead, "On Monday, new words.")
