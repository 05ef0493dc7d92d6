from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import topics
from meetings.importing import parse_readout, save_readout
from meetings.models import Meeting, MeetingType, PublicationLogEntry
from relations.models import RelationsPage
from tests import factories
from tests.browser_forms import read_form
from tests.meetings.test_archive_backfill import tokyo
from tests.meetings.test_importing import fixture_text

URL = reverse("admin:meetings_meeting_import")


def upload(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


class ImportPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        topics.define_topic("North Korea", "DPRK\nNorth Korea’s")
        topics.define_topic("China")

    def setUp(self):
        self.client.force_login(self.user)

    def preview(self, text=None, files=()):
        """The import page's form, with text pasted and files chosen, sent for a preview."""
        form = read_form(self.client.get(URL), "form[enctype]")
        if text is not None:
            form.set("text", text)
        return form.submit(self.client, files={"files": list(files)} if files else None)

    def confirmation(self, preview):
        """The preview's form, as the page renders it (topics as suggested)."""
        return read_form(preview, "input[name=step][value=confirm]")

    def test_the_changelist_links_to_the_import_page(self):
        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        self.assertContains(response, f'href="{URL}"')
        self.assertContains(self.client.get(URL), "Paste a readout")

    def test_the_preview_shows_everything_the_import_will_write_and_writes_nothing(self):
        response = self.preview(text=fixture_text("foreign-ministers-meeting.txt"))
        self.assertContains(response, "Japan-Atlantis Relations")
        self.assertContains(response, "(new page, no region yet)")
        self.assertContains(response, "June 3, 2024")
        self.assertContains(response, "Foreign ministers’ meeting")
        self.assertContains(response, "5:45 p.m.")
        self.assertContains(response, "approximately 45 minutes")
        self.assertContains(
            response, "Mr. SATO Ichiro, Minister for Foreign Affairs of Japan (our side)"
        )
        self.assertContains(
            response, "Photo session before the Japan-Atlantis Foreign Ministers’ Meeting"
        )
        self.assertContains(response, '<span class="number">6.</span>', html=True)
        self.assertContains(response, '<span class="number">(3)</span>', html=True)
        self.assertContains(response, 'value="North Korea"')
        self.assertNotContains(response, "is item 4 of the overview")
        self.assertContains(response, "Import 1 readout as drafts")
        self.assertFalse(Meeting.objects.exists())
        self.assertFalse(RelationsPage.objects.exists())

    def test_the_preview_shows_what_the_editor_must_look_at_with_its_line(self):
        text = fixture_text("foreign-ministers-meeting.txt").replace(
            "  2. The two ministers exchanged views", "  4. The two ministers exchanged views"
        )
        response = self.preview(text=text)
        self.assertContains(response, "Line 10: item numbered 4. is item 2 of the overview")

    def test_confirming_creates_drafts_with_the_topics_the_editor_settled_on(self):
        preview = self.preview(text=fixture_text("foreign-ministers-meeting.txt"))
        confirmation = self.confirmation(preview)
        china_item = next(name for name, value in confirmation.fields if value == "China")
        confirmation.set(china_item, "China, East China Sea")
        response = confirmation.submit(self.client)
        meeting = Meeting.objects.get()
        self.assertContains(response, reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        self.assertEqual(meeting.state, Meeting.State.DRAFT)
        self.assertEqual(
            sorted(t.name for t in meeting.agenda_items.all()[3].tags.all()),
            ["China", "East China Sea"],
        )
        self.assertEqual(LogEntry.objects.get().change_message, "Imported from pasted text.")

    def test_several_uploaded_files_import_together(self):
        response = self.preview(
            files=[
                upload("talk.txt", fixture_text("telephone-talk.txt")),
                upload("summit.txt", fixture_text("summit-meeting.txt")),
            ]
        )
        self.assertContains(response, "Import 2 readouts as drafts")
        done = self.confirmation(response).submit(self.client)
        self.assertEqual(Meeting.objects.count(), 2)
        self.assertContains(done, "Imported 2 readouts: 2 new drafts.")

    def test_an_existing_meeting_is_announced_and_updated_not_duplicated(self):
        text = fixture_text("telephone-talk.txt")
        self.confirmation(self.preview(text=text)).submit(self.client)
        preview = self.preview(text=text.replace("welcomed the progress", "praised the progress"))
        self.assertContains(preview, "already exists under this page: it will be updated")
        done = self.confirmation(preview).submit(self.client)
        self.assertContains(done, "Imported 1 readout: 1 draft updated.")
        self.assertContains(done, "Draft updated:")
        self.assertEqual(Meeting.objects.count(), 1)
        self.assertIn("praised", Meeting.objects.get().agenda_items.first().text)
        self.assertEqual(
            LogEntry.objects.order_by("pk").last().get_change_message(),
            "Imported from pasted text.",
        )

    def test_the_preview_shows_the_most_specific_type_and_a_re_import_re_types(self):
        text = fixture_text("foreign-ministers-meeting.txt").replace(
            "Foreign Ministers’ Meeting", "Foreign Ministers’ Strategic Dialogue"
        )
        self.confirmation(self.preview(text=text)).submit(self.client)
        # As the rules before precedence typed it.
        Meeting.objects.update(
            meeting_type=MeetingType.objects.get(slug="foreign-ministers-meeting")
        )
        preview = self.preview(text=text)
        self.assertContains(preview, "<dt>Type</dt><dd>Strategic dialogue</dd>", html=True)
        self.assertContains(preview, "already exists under this page: it will be updated")
        done = self.confirmation(preview).submit(self.client)
        self.assertContains(done, "Imported 1 readout: 1 draft updated.")
        self.assertContains(done, "Draft updated:")
        self.assertEqual(Meeting.objects.get().meeting_type.slug, "strategic-dialogue")

    def test_importing_over_a_published_meeting_announces_a_correction(self):
        from meetings.importing import parse_readout, save_readout

        text = fixture_text("telephone-talk.txt")
        live = save_readout(parse_readout(text), publish=True).meeting
        preview = self.preview(text=text.replace("welcomed", "praised"))
        self.assertContains(preview, "it is published, so the import becomes a correction")
        done = self.confirmation(preview).submit(self.client)
        live.refresh_from_db()
        self.assertIn("welcomed", live.agenda_items.first().text)
        correction = live.corrections.get()
        self.assertIn("praised", correction.agenda_items.first().text)
        self.assertContains(done, "Imported 1 readout: 1 correction of a published meeting.")
        self.assertContains(done, "Correction drafted; the public keeps the published version")
        correction_url = reverse("admin:meetings_meeting_change", args=[correction.pk])
        self.assertContains(done, f'href="{correction_url}"')
        self.assertNotContains(done, "Updated")

    def test_an_error_writes_nothing_and_keeps_the_pasted_text(self):
        broken = fixture_text("telephone-talk.txt").replace("January 9, 2025", "Jan 45, 2025")
        response = self.preview(
            text=broken, files=[upload("fine.txt", fixture_text("summit-meeting.txt"))]
        )
        self.assertContains(response, "pasted text:3: “Jan 45, 2025” is not a real date")
        self.assertContains(response, "nothing will be written")
        self.assertNotContains(response, "as drafts")
        self.assertEqual(response.context["form"]["text"].value(), broken)
        self.assertContains(response, '<textarea name="text"')
        self.assertFalse(Meeting.objects.exists())

    def test_a_file_that_is_not_text_is_named(self):
        response = self.preview(files=[SimpleUploadedFile("photo.txt", b"\x89PNG\x00\x01")])
        self.assertContains(response, "photo.txt:1: this is a binary file")

    def test_an_empty_submission_asks_for_a_readout(self):
        response = self.preview(text="  ")
        self.assertContains(response, "Paste a readout or choose files to upload.")

    def test_a_confirmation_whose_text_was_tampered_with_writes_nothing(self):
        confirmation = self.confirmation(self.preview(text=fixture_text("telephone-talk.txt")))
        # A tampered request: the text travels back in a hidden field no editor can edit.
        confirmation.set("readout-0-text", "nonsense")
        response = confirmation.submit(self.client)
        self.assertContains(response, "nothing will be written")
        self.assertFalse(Meeting.objects.exists())

    def test_staff_without_the_add_permission_are_refused(self):
        clerk = factories.staff_user("clerk", superuser=False)
        self.client.force_login(clerk)
        self.assertEqual(self.client.get(URL).status_code, 403)


class BackfillOnTheImportPageTests(TestCase):
    """Publishers bring an archive in from the import page: published at each meeting's own
    date, without announcing it. Editors are not offered the choice, since it publishes."""

    CHOICE = "Archive back-fill: publish at each meeting’s own date, without announcing"

    @classmethod
    def setUpTestData(cls):
        cls.publisher = factories.member_of("Publishers", "publisher", email="p@example.org")
        cls.editor = factories.member_of("Editors", "editor", email="e@example.org")

    def preview(self, text, *, backfill=True):
        form = read_form(self.client.get(URL), "form[enctype]")
        form.set("text", text)
        if backfill:
            form.set("backfill", True)
        return form.submit(self.client)

    def confirmation(self, preview):
        return read_form(preview, "input[name=step][value=confirm]")

    def test_a_publisher_backfills_and_the_preview_says_what_will_happen(self):
        self.client.force_login(self.publisher)
        self.assertContains(self.client.get(URL), self.CHOICE)
        preview = self.preview(fixture_text("foreign-ministers-meeting.txt"))
        self.assertContains(preview, "published at once, dated June 3, 2024, 6:30 p.m.")
        self.assertContains(preview, "not announced as new")
        self.assertContains(preview, "Back-fill 1 readout at its meeting’s date")
        self.assertFalse(Meeting.objects.exists())

        done = self.confirmation(preview).submit(self.client)
        meeting = Meeting.objects.get()
        self.assertTrue(meeting.is_public)
        self.assertEqual(timezone.localtime(meeting.published_at), tokyo(2024, 6, 3, 18, 30))
        self.assertContains(done, "Back-filled 1 readout(s), published at their meeting dates")
        entry = PublicationLogEntry.objects.get(meeting=meeting)
        self.assertEqual((entry.backfill, entry.actor), (True, self.publisher))
        self.assertEqual(LogEntry.objects.get().change_message, "Back-filled from pasted text.")
        self.assertEqual(mail.outbox, [])

    def test_a_meeting_already_on_the_portal_is_shown_as_skipped_and_left_alone(self):
        self.client.force_login(self.publisher)
        text = fixture_text("telephone-talk.txt")
        draft = save_readout(parse_readout(text)).meeting
        preview = self.preview(text.replace("welcomed", "praised"))
        self.assertContains(preview, "an archive back-fill only adds meetings: it is skipped")
        done = self.confirmation(preview).submit(self.client)
        self.assertContains(done, "skipped 1 already on the portal")
        draft.refresh_from_db()
        self.assertEqual(draft.state, Meeting.State.DRAFT)
        self.assertIn("welcomed", draft.agenda_items.first().text)

    def test_a_meeting_dated_in_the_future_is_refused_naming_the_readout(self):
        self.client.force_login(self.publisher)
        next_year = timezone.localdate().year + 1
        text = fixture_text("summit-meeting.txt").replace("2023", str(next_year))
        response = self.preview(text)
        self.assertContains(
            response, f"pasted text:3: the meeting is dated October 30, {next_year}, in the future"
        )
        self.assertContains(response, "nothing will be written")
        self.assertFalse(Meeting.objects.exists())

    def test_an_editor_is_not_offered_a_backfill_and_cannot_forge_one(self):
        self.client.force_login(self.editor)
        self.assertNotContains(self.client.get(URL), "Archive back-fill")
        preview = self.preview(fixture_text("telephone-talk.txt"), backfill=False)
        self.assertContains(preview, "Import 1 readout as drafts")
        forged = self.confirmation(preview).forge("backfill", "on").submit(self.client)
        self.assertEqual(forged.status_code, 403)
        self.assertFalse(Meeting.objects.exists())
        self.confirmation(preview).submit(self.client)
        self.assertEqual(Meeting.objects.get().state, Meeting.State.DRAFT)
