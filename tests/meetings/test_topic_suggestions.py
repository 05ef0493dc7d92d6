"""Topics detected in a meeting's texts: tagged by the importer, suggested in the admin."""

import json

from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import topics
from meetings.importing import Vocabulary, parse_readout
from meetings.models import Meeting
from meetings.topic_detection import detect_topics, suggest_topics
from tests import factories
from tests.meetings.test_admin import meeting_form
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


SUGGEST = reverse("admin:meetings_meeting_suggest_topics")


def ask(client, payload, **extra):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(SUGGEST, body, content_type="application/json", **extra)


class SuggestionEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.staff_user()
        topics.define_topic("China", "PRC")
        topics.define_topic("North Korea", "DPRK")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_it_suggests_for_the_meeting_and_each_item_what_is_not_tagged_yet(self):
        response = ask(
            self.client,
            {
                "meeting": {"texts": ["Japan-Atlantis Summit", "On the PRC."], "tags": "G7"},
                "items": [
                    {"texts": ["Regarding China, they agreed.", ""], "tags": ""},
                    {"texts": ["On the DPRK.", ""], "tags": "north korea"},
                ],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(), {"meeting": ["China", "North Korea"], "items": [["China"], []]}
        )

    def test_only_staff_who_may_add_or_change_meetings_are_answered(self):
        payload = {"meeting": {"texts": ["China"], "tags": ""}, "items": []}
        self.client.logout()
        self.assertEqual(ask(self.client, payload).status_code, 302)  # to the admin's login
        reader = factories.staff_user("reader", superuser=False)
        self.client.force_login(reader)
        self.assertEqual(ask(self.client, payload).status_code, 403)
        reader.user_permissions.add(Permission.objects.get(codename="add_meeting"))
        self.client.force_login(reader)
        self.assertEqual(ask(self.client, payload).json()["meeting"], ["China"])

    def test_it_needs_the_csrf_token_the_page_carries(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.editor)
        payload = {"meeting": {"texts": ["China"], "tags": ""}}
        self.assertEqual(ask(client, payload).status_code, 403)
        page = client.get(reverse("admin:meetings_meeting_add"))
        token = page.context["csrf_token"]
        self.assertEqual(ask(client, payload, HTTP_X_CSRFTOKEN=str(token)).status_code, 200)

    def test_bad_input_is_refused_with_400(self):
        for payload in [
            "not json",
            "[1, 2]",
            "[" * 100_000,
            {"meeting": "China"},
            {"meeting": {"texts": "China"}},
            {"meeting": {"texts": [1]}},
            {"meeting": {"texts": ["a"] * 5}},
            {"meeting": {"texts": [], "tags": ["China"]}},
            {"items": {"texts": []}},
            {"items": [{"texts": []}] * 1000},
            {"items": [None]},
        ]:
            with self.subTest(payload=str(payload)[:40]):
                response = ask(self.client, payload)
                self.assertEqual(response.status_code, 400)
                self.assertIn("error", response.json())

    def test_only_post_is_answered(self):
        self.assertEqual(self.client.get(SUGGEST).status_code, 405)

    def test_it_runs_the_same_few_queries_however_many_items_and_topics(self):
        def queries(items):
            with CaptureQueriesContext(connection) as captured:
                ask(self.client, {"meeting": {"texts": ["China"]}, "items": items})
            return len(captured)

        few = queries([{"texts": ["China"]}])
        for index in range(20):
            topics.define_topic(f"Topic {index}", f"synonym {index}")
        many = queries([{"texts": ["China and the DPRK"], "tags": "dprk"}] * 50)
        # The session, the user, whether the user has a second factor, the vocabulary.
        self.assertEqual((few, many), (4, 4))


class SuggestionsInTheAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.staff_user()
        cls.page = factories.relations_page("Atlantis")
        topics.define_topic("China", "中国")

    def setUp(self):
        self.client.force_login(self.editor)

    def change_url(self, meeting):
        return reverse("admin:meetings_meeting_change", args=[meeting.pk])

    def test_saving_suggests_the_topics_it_names_without_tagging_them(self):
        form = meeting_form(
            self.client,
            self.page,
            tags="",
            items=[
                ("They discussed regional issues.", False, ""),
                ("Regarding China, they shared concerns.", True, ""),
            ],
        )
        response = form.submit(self.client, "_continue", follow=True)
        meeting = Meeting.objects.get()
        self.assertEqual(list(meeting.tags.all()), [])
        self.assertEqual([list(item.tags.all()) for item in meeting.agenda_items.all()], [[], []])
        self.assertContains(
            response,
            "Suggested topics not accepted yet — the meeting: China; item 1 (1): China.",
        )
        # Beside the tags of the meeting and of the sub-item, where the editor accepts them.
        suggested = (
            '<div class="topic-suggestions"><span>Suggested topics:</span> '
            '<span class="suggested-topic">China</span></div>'
        )
        self.assertContains(response, suggested, count=2, html=True)

    def test_an_editor_accepts_a_suggestion_and_the_meeting_is_on_the_topic_page(self):
        meeting = factories.meeting(self.page, published=False, title="Japan-Atlantis Talks")
        meeting.agenda_items.create(text="Regarding China, they shared concerns.", position=1)
        form = meeting_form(self.client, meeting=meeting)
        self.assertIn("China", form.element.text_content())
        form.set("agenda_items-0-tags", "China").set("tags", "China")
        response = form.submit(self.client, "_continue", follow=True)
        self.assertNotContains(response, "Suggested topics")
        self.assertEqual([t.name for t in meeting.agenda_items.get().tags.all()], ["China"])

        from meetings import workflow

        workflow.publish(meeting, by=workflow.SITE)
        topic_page = self.client.get(reverse("meetings:topic", args=["china"]))
        self.assertContains(topic_page, "Regarding China, they shared concerns.")

    def test_a_topic_the_editor_removed_does_not_come_back_on_saving(self):
        meeting = factories.meeting(self.page, published=False, tags=[])
        item = meeting.agenda_items.create(text="On China.", position=1)
        item.tags.add("China")
        form = meeting_form(self.client, meeting=meeting)
        self.assertEqual(form.get("agenda_items-0-tags"), "China")
        form.set("agenda_items-0-tags", "")
        form.submit(self.client, "_save")
        self.assertEqual(list(item.tags.all()), [])
        form = meeting_form(self.client, meeting=meeting)
        form.submit(self.client, "_save")
        self.assertEqual(list(item.tags.all()), [])

    def test_a_form_sent_back_with_errors_suggests_for_what_was_typed(self):
        form = meeting_form(
            self.client, self.page, duration="about lunchtime", lead="On China, they met."
        )
        response = form.submit(self.client)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<span class="suggested-topic">China</span>', html=True)

    def test_the_page_brings_the_script_and_a_polite_status_region(self):
        response = self.client.get(reverse("admin:meetings_meeting_add"))
        self.assertContains(response, "admin/topic_suggestions.js")
        self.assertContains(
            response,
            f'<div id="topic-suggestions-status" class="visually-hidden" role="status" '
            f'aria-live="polite" data-url="{SUGGEST}"></div>',
            html=True,
        )
