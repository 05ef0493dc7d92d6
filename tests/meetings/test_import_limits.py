"""Hostile or mistaken readouts end as a reported `FILE:LINE: message`, never as a crash.

Lengths are checked against the model fields before the database sees them, so these tests
pass alike on SQLite (which would store any length) and PostgreSQL (which refuses).
"""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from meetings.importing import ReadoutError, parse_readout
from meetings.models import Meeting
from relations.models import RelationsPage
from tests import factories
from tests.browser_forms import read_form
from tests.meetings.test_importing import fixture_text

TALK = fixture_text("telephone-talk.txt")
SUMMIT = fixture_text("summit-meeting.txt")
LEAD = "On January 9, commencing at 9:05 a.m. for approximately 1 hour and 10 minutes, "


def talk_with(old, new):
    assert old in TALK, old
    return TALK.replace(old, new)


class ParsingRefusesWhatNoMeetingHas(SimpleTestCase):
    def assertRefused(self, text, line, words):
        with self.assertRaises(ReadoutError) as raised:
            parse_readout(text)
        self.assertEqual(
            (raised.exception.line, raised.exception.message[: len(words)]), (line, words)
        )

    def test_a_duration_too_large_for_any_clock_is_reported_not_an_overflow(self):
        text = talk_with(
            "approximately 1 hour and 10 minutes", "approximately 999999999999999999999 hours"
        )
        self.assertRefused(text, 6, "the meeting lasts more than 24 hours")

    def test_a_duration_of_billions_of_minutes_is_refused(self):
        text = talk_with("approximately 1 hour and 10 minutes", "approximately 99999999999 minutes")
        self.assertRefused(text, 6, "the meeting lasts more than 24 hours")

    def test_a_duration_of_24_hours_is_the_longest_accepted(self):
        text = talk_with("1 hour and 10 minutes", "24 hours")
        self.assertEqual(parse_readout(text).duration, timedelta(hours=24))
        text = talk_with("1 hour and 10 minutes", "24 hours and 1 minute")
        self.assertRefused(text, 6, "the meeting lasts more than 24 hours")

    def test_year_one_and_the_far_future_are_refused(self):
        self.assertRefused(talk_with("January 9, 2025", "January 9, 0001"), 3, "“January 9, 0001”")
        far = date.today().year + 3
        self.assertRefused(
            talk_with("January 9, 2025", f"January 9, {far}"), 3, f"“January 9, {far}”"
        )

    @override_settings(PORTAL_EARLIEST_YEAR=1990)
    def test_the_earliest_year_is_a_setting(self):
        self.assertEqual(parse_readout(talk_with("2025", "1990")).date, date(1990, 1, 9))
        with self.assertRaises(ReadoutError) as raised:
            parse_readout(talk_with("2025", "1989"))
        self.assertIn("from 1990", raised.exception.message)

    def test_a_photo_caption_longer_than_its_column_names_its_line_and_length(self):
        caption = "A" * 612
        text = SUMMIT.replace("Arrival ceremony", caption)
        line = SUMMIT.splitlines().index("Arrival ceremony") + 1
        self.assertRefused(text, line, "the photo caption is 612 characters; at most 500 fit")

    def test_a_participant_name_longer_than_its_column(self):
        name = "Mr. Ivan " + "Brost" * 50
        self.assertRefused(talk_with("Mr. Ivan Brost", name), 6, "the participant’s name is 259")

    def test_a_relations_page_title_longer_than_its_column(self):
        title = "Japan-" + "Borduria" * 30 + " Relations"
        text = TALK.replace("Japan-Borduria Relations", title)
        self.assertRefused(text, 1, "the relations page’s title is 256 characters; at most 200")

    def test_a_title_longer_than_its_column(self):
        long_title = "Japan-Borduria Foreign Ministers’ Telephone Talk " + "x" * 300
        text = talk_with("Japan-Borduria Foreign Ministers’ Telephone Talk", long_title)
        self.assertRefused(text, 4, "the title is 349 characters; at most 300 fit")

    @override_settings(PORTAL_IMPORT_MAX_PHOTOS=2)
    def test_more_photos_than_the_setting_allows(self):
        self.assertRefused(SUMMIT, 6, "more than 2 photos")

    @override_settings(PORTAL_IMPORT_MAX_ITEMS=3)
    def test_more_agenda_items_than_the_setting_allows(self):
        self.assertRefused(TALK, 11, "more than 3 agenda items")


class LimitsByDefault(SimpleTestCase):
    def test_a_readout_of_twenty_thousand_photos_is_refused(self):
        captions = "".join(f"Photo {n}\n" for n in range(20_000))
        text = talk_with(
            "Japan-Borduria Foreign Ministers’ Telephone Talk\n",
            f"{captions}(Photo) Japan-Borduria Foreign Ministers’ Telephone Talk\n",
        )
        self.assertIn("more than 30 photos", self.error_of(text))

    def test_a_readout_of_a_thousand_agenda_items_is_refused(self):
        items = "".join(f"  {n % 999 + 1}. Item.\n" for n in range(1000))
        text = talk_with(
            "  1. The two ministers welcomed", f"{items}  1. The two ministers welcomed"
        )
        self.assertIn("more than 300 agenda items", self.error_of(text))

    def error_of(self, text):
        with self.assertRaises(ReadoutError) as raised:
            parse_readout(text)
        return raised.exception.message


