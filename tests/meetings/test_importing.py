from datetime import date, time, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase

from meetings.importing import ReadoutError, decode, parse_readout, save_readout
from meetings.models import AgendaItem, Meeting, Participant, PhotoSession
from relations.models import RelationsPage
from tests import factories

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readouts"


def fixture_text(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def overview_of(parsed):
    """[(item text start, [sub-item text starts])] in the page's numbering."""
    overview = []
    for item in parsed.agenda_items:
        if item.is_sub_item:
            overview[-1][1].append(item.text[:20])
        else:
            overview.append((item.text[:20], []))
    return overview


class ReferenceShapeTests(SimpleTestCase):
    def setUp(self):
        self.parsed = parse_readout(fixture_text("foreign-ministers-meeting.txt"))

    def test_header_gives_page_date_title_and_photo_captions(self):
        parsed = self.parsed
        self.assertEqual(parsed.relations_page_title, "Japan-Atlantis Relations")
        self.assertEqual(parsed.date, date(2024, 6, 3))
        self.assertEqual(parsed.title, "Japan-Atlantis Foreign Ministers’ Meeting")
        self.assertEqual(
            parsed.photo_captions,
            [
                "Photo session before the Japan-Atlantis Foreign Ministers’ Meeting",
                "Japan-Atlantis Foreign Ministers’ Meeting",
            ],
        )
        self.assertEqual(parsed.meeting_type_slug, "foreign-ministers-meeting")

    def test_lead_keeps_its_text_and_gives_time_duration_and_participants(self):
        parsed = self.parsed
        self.assertTrue(parsed.lead.startswith("On June 3, commencing at 5:45 p.m."))
        self.assertTrue(parsed.lead.endswith("The overview of the meeting is as follows."))
        self.assertEqual(parsed.start_time, time(17, 45))
        self.assertEqual(parsed.duration, timedelta(minutes=45))
        self.assertEqual(parsed.place, "")
        self.assertEqual(
            [(p.side, p.name, p.title) for p in parsed.participants],
            [
                ("home", "Mr. SATO Ichiro", "Minister for Foreign Affairs of Japan"),
                (
                    "counterpart",
                    "the Honorable Maria Quill",
                    "Secretary for External Affairs of Atlantis",
                ),
            ],
        )

    def test_overview_numbers_straight_on_after_sub_items(self):
        overview = overview_of(self.parsed)
        self.assertEqual(len(overview), 6)
        self.assertEqual(len(overview[2][1]), 3)
        self.assertEqual(overview[3][0], "The two ministers co")

    def test_the_ministrys_restart_at_1_after_sub_items_is_its_usual_shape_not_a_warning(self):
        self.assertEqual(self.parsed.warnings, [])

    def test_numbering_that_skips_or_repeats_is_still_a_warning(self):
        text = fixture_text("foreign-ministers-meeting.txt")
        skipped = text.replace(
            "  2. The two ministers exchanged views on security",
            "  3. The two ministers exchanged views on security",
            1,
        )
        parsed = parse_readout(skipped)
        self.assertEqual([warning.line for warning in parsed.warnings], [10])
        self.assertIn("item numbered 3. is item 2 of the overview", parsed.warnings[0].message)

        in_a_restarted_run = text.replace(
            "  2. The two ministers concurred on cooperation",
            "  5. The two ministers concurred on cooperation",
        )
        parsed = parse_readout(in_a_restarted_run)
        self.assertEqual([warning.line for warning in parsed.warnings], [16])
        self.assertIn("item numbered 5. is item 5 of the overview", parsed.warnings[0].message)
        self.assertIn("numbered 5. as the page numbers it", parsed.warnings[0].message)

    def test_typographic_quotes_are_kept_as_written(self):
        texts = [item.text for item in self.parsed.agenda_items]
        self.assertIn("“has never been stronger.”", texts[0])
        self.assertIn("Economic “2+2”", texts[6])


class VariationTests(SimpleTestCase):
    def test_a_telephone_talk_with_no_photo_takes_its_title_from_the_one_header_line(self):
        parsed = parse_readout(fixture_text("telephone-talk.txt"))
        self.assertEqual(parsed.title, "Japan-Borduria Foreign Ministers’ Telephone Talk")
        self.assertEqual(parsed.photo_captions, [])
        self.assertEqual(parsed.start_time, time(9, 5))
        self.assertEqual(parsed.duration, timedelta(hours=1, minutes=10))
        self.assertEqual(parsed.place, "")
        self.assertEqual(parsed.meeting_type_slug, "foreign-ministers-telephone-talk")
        self.assertEqual(
            overview_of(parsed)[1][1], ["Minister Kato explai", "The two ministers sh"]
        )
        self.assertEqual(parsed.warnings, [])

    def test_a_summit_at_noon_with_several_photos_a_place_and_a_two_paragraph_lead(self):
        parsed = parse_readout(fixture_text("summit-meeting.txt"))
        self.assertEqual(len(parsed.photo_captions), 3)
        self.assertEqual(parsed.start_time, time(12, 0))
        self.assertEqual(parsed.duration, timedelta(hours=1))
        self.assertEqual(parsed.place, "Klow")
        self.assertEqual(parsed.meeting_type_slug, "summit-meeting")
        self.assertEqual(len(parsed.lead.split("\n\n")), 2)
        self.assertEqual([len(subs) for _, subs in overview_of(parsed)], [2, 0, 0, 0])

    def test_pasted_text_with_bom_crlf_tabs_and_odd_spaces_reads_the_same(self):
        clean = fixture_text("telephone-talk.txt")
        messy = "\ufeff" + clean.replace("\n", "\r\n").replace("  1.", "\t1.").replace(
            "January 9, 2025", "January\u00a09,\u20092025"
        )
        self.assertEqual(parse_readout(messy), parse_readout(clean))

    def test_a_courtesy_call_puts_the_visitor_on_the_counterpart_side(self):
        text = fixture_text("telephone-talk.txt").replace(
            "Ms. KATO Yumi, Minister for Foreign Affairs of Japan, held a telephone talk with "
            "Mr. Ivan Brost, Minister of Foreign Affairs of Borduria.",
            "Mr. Ivan Brost, Minister of Foreign Affairs of Borduria, who is visiting Japan, "
            "paid a courtesy call on Mr. ITO Hiroshi, Prime Minister of Japan.",
        )
        parsed = parse_readout(text)
        self.assertEqual(
            [(p.side, p.name) for p in parsed.participants],
            [("home", "Mr. ITO Hiroshi"), ("counterpart", "Mr. Ivan Brost")],
        )

    def test_what_a_copy_of_the_whole_page_brings_along_is_tolerated(self):
        text = fixture_text("telephone-talk.txt")
        copied = (
            text.replace("January 9, 2025", "Thursday, January 9, 2025")
            + "\nPage Top\nFooter links\n"
        )
        parsed = parse_readout(copied)
        self.assertEqual(parsed.date, date(2025, 1, 9))
        self.assertEqual(parsed.agenda_items, parse_readout(text).agenda_items)
        self.assertEqual(
            [w.message for w in parsed.warnings],
            ["text after the “Back to …” line is ignored"] * 2,
        )

    def test_a_title_starting_with_on_is_not_taken_for_the_lead(self):
        text = fixture_text("telephone-talk.txt").replace(
            "Japan-Borduria Foreign Ministers’ Telephone Talk",
            "On the Occasion of the Japan-Borduria Foreign Ministers’ Telephone Talk",
        )
        parsed = parse_readout(text)
        self.assertTrue(parsed.title.startswith("On the Occasion"))
        self.assertTrue(parsed.lead.startswith("On January 9"))

    def test_a_photo_line_without_a_space_after_the_prefix(self):
        text = fixture_text("summit-meeting.txt").replace("(Photo) Japan", "(Photo)Japan")
        self.assertEqual(parse_readout(text).title, "Japan-Syldavia Summit Meeting")

    def test_british_honorifics(self):
        for honorific in ("the Right Honourable", "the Rt Hon", "Rt. Hon.", "Dame"):
            with self.subTest(honorific=honorific):
                text = fixture_text("telephone-talk.txt").replace(
                    "Mr. Ivan Brost", f"{honorific} Ivan Brost"
                )
                counterpart = parse_readout(text).participants[1]
                self.assertEqual(counterpart.name, f"{honorific} Ivan Brost")
                self.assertEqual(counterpart.title, "Minister of Foreign Affairs of Borduria")

    def test_a_back_to_line_naming_another_page_is_a_warning(self):
        text = fixture_text("telephone-talk.txt").replace(
            "Back to Japan-Borduria Relations", "Back to Japan-Syldavia Relations"
        )
        parsed = parse_readout(text)
        self.assertEqual(parsed.relations_page_title, "Japan-Borduria Relations")
        self.assertIn("differs from the title on line 1", parsed.warnings[-1].message)


class ErrorTests(SimpleTestCase):
    def assertReadoutError(self, text, line, words):
        with self.assertRaises(ReadoutError) as raised:
            parse_readout(text)
        self.assertEqual(raised.exception.line, line)
        self.assertIn(words, raised.exception.message)

    def test_an_empty_file(self):
        self.assertReadoutError("\n \n", 1, "empty")

    def test_no_date(self):
        self.assertReadoutError(
            "Japan-Atlantis Relations\nJapan-Atlantis Summit\nOn May 1, they met.\n",
            2,
            "expected the meeting's date",
        )

    def test_an_impossible_date(self):
        self.assertReadoutError(
            "Japan-Atlantis Relations\nFebruary 30, 2024\nSummit\n\nOn May 1, they met.\n",
            2,
            "not a real date",
        )

    def test_no_lead(self):
        self.assertReadoutError(
            "Japan-Atlantis Relations\nMay 1, 2024\nSummit\n\n  1. An item.\n", 2, "no lead"
        )

    def test_a_sub_item_before_any_item(self):
        text = (
            "Japan-Atlantis Relations\nMay 1, 2024\nSummit\n\nOn May 1, they met.\n\n  • (1) Sub.\n"
        )
        self.assertReadoutError(text, 7, "sub-item (1) comes before any numbered item")

    def test_several_header_lines_but_no_photo_line(self):
        text = "Japan-Atlantis Relations\nMay 1, 2024\nOne\nTwo\n\nOn May 1, they met.\n"
        self.assertReadoutError(text, 4, "none starts “(Photo) ”")

    def test_a_binary_file(self):
        with self.assertRaises(ReadoutError) as raised:
            decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        self.assertIn("binary", raised.exception.message)

    def test_a_file_that_is_not_utf8_names_its_line(self):
        with self.assertRaises(ReadoutError) as raised:
            decode("Japan-France Relations\nMay 1, 2024\nCaf\xe9".encode("latin-1"))
        self.assertEqual(raised.exception.line, 3)
        self.assertIn("not UTF-8", raised.exception.message)

    def test_the_error_reads_file_colon_line(self):
        self.assertEqual(ReadoutError("no lead", 4).located("a.txt"), "a.txt:4: no lead")


class SaveReadoutTests(TestCase):
    def test_a_new_readout_becomes_a_draft_under_a_new_relations_page(self):
        result = save_readout(parse_readout(fixture_text("foreign-ministers-meeting.txt")))
        meeting = result.meeting
        self.assertTrue(result.created)
        self.assertTrue(result.relations_page_created)
        self.assertEqual(meeting.relations_page.counterpart, "Atlantis")
        self.assertEqual(meeting.state, Meeting.State.DRAFT)
        self.assertEqual(meeting.meeting_type.slug, "foreign-ministers-meeting")
        self.assertEqual(meeting.photo_sessions.count(), 2)
        self.assertEqual(meeting.participants.count(), 2)
        self.assertEqual([len(subs) for _, subs in meeting.overview()], [0, 0, 3, 0, 0, 0])

    def test_an_existing_relations_page_is_matched_by_title(self):
        page = factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
        result = save_readout(parse_readout(fixture_text("foreign-ministers-meeting.txt")))
        self.assertEqual(result.meeting.relations_page, page)
        self.assertFalse(result.relations_page_created)

    def test_importing_again_updates_and_never_duplicates(self):
        text = fixture_text("foreign-ministers-meeting.txt")
        first = save_readout(parse_readout(text)).meeting
        first.agenda_items.first().tags.add("Tokyo")
        changed = text.replace("security cooperation.", "defence cooperation.")
        second = save_readout(parse_readout(changed))
        self.assertFalse(second.created)
        self.assertEqual(second.meeting.pk, first.pk)
        self.assertEqual(Meeting.objects.count(), 1)
        self.assertEqual(RelationsPage.objects.count(), 1)
        self.assertEqual(AgendaItem.objects.count(), 9)
        self.assertEqual(PhotoSession.objects.count(), 2)
        self.assertEqual(Participant.objects.count(), 2)
        self.assertIn("defence", second.meeting.agenda_items.all()[1].text)
        self.assertEqual(
            [t.name for t in second.meeting.agenda_items.first().tags.all()], ["Tokyo"]
        )

    def test_reimport_reorders_photos_and_keeps_uploaded_images(self):
        text = fixture_text("summit-meeting.txt")
        meeting = save_readout(parse_readout(text)).meeting
        arrival = meeting.photo_sessions.get(caption="Arrival ceremony")
        arrival.image = SimpleUploadedFile("arrival.gif", factories.GIF_1PX)
        arrival.alt_text = "Guard of honour"
        arrival.save()
        reordered = text.replace(
            "Arrival ceremony\nJoint press announcement\n", "Joint press announcement\n"
        )
        save_readout(parse_readout(reordered))
        self.assertEqual(
            list(meeting.photo_sessions.values_list("caption", "position")),
            [
                ("Joint press announcement", 1),
                ("Japan-Syldavia Summit Meeting", 2),
                ("Arrival ceremony", 3),
            ],
        )

    def test_two_photos_may_share_a_caption(self):
        text = fixture_text("summit-meeting.txt").replace(
            "Joint press announcement", "Arrival ceremony"
        )
        meeting = save_readout(parse_readout(text)).meeting
        save_readout(parse_readout(text))
        self.assertEqual(
            list(meeting.photo_sessions.values_list("caption", flat=True)),
            ["Arrival ceremony", "Arrival ceremony", "Japan-Syldavia Summit Meeting"],
        )

    def test_publish_makes_it_public_and_a_later_import_keeps_it_public(self):
        text = fixture_text("telephone-talk.txt")
        meeting = save_readout(parse_readout(text), publish=True).meeting
        self.assertTrue(meeting.is_public)
        save_readout(parse_readout(text))
        meeting.refresh_from_db()
        self.assertTrue(meeting.is_public)
