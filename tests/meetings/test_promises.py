"""The editorial promises, kept on the path people use: the admin's own rendered forms.

No edit is lost, a second person approves exactly what goes public, what the public sees
changes only through the workflow, and every step is whole or not at all. Each form posted
here is read out of the page the person has open (tests/browser_forms.py).
"""

from datetime import date, timedelta
from unittest import mock

from django.core import mail
from django.db import DatabaseError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import (
    ChangeNote,
    Meeting,
    MeetingRevision,
    PreviewLink,
    PublicationLogEntry,
    PublicContentVersion,
)
from tests import factories
from tests.browser_forms import read_form, read_forms_by_button
from tests.meetings.test_admin import meeting_form

State = Meeting.State
PANEL = ".workflow-panel form.workflow-step"


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def open_panel(client, meeting):
    """The workflow panel of the meeting's admin page, as the person sees it now."""
    return read_forms_by_button(client.get(change_url(meeting)), PANEL)


class PromiseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "erin", email="erin@example.org")
        cls.other_editor = factories.member_of("Editors", "ed")
        cls.publisher = factories.member_of("Publishers", "paul", email="paul@example.org")
        cls.other_publisher = factories.member_of("Publishers", "pat", email="pat@example.org")
        cls.page = factories.relations_page("Atlantis", slug="atlantis")

    def draft(self, **fields):
        fields.setdefault("lead", "On Monday, the ministers met.")
        return factories.meeting(self.page, published=False, **fields)

    def as_user(self, user):
        self.client.force_login(user)
        return self.client


class NoEditIsLostTests(PromiseTestCase):
    def test_the_page_renders_what_the_stale_save_check_needs(self):
        meeting = self.draft()
        form = meeting_form(self.as_user(self.editor), meeting=meeting)
        self.assertEqual(form.get("opened_version"), str(meeting.edit_version))
        self.assertTrue(form.get("opened_snapshot"))

    def test_a_form_posted_without_the_version_it_opened_is_refused(self):
        meeting = self.draft()
        form = meeting_form(self.as_user(self.editor), meeting=meeting, title="Mine")
        form.fields = [(n, v) for n, v in form.fields if n != "opened_version"]
        response = form.submit(self.client)
        self.assertContains(response, "Someone else saved this meeting after you opened it")
        meeting.refresh_from_db()
        self.assertNotEqual(meeting.title, "Mine")

    def test_a_save_over_a_workflow_step_taken_meanwhile_is_refused(self):
        meeting = self.draft()
        form = meeting_form(self.as_user(self.editor), meeting=meeting, title="Mine")
        workflow.submit_for_review(Meeting.objects.get(pk=meeting.pk), by=self.other_editor)
        response = form.submit(self.client)
        self.assertContains(response, "Someone else saved this meeting after you opened it")
        self.assertContains(response, "State")

    def test_a_save_over_a_revision_restored_meanwhile_is_refused(self):
        meeting = self.draft()
        first = meeting_form(self.as_user(self.editor), meeting=meeting, lead="On Monday, A.")
        self.assertEqual(first.submit(self.client).status_code, 302)
        stale = meeting_form(self.client, meeting=meeting, title="Mine")
        revision = MeetingRevision.objects.filter(meeting=meeting).order_by("number").first()
        workflow.restore_revision(revision, by=self.other_editor)
        response = stale.submit(self.client)
        self.assertContains(response, "Someone else saved this meeting after you opened it")

    def test_a_save_over_a_reimport_meanwhile_is_refused_and_keeps_the_imported_agenda(self):
        from meetings.importing import parse_readout, save_readout

        text = (
            "Japan-Atlantis Relations\nMay 19, 2023\n(Photo) Japan-Atlantis Meeting\n\n"
            "On May 19, the ministers met.\n\n  1. First.\n  2. Second.\n\n"
            "Back to Japan-Atlantis Relations\n"
        )
        imported = save_readout(parse_readout(text)).meeting
        stale = meeting_form(self.as_user(self.editor), meeting=imported, title="Mine")
        save_readout(parse_readout(text.replace("  2. Second.", "  2. Second, re-imported.")))
        response = stale.submit(self.client)
        self.assertContains(response, "Someone else saved this meeting after you opened it")
        self.assertIn("Agenda items", response.context["adminform"].form.non_field_errors()[0])
        self.assertEqual(
            [item.text for item in imported.agenda_items.all()],
            ["First.", "Second, re-imported."],
        )