def run_import(*paths):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_readout", *map(str, paths), stdout=out, stderr=err)
    except CommandError:
        return out.getvalue(), err.getvalue(), True
    return out.getvalue(), err.getvalue(), False


class CommandReportsAndGoesOn(TestCase):
    def write(self, name, text):
        path = Path(self.tmp) / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_a_bad_file_in_a_folder_is_reported_and_the_good_one_imported(self):
        self.write("a-bad.txt", SUMMIT.replace("Arrival ceremony", "A" * 612))
        self.write("b-good.txt", TALK)
        out, err, failed = run_import(self.tmp)
        self.assertTrue(failed)
        bad = Path(self.tmp) / "a-bad.txt"
        self.assertIn(f"{bad}:4: the photo caption is 612 characters; at most 500 fit", err)
        self.assertIn("2 readout(s): 1 created, 0 updated, 1 failed", err)
        self.assertEqual(out.count("imported: "), 1)
        self.assertEqual(
            list(Meeting.objects.values_list("title", flat=True)),
            ["Japan-Borduria Foreign Ministers’ Telephone Talk"],
        )
        self.assertFalse(RelationsPage.objects.filter(title="Japan-Syldavia Relations").exists())

    def test_the_overflowing_duration_is_a_reported_line(self):
        path = self.write(
            "huge.txt",
            talk_with("approximately 1 hour", "approximately 999999999999999999999 hours"),
        )
        _, err, failed = run_import(path)
        self.assertTrue(failed)
        self.assertIn(f"{path}:6: the meeting lasts more than 24 hours", err)

    @override_settings(PORTAL_IMPORT_MAX_BYTES=2000)
    def test_a_file_over_the_size_limit_is_reported_without_being_read_whole(self):
        big = self.write("big.txt", TALK + "x" * 5000)
        self.write("small.txt", TALK)
        out, err, failed = run_import(big, Path(self.tmp) / "small.txt")
        self.assertTrue(failed)
        self.assertIn(f"{big}:1: the text is larger than 2,000 bytes", err)
        self.assertEqual(out.count("imported: "), 1)

    def test_an_unexpected_error_in_one_file_is_reported_and_the_batch_goes_on(self):
        first = self.write("a.txt", SUMMIT)
        self.write("b.txt", TALK)
        from meetings.importing import saving

        real_save = saving.save_readout

        def save_or_fail(parsed, **options):
            if parsed.title.startswith("Japan-Syldavia"):
                raise RuntimeError("the disk\nis full")
            return real_save(parsed, **options)

        with mock.patch(
            "meetings.management.commands.import_readout.save_readout", side_effect=save_or_fail
        ):
            _, err, failed = run_import(self.tmp)
        self.assertTrue(failed)
        self.assertIn(f"{first}: could not be imported: RuntimeError: the disk is full", err)
        self.assertIn("2 readout(s): 1 created, 0 updated, 1 failed", err)
        self.assertEqual(Meeting.objects.count(), 1)

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = str(tmp_path)


class ExportCommandReferences(TestCase):
    def test_a_reference_of_unicode_digits_is_not_a_meeting(self):
        for reference in ("²", "١٢", "99999999999999999999999"):
            with self.subTest(reference=reference), self.assertRaises(CommandError):
                call_command("export_readout", reference, stdout=StringIO())


class AdminImportPageReportsToo(TestCase):
    url = reverse("admin:meetings_meeting_import")

    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()

    def setUp(self):
        self.client.force_login(self.user)

    def preview(self, text):
        form = read_form(self.client.get(self.url), "form[enctype]")
        return form.set("text", text).submit(self.client)

    def test_an_overflowing_duration_is_shown_in_the_preview_not_a_server_error(self):
        response = self.preview(
            talk_with("approximately 1 hour", "approximately 999999999999999999999 hours")
        )
        self.assertContains(response, "pasted text:6: the meeting lasts more than 24 hours")
        self.assertContains(response, "nothing will be written")

    def test_a_caption_too_long_is_shown_with_its_line(self):
        response = self.preview(SUMMIT.replace("Arrival ceremony", "A" * 612))
        self.assertContains(
            response, "pasted text:4: the photo caption is 612 characters; at most 500 fit"
        )

    @override_settings(PORTAL_IMPORT_MAX_BYTES=2000)
    def test_pasted_text_over_the_size_limit_is_refused(self):
        response = self.preview(TALK + "x" * 5000)
        self.assertContains(response, "larger than 2,000 bytes")
        self.assertFalse(Meeting.objects.exists())

    def test_a_topic_too_long_for_a_tag_is_refused_on_confirmation_and_nothing_written(self):
        preview = self.preview(TALK)
        confirmation = read_form(preview, "input[name=step][value=confirm]")
        confirmation.set("readout-0-tags", "Z" * 150)
        response = confirmation.submit(self.client)
        self.assertContains(response, "pasted text:4: the topic “ZZZ")
        self.assertContains(response, "is 150 characters; at most 100 fit")
        self.assertFalse(Meeting.objects.exists())

    def test_a_topic_whose_address_would_not_fit_is_refused_with_its_line(self):
        preview = self.preview(TALK)
        confirmation = read_form(preview, "input[name=step][value=confirm]")
        # 40 characters, each of which becomes three in the address: “mhz”.
        confirmation.set("readout-0-item-1-tags", "㎒" * 40)
        response = confirmation.submit(self.client)
        self.assertContains(response, "pasted text:9: the topic “㎒")
        self.assertContains(response, "makes an address longer than 97 characters")
        self.assertFalse(Meeting.objects.exists())
