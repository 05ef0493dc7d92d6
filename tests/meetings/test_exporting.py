import dataclasses
import re
from datetime import date
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.test import TestCase, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from meetings.exporting import export_readout
from meetings.importing import ReadoutError, decode, parse_readout, save_readout
from meetings.models import Meeting
from relations.models import RelationsPage
from tests import factories
from tests.meetings.test_importing import fixture_text


def without_warnings(parsed):
    return dataclasses.replace(parsed, warnings=[])


def round_trip(text):
    """Import the text, export the meeting, and read the export back."""
    meeting = save_readout(parse_readout(text)).meeting
    exported, problems = export_readout(meeting)
    return meeting, exported, problems


class ExportTests(TestCase):
    def test_exporting_an_imported_reference_shaped_readout_reproduces_its_content(self):
        original = fixture_text("foreign-ministers-meeting.txt")
        _, exported, problems = round_trip(original)
        self.assertEqual(problems, [])
        self.assertEqual(
            without_warnings(parse_readout(exported)), without_warnings(parse_readout(original))
        )
        # The copy's restarted numbering comes back as the page numbers it.
        self.assertIn("  4. The two ministers concurred to strengthen economic security", exported)
        self.assertIn("  • (2) The two ministers concurred on the complete", exported)
        self.assertTrue(exported.startswith("Japan-Atlantis Relations\n\nJune 3, 2024\n"))
        self.assertTrue(exported.endswith("\nBack to Japan-Atlantis Relations\n"))

    def test_every_fixture_survives_the_round_trip(self):
        for name in ("telephone-talk.txt", "summit-meeting.txt"):
            with self.subTest(fixture=name):
                original = fixture_text(name)
                meeting, exported, _ = round_trip(original)
                again = save_readout(parse_readout(exported))
                self.assertFalse(again.created)
                self.assertEqual(again.meeting.pk, meeting.pk)
                self.assertEqual(
                    without_warnings(parse_readout(exported)),
                    without_warnings(parse_readout(original)),
                )

    def test_a_meeting_written_in_the_admin_is_exported_with_its_problems_named(self):
        meeting = factories.full_meeting(lead="The ministers met.")
        text, problems = export_readout(meeting)
        self.assertIn(f"(Photo) {meeting.title}", text)
        self.assertEqual(len(problems), 2)

    def test_the_command_finds_a_meeting_by_id_or_address(self):
        meeting = save_readout(parse_readout(fixture_text("telephone-talk.txt"))).meeting
        by_id, by_url = StringIO(), StringIO()
        call_command("export_readout", str(meeting.pk), stdout=by_id)
        call_command(
            "export_readout", f"http://example.org{meeting.get_absolute_url()}", stdout=by_url
        )
        self.assertEqual(by_id.getvalue(), by_url.getvalue())
        self.assertEqual(by_id.getvalue(), export_readout(meeting)[0])
        for wrong in ("999999", "/relations/", "/nowhere/"):
            with self.subTest(reference=wrong), self.assertRaises(CommandError):
                call_command("export_readout", wrong, stdout=StringIO())


# Generated readouts: text in the shape, from words that cannot be mistaken for structure.

WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789’“”-,;:éü",
    min_size=1,
    max_size=10,
)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
CAPITALISED = st.tuples(st.sampled_from(["Japan", "Talk", "Meeting", "Summit", "Joint"]), SENTENCE)
LINE = CAPITALISED.map(" ".join)


@st.composite
def readouts(draw):
    page_title = f"Japan-{draw(WORD)} Relations"
    day = draw(st.dates(min_value=date(1950, 1, 1), max_value=date.today()))
    title = draw(LINE)
    captions = draw(st.lists(LINE, max_size=3))
    if captions and draw(st.booleans()):
        main = draw(st.integers(0, len(captions)))
        captions = [*captions[:main], f"(Photo) {title}", *captions[main:]]
    else:
        captions = [title]
    lead = [f"On {draw(SENTENCE)}", *draw(st.lists(LINE, max_size=2))]
    items = []
    for number in range(1, draw(st.integers(0, 6)) + 1):
        items.append(f"  {number}. {draw(SENTENCE)}")
        for sub_number in range(1, draw(st.integers(0, 3)) + 1):
            items.append(f"  • ({sub_number}) {draw(SENTENCE)}")
    blocks = [
        "\n".join([page_title, "", f"{day:%B} {day.day}, {day.year}", *captions]),
        *lead,
        "\n".join(items) if items else None,
        f"Back to {page_title}",
    ]
    return "\n\n".join(block for block in blocks if block) + "\n"