class EveryStepIsWholeTests(PromiseTestCase):
    LONG = "A reviewer’s comment that runs on. " * 30  # ~1,000 characters

    def test_long_comments_and_change_notes_are_kept_whole_through_every_step(self):
        meeting = self.draft()
        client = self.as_user(self.editor)
        open_panel(client, meeting).set("comment", self.LONG).submit(client, "transition", "submit")
        client = self.as_user(self.publisher)
        open_panel(client, meeting).set("comment", self.LONG).submit(client, "transition", "reject")
        client = self.as_user(self.editor)
        open_panel(client, meeting).set("comment", self.LONG).submit(client, "transition", "submit")
        client = self.as_user(self.publisher)
        open_panel(client, meeting).set("comment", self.LONG).submit(
            client, "transition", "approve"
        )
        meeting.refresh_from_db()
        self.assertTrue(meeting.is_public)
        log = list(meeting.publication_log.order_by("pk"))
        self.assertEqual(
            [e.to_state for e in log], ["in_review", "draft", "in_review", "published"]
        )
        self.assertTrue(all(e.comment == self.LONG.strip() for e in log))
        self.assertTrue(meeting.revisions.filter(event__endswith=self.LONG.strip()).exists())

        # A major correction with a long public change note.
        panel = open_panel(self.as_user(self.editor), meeting)
        draft = Meeting.objects.get(
            pk=_redirect_pk(panel.submit(self.client, "transition", "correct"))
        )
        open_panel(self.client, draft).submit(self.client, "transition", "submit")
        note = "The date of the second meeting was wrong. " * 5  # ~215 characters
        panel = open_panel(self.as_user(self.publisher), draft)
        panel.set("major", True).set("change_note", note.strip())
        panel.submit(self.client, "transition", "approve")
        self.assertFalse(Meeting.objects.filter(pk=draft.pk).exists())
        self.assertEqual(list(meeting.change_notes.values_list("note", flat=True)), [note.strip()])
        self.assert_every_value_fits_its_column()

    def assert_every_value_fits_its_column(self):
        """What SQLite stored would load into PostgreSQL: no text longer than its column."""
        from django.apps import apps
        from django.db import models

        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField) and field.max_length:
                    for value in model._default_manager.values_list(field.attname, flat=True):
                        self.assertLessEqual(len(value or ""), field.max_length, field)

    def test_a_step_that_fails_half_way_leaves_nothing_behind(self):
        meeting = self.draft(submitted_by=self.editor, state=State.IN_REVIEW)
        panel = open_panel(self.as_user(self.publisher), meeting)
        version_before = PublicContentVersion.objects.filter(pk=1).first()
        with (
            mock.patch.object(
                PublicationLogEntry.objects, "create", side_effect=DatabaseError("disk full")
            ),
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(DatabaseError),
        ):
            panel.submit(self.client, "transition", "approve")
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, State.IN_REVIEW)
        self.assertFalse(meeting.revisions.exists())
        self.assertEqual((callbacks, mail.outbox), ([], []))
        self.assertEqual(PublicContentVersion.objects.filter(pk=1).first(), version_before)

    def test_approving_a_correction_twice_adds_one_change_note(self):
        live = factories.meeting(self.page)
        draft = workflow.start_correction(live, by=self.editor)
        workflow.submit_for_review(draft, by=self.editor)
        note = "The second paragraph misquoted the minister; it now reads as said. " * 3
        panel = open_panel(self.as_user(self.publisher), draft)
        panel.set("major", True).set("change_note", note.strip())
        panel.submit(self.client, "transition", "approve")
        response = panel.submit(self.client, "transition", "approve", follow=True)
        self.assertEqual(response.status_code, 404)  # the draft is gone: nothing to approve
        self.assertEqual(ChangeNote.objects.filter(meeting=live).count(), 1)


def _redirect_pk(response):
    return int(response.url.rstrip("/").split("/")[-2])


