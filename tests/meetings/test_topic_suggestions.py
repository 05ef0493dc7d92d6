"""Topics detected in a meeting's texts: tagged by the importer, suggested in the admin."""

from django.test import SimpleTestCase

from meetings.importing import Vocabulary, parse_readout
from meetings.topic_detection import detect_topics, suggest_topics
from tests.meetings.test_importing import fixture_text

VOCABULARY = Vocabulary(
    topics=[
        ("North Korea", ["North Korea", "北朝鮮", "DPRK"]),
        ("China", ["China", "中国"]),
        ("Space", ["Space"]),
    ]
)


class DetectionTests(SimpleTestCase):
    def test_an_item_names_a_topic_by_a_synonym_whatever_its_case(self):
        found = detect_topics(VOCABULARY, [], [["The dprk launched a missile."]])
        self.assertEqual(found.items, [["North Korea"]])

    def test_japanese_is_found_inside_a_sentence(self):
        japanese = "両外相は北朝鮮の核・ミサイル問題について協議した。"
        found = detect_topics(VOCABULARY, [], [["", japanese]])
        self.assertEqual(found.items, [["North Korea"]])

    def test_the_meeting_names_its_own_topics_then_its_items(self):
        found = detect_topics(
            VOCABULARY, ["Japan-China Summit", "On space."], [["On the DPRK."], ["China."]]
        )
        self.assertEqual(found.meeting, ["China", "Space", "North Korea"])

    def test_a_phrase_is_not_found_across_two_fields(self):
        self.assertEqual(detect_topics(VOCABULARY, ["North", "Korea"], []).meeting, [])

    def test_topics_already_tagged_are_not_suggested_by_any_of_their_names(self):
        found = suggest_topics(
            VOCABULARY,
            (["Japan-China Summit"], ["china"]),
            [(["On the DPRK and China."], ["DPRK"]), (["Regarding China, …"], [])],
        )
        self.assertEqual(found.meeting, ["North Korea"])
        self.assertEqual(found.items, [["China"], ["China"]])

    def test_the_importer_tags_what_the_same_detection_finds(self):
        parsed = parse_readout(fixture_text("foreign-ministers-meeting.txt"), VOCABULARY)
        found = detect_topics(
            VOCABULARY, [parsed.title, parsed.lead], [[item.text] for item in parsed.agenda_items]
        )
        self.assertEqual(parsed.tags, found.meeting)
        self.assertEqual([item.tags for item in parsed.agenda_items], found.items)
        self.assertIn("China", parsed.tags)