class RoundTripProperty(HypothesisTestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(readouts())
    def test_importing_what_export_writes_gives_the_same_meeting(self, text):
        parsed = parse_readout(text)
        _, exported, problems = round_trip(text)
        self.assertEqual(problems, [])
        self.assertEqual(without_warnings(parse_readout(exported)), without_warnings(parsed))
        again = save_readout(parse_readout(exported))
        self.assertFalse(again.created)
        self.assertEqual(Meeting.objects.count(), 1)
        self.assertEqual(export_readout(again.meeting)[0], exported)


def import_or_report(text):
    """Import the text as the command does; a refusal is a report, anything else a failure.

    What is saved must fit its columns: SQLite would store a longer value, PostgreSQL
    would refuse it, and the test must fail on both."""
    try:
        result = save_readout(parse_readout(text))
    except ReadoutError as error:
        assert error.message
        return None
    except ValidationError as error:
        assert error.messages
        return None
    meeting = result.meeting
    saved = [
        meeting,
        RelationsPage.objects.get(pk=meeting.relations_page_id),
        *meeting.participants.all(),
        *meeting.photo_sessions.all(),
        *meeting.tags.all(),
        *(tag for item in meeting.agenda_items.all() for tag in item.tags.all()),
    ]
    for row in saved:
        for field in row._meta.concrete_fields:
            if isinstance(field, models.CharField):
                value = getattr(row, field.attname) or ""
                assert len(value) <= field.max_length, (row, field.name, len(value))
    return result


MANGLINGS = ["lengthen", "year", "number", "people", "items", "photos"]
HUGE_DIGITS = st.integers(20, 6000).map(lambda count: "9" * count)


class FuzzTests(HypothesisTestCase):
    """Garbage never raises anything but a clear ReadoutError, parsed or saved."""

    @settings(max_examples=200, deadline=None)
    @given(st.binary(max_size=2000))
    def test_any_bytes(self, data):
        try:
            text = decode(data)
        except ReadoutError as error:
            self.assertTrue(error.message)
            return
        import_or_report(text)

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=2000))
    def test_any_text(self, text):
        import_or_report(text)

    @settings(max_examples=150, deadline=None)
    @given(readouts(), st.data())
    def test_readouts_with_lines_lost_doubled_or_swapped(self, text, data):
        lines = text.split("\n")
        for _ in range(data.draw(st.integers(1, 4))):
            index = data.draw(st.integers(0, len(lines) - 1))
            action = data.draw(st.sampled_from(["drop", "double", "swap", "garble"]))
            if action == "drop":
                del lines[index]
            elif action == "double":
                lines.insert(index, lines[index])
            elif action == "swap" and index + 1 < len(lines):
                lines[index], lines[index + 1] = lines[index + 1], lines[index]
            elif action == "garble":
                lines[index] = data.draw(st.text(max_size=40))
            if not lines:
                break
        import_or_report("\n".join(lines))

    @override_settings(PORTAL_IMPORT_MAX_ITEMS=8, PORTAL_IMPORT_MAX_PHOTOS=4)
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(readouts(), st.data())
    def test_readouts_with_long_lines_huge_numbers_or_many_items_are_saved_or_reported(
        self, text, data
    ):
        lines = text.split("\n")
        for _ in range(data.draw(st.integers(1, 3))):
            action = data.draw(st.sampled_from(MANGLINGS))
            index = data.draw(st.integers(0, len(lines) - 1))
            lead = next(number for number, line in enumerate(lines) if line.startswith("On "))
            if action == "lengthen":
                lines[index] = lines[index] * data.draw(st.integers(2, 120))
            elif action == "year":
                year = data.draw(st.integers(0, 99999))
                lines = [re.sub(r", \d{4}$", f", {year:04}", line) for line in lines]
            elif action == "number":
                number = data.draw(st.one_of(st.integers(0, 10**30).map(str), HUGE_DIGITS))
                unit = data.draw(st.sampled_from(["hours", "minutes", "hour and 5 minutes"]))
                lines[lead] += f", commencing at 9 a.m. for approximately {number} {unit}"
            elif action == "people":
                name = "X" * data.draw(st.integers(1, 400))
                title = "Minister " * data.draw(st.integers(1, 60))
                place = "Canberra" * data.draw(st.integers(1, 40))
                lines[lead] += (
                    f" Mr. {name}, {title}, held a meeting with Ms. {name}, {title}, in {place}."
                )
            elif action == "items":
                count = data.draw(st.integers(1, 12))
                lines[-2:-2] = [f"  {n}. {data.draw(SENTENCE)}" for n in range(1, count + 1)]
            elif action == "photos":
                count = data.draw(st.integers(1, 6))
                lines[3:3] = [data.draw(LINE) for _ in range(count)]
        import_or_report("\n".join(lines))