class TwoPeopleForEveryPublicationTests(PromiseTestCase):
    def test_a_publisher_who_changed_a_submission_is_not_offered_its_approval(self):
        meeting = self.draft()
        workflow.submit_for_review(meeting, by=self.editor)
        form = meeting_form(self.as_user(self.publisher), meeting=meeting, lead="On Monday, mine.")
        self.assertEqual(form.submit(self.client).status_code, 302)
        response = self.client.get(change_url(meeting))
        self.assertNotContains(response, 'value="approve"')
        self.assertContains(response, "You changed this meeting after it was submitted")
        # A forged request: the approval the panel does not offer is refused on the server.
        meeting.refresh_from_db()
        forged = {"transition": "approve", "opened_version": meeting.edit_version}
        self.client.post(reverse("admin:meetings_meeting_transition", args=[meeting.pk]), forged)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, State.IN_REVIEW)
        # Another publisher reviews the changed text and approves it.
        client = self.as_user(self.other_publisher)
        open_panel(client, meeting).submit(client, "transition", "approve")
        meeting.refresh_from_db()
        self.assertTrue(meeting.is_public)

    def test_approval_publishes_only_the_version_the_reviewer_saw(self):
        meeting = self.draft()
        workflow.submit_for_review(meeting, by=self.editor)
        panel = open_panel(self.as_user(self.publisher), meeting)
        seen = int(panel.get("opened_version"))
        # Meanwhile the editor changes the lead.
        editor_form = meeting_form(
            self.as_user(self.editor), meeting=meeting, lead="On Monday, unseen words."
        )
        self.assertEqual(editor_form.submit(self.client).status_code, 302)
        self.as_user(self.publisher)
        response = panel.submit(self.client, "transition", "approve", follow=True)
        self.assertContains(response, "This meeting changed after you opened it")
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, State.IN_REVIEW)
        self.assertFalse(meeting.publication_log.filter(to_state="published").exists())
        # Read again, approved: the log names the version approved.
        panel = open_panel(self.client, meeting)
        self.assertGreater(int(panel.get("opened_version")), seen)
        panel.submit(self.client, "transition", "approve")
        entry = meeting.publication_log.get(to_state="published")
        self.assertEqual(entry.version, int(panel.get("opened_version")))


class PublicContentChangesOnlyThroughTheWorkflowTests(PromiseTestCase):
    def taken_down(self, kind="withdrawn"):
        meeting = factories.meeting(self.page, lead="On Monday, the ministers met.")
        workflow.take_down(meeting, by=self.publisher, kind=kind, note="Superseded.")
        return meeting

    def test_a_withdrawn_meeting_is_read_only_in_the_admin(self):
        meeting = self.taken_down()
        response = self.as_user(self.editor).get(change_url(meeting))
        self.assertNotContains(response, 'name="lead"')
        # A forged post: the add page's form, sent to the withdrawn meeting's address.
        form = meeting_form(self.client, self.page, lead="On Monday, changed in place.")
        self.assertEqual(self.client.post(change_url(meeting), form.data()).status_code, 403)
        self.client.logout()
        self.assertContains(self.client.get(meeting.get_absolute_url()), "the ministers met")

    def test_an_import_over_a_withdrawn_meeting_is_refused_and_changes_nothing(self):
        from meetings.importing import ReadoutError, parse_readout, save_readout

        text = (
            "Japan-Atlantis Relations\nMay 19, 2023\n(Photo) Japan-Atlantis Meeting\n\n"
            "On May 19, the ministers met.\n\n  1. First.\n\nBack to Japan-Atlantis Relations\n"
        )
        meeting = save_readout(parse_readout(text), publish=True).meeting
        workflow.take_down(meeting, by=self.publisher, kind="withdrawn", note="Superseded.")
        with self.assertRaisesMessage(ReadoutError, "was taken down (withdrawn)"):
            save_readout(parse_readout(text.replace("First.", "Changed.")))
        self.assertEqual([i.text for i in meeting.agenda_items.all()], ["First."])

    def test_only_a_publisher_restores_a_taken_down_meeting(self):
        meeting = self.taken_down()
        response = self.as_user(self.editor).get(change_url(meeting))
        self.assertNotContains(response, 'value="restore"')
        self.assertContains(response, "A taken-down meeting is restored by a publisher.")
        # A forged request: the editor's panel renders no restore button.
        forged = {"transition": "restore", "opened_version": meeting.edit_version}
        self.client.post(reverse("admin:meetings_meeting_transition", args=[meeting.pk]), forged)
        # The revisions page offers the editor no restore either; forged, it is refused.
        revisions = reverse("admin:meetings_meeting_revisions", args=[meeting.pk])
        self.assertNotContains(self.client.get(revisions), "Restore as a draft")
        self.client.post(revisions, {"restore": "1"})
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, State.TAKEN_DOWN)
        client = self.as_user(self.publisher)
        open_panel(client, meeting).submit(client, "transition", "restore")
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, State.DRAFT)

    def test_taking_a_meeting_down_revokes_its_preview_links(self):
        meeting = self.draft(state=State.IN_REVIEW, submitted_by=self.editor)
        link = workflow.share_preview(meeting, by=self.publisher, days=3)
        workflow.approve(meeting, by=self.publisher)
        workflow.take_down(meeting, by=self.publisher, kind="in_error")
        link.refresh_from_db()
        self.assertIsNotNone(link.revoked_at)
        self.assertIn(self.client.get(link.get_absolute_url()).status_code, (404, 410))

    def test_a_preview_link_of_a_taken_down_meeting_shows_nothing(self):
        meeting = self.taken_down("in_error")
        link = PreviewLink.objects.create(
            meeting=meeting, expires_at=timezone.now() + timedelta(days=1)
        )
        self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 410)

    def test_preview_links_last_one_to_fourteen_days_as_the_page_offers(self):
        meeting = self.draft()
        page = self.as_user(self.publisher).get(change_url(meeting))
        share = read_form(page, "form[action$='share-preview/']")
        offered = [o.get("value") for o in share.element.cssselect("select[name=days] option")]
        self.assertEqual(offered, ["1", "3", "7", "14"])
        share.set("days", "14").submit(self.client)
        self.assertEqual(PreviewLink.objects.count(), 1)
        response = share.set("days", "30").submit(self.client, follow=True)
        self.assertContains(response, "A preview link lasts from 1 to 14 days.")
        self.assertEqual(PreviewLink.objects.count(), 1)


class CorrectionsKeepAddressesTests(PromiseTestCase):
    def setUp(self):
        self.live = factories.meeting(self.page, title="Ministers meet", date=date(2024, 5, 1))
        self.other = factories.meeting(self.page, title="Ministers meet", date=date(2024, 5, 2))
        self.draft = workflow.start_correction(self.live, by=self.editor)

    def test_a_correction_onto_another_meetings_address_is_refused_at_the_form(self):
        form = meeting_form(self.as_user(self.editor), meeting=self.draft, date="2024-05-02")
        response = form.submit(self.client)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "already has the address", response.context["adminform"].form.errors["slug"][0]
        )

    def test_an_address_taken_meanwhile_refuses_the_approval_with_a_message(self):
        form = meeting_form(self.as_user(self.editor), meeting=self.draft, date="2024-05-03")
        self.assertEqual(form.submit(self.client).status_code, 302)
        workflow.submit_for_review(Meeting.objects.get(pk=self.draft.pk), by=self.editor)
        factories.meeting(self.page, title="Ministers meet", date=date(2024, 5, 3))
        panel = open_panel(self.as_user(self.publisher), self.draft)
        response = panel.submit(self.client, "transition", "approve", follow=True)
        self.assertContains(response, "give the address of another meeting")
        self.live.refresh_from_db()
        self.assertEqual(self.live.date, date(2024, 5, 1))

    def test_a_correction_that_moves_the_date_leaves_a_permanent_redirect(self):
        old_url = self.live.get_absolute_url()
        form = meeting_form(self.as_user(self.editor), meeting=self.draft, date="2024-05-04")
        self.assertEqual(form.submit(self.client).status_code, 302)
        workflow.submit_for_review(Meeting.objects.get(pk=self.draft.pk), by=self.editor)
        client = self.as_user(self.publisher)
        open_panel(client, self.draft).submit(client, "transition", "approve")
        self.live.refresh_from_db()
        self.assertEqual(self.live.date, date(2024, 5, 4))
        self.client.logout()
        response = self.client.get(old_url)
        self.assertRedirects(response, self.live.get_absolute_url(), 301)


class ExpiryTests(PromiseTestCase):
    def test_a_publisher_sets_an_expiry_on_a_published_meeting(self):
        meeting = factories.meeting(self.page)
        panel = open_panel(self.as_user(self.publisher), meeting)
        when = timezone.localtime() + timedelta(days=2)
        panel.set("expires_at", when.strftime("%Y-%m-%dT%H:%M"))
        panel.submit(self.client, "transition", "set_expiry")
        meeting.refresh_from_db()
        self.assertEqual(meeting.expires_at, when.replace(second=0, microsecond=0))
        self.assertIn("Expiry time", meeting.publication_log.first().comment)

    def test_an_expiry_set_on_a_correction_is_kept_on_approval(self):
        live = factories.meeting(self.page)
        draft = workflow.start_correction(live, by=self.editor)
        when = timezone.localtime() + timedelta(days=3)
        form = meeting_form(self.as_user(self.publisher), meeting=draft)
        form.set("expires_at_0", when.strftime("%Y-%m-%d")).set("expires_at_1", "09:00:00")
        self.assertEqual(form.submit(self.client).status_code, 302)
        workflow.submit_for_review(Meeting.objects.get(pk=draft.pk), by=self.editor)
        client = self.as_user(self.other_publisher)
        open_panel(client, draft).submit(client, "transition", "approve")
        live.refresh_from_db()
        self.assertEqual(timezone.localtime(live.expires_at).date(), when.date())
