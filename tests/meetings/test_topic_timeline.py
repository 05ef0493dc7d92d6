"""A topic's page reads as a timeline of the agenda items on it across every relations page,
newest first, filterable by relations page and year, with the topics that go with it."""

from datetime import date, timedelta
from unittest import mock

import lxml.html
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from meetings import views, workflow
from meetings.models import Topic
from meetings.search import indexing
from tests import factories

TOPIC = reverse("meetings:topic", args=["north-korea"])


def tagged(item, *names):
    item.tags.add(*names)
    return item


class TimelineTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.india = factories.relations_page("India", slug="india")
        cls.canada = factories.relations_page("Canada", slug="canada")

        cls.in_2023 = factories.meeting(
            cls.india, title="Japan-India Summit Meeting", date=date(2023, 5, 19)
        )
        first, _, sub_item = factories.agenda(
            cls.in_2023,
            "The two leaders condemned North Korea’s missile launches.",
            "Trade and investment.",
            "- They called on North Korea to abandon its nuclear programme.",
        )
        tagged(first, "North Korea", "Missiles")
        tagged(sub_item, "North Korea")

        cls.in_2024 = factories.meeting(
            cls.canada,
            title="Japan-Canada Foreign Ministers’ Meeting",
            date=date(2024, 3, 1),
            tags=["North Korea", "G7"],
        )
        _, item = factories.agenda(cls.in_2024, "The G7 presidency.", "On North Korea.")
        tagged(item, "North Korea", "G7")

        # Tagged as a whole (its lead names the topic), none of its items is.
        cls.as_a_whole = factories.meeting(
            cls.india,
            title="Japan-India Telephone Talk",
            date=date(2024, 6, 1),
            lead="The ministers spoke about North Korea by telephone.",
            tags=["North Korea"],
        )
        factories.agenda(cls.as_a_whole, "Bilateral relations.")

        cls.hidden = [
            factories.meeting(cls.india, title="A draft", published=False),
            factories.meeting(
                cls.india, title="A scheduled one", published_at=timezone.now() + timedelta(1)
            ),
            factories.meeting(cls.india, title="An expired one", expires_at=timezone.now()),
            factories.meeting(cls.canada, title="One taken down"),
        ]
        for meeting in cls.hidden:
            meeting.tags.add("North Korea", "Hidden topic")
            item = factories.agenda(meeting, f"{meeting.title} on North Korea.")[0]
            tagged(item, "North Korea", "Hidden topic")
        workflow.take_down(cls.hidden[-1], by=factories.staff_user("publisher"), kind="in_error")
        indexing.index_missing()  # factories write meetings without their search documents

    def timeline(self, **query):
        response = self.client.get(TOPIC, query)
        self.assertEqual(response.status_code, 200)
        return response, lxml.html.fromstring(response.content)

    def entries(self, **query):
        """(quote, source link text, its address, date, counterpart) of each entry shown."""
        _, tree = self.timeline(**query)
        return [
            (
                " ".join(entry.xpath("string(blockquote)").split()),
                entry.xpath("string(.//p[@class='timeline-source']/a)"),
                entry.xpath("string(.//p[@class='timeline-source']/a/@href)"),
                entry.xpath("string(.//time/@datetime)"),
                entry.xpath("string(.//p[@class='timeline-meta']/a)"),
            )
            for entry in tree.xpath("//ol[@class='timeline']/li[blockquote]")
        ]

    def choices(self, heading, **query):
        """{label: count} of one filter's choices, and the chosen label."""
        _, tree = self.timeline(**query)
        [filter_list] = tree.xpath(f"//div[@class='filter'][h2='{heading}']/ul")
        counts, chosen = {}, None
        for choice in filter_list.xpath("li[span[@class='count']]"):
            label = choice.xpath("string(a|span[@aria-current])")
            counts[label] = int(choice.xpath("string(span[@class='count'])").strip("()"))
            if choice.xpath("span[@aria-current]"):
                chosen = label
        return counts, chosen


class TimelineTests(TimelineTestCase):
    def test_every_item_on_the_topic_newest_first_quoted_with_its_meeting_date_and_counterpart(
        self,
    ):
        summit = self.in_2023.get_absolute_url()
        talk = self.in_2024.get_absolute_url()
        self.assertEqual(
            self.entries(),
            [
                (
                    "The ministers spoke about North Korea by telephone.",
                    "Japan-India Telephone Talk",
                    self.as_a_whole.get_absolute_url(),
                    "2024-06-01",
                    "India",
                ),
                (
                    "On North Korea.",
                    "Japan-Canada Foreign Ministers’ Meeting, item 2",
                    f"{talk}#item-2",
                    "2024-03-01",
                    "Canada",
                ),
                (
                    "The two leaders condemned North Korea’s missile launches.",
                    "Japan-India Summit Meeting, item 1",
                    f"{summit}#item-1",
                    "2023-05-19",
                    "India",
                ),
                (
                    "They called on North Korea to abandon its nuclear programme.",
                    "Japan-India Summit Meeting, item 2 (1)",
                    f"{summit}#item-2-1",
                    "2023-05-19",
                    "India",
                ),
            ],
        )

    def test_the_anchors_lead_to_the_items_on_the_meetings_page(self):
        meeting_page = lxml.html.fromstring(
            self.client.get(self.in_2023.get_absolute_url()).content
        )
        for *_, address, _, _ in self.entries(relations="india", year="2023"):
            anchor = address.partition("#")[2]
            with self.subTest(anchor=anchor):
                self.assertEqual(len(meeting_page.xpath(f"//li[@id='{anchor}']")), 1)

    def test_drafts_scheduled_expired_and_taken_down_meetings_never_appear(self):
        response, _ = self.timeline()
        for meeting in self.hidden:
            self.assertNotContains(response, meeting.title)
        self.assertEqual(len(self.entries()), 4)
        self.assertNotContains(response, "Hidden topic")

    def test_a_topic_only_hidden_meetings_carry_has_no_page(self):
        url = reverse("meetings:topic", args=["hidden-topic"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_in_japanese_items_are_quoted_in_japanese_where_written(self):
        item = self.in_2024.agenda_items.get(position=2)
        item.text_ja = "北朝鮮について。"
        item.save()
        response = self.client.get(f"/ja{TOPIC}")
        self.assertContains(response, "北朝鮮について。")
        self.assertContains(response, f"/ja{self.in_2024.get_absolute_url()}#item-2")


class FilterTests(TimelineTestCase):
    def test_filtered_by_relations_page(self):
        entries = self.entries(relations="canada")
        self.assertEqual(
            [entry[1] for entry in entries], ["Japan-Canada Foreign Ministers’ Meeting, item 2"]
        )

    def test_filtered_by_year(self):
        entries = self.entries(year="2023")
        self.assertEqual({entry[3] for entry in entries}, {"2023-05-19"})
        self.assertEqual(len(entries), 2)

    def test_filtered_by_both(self):
        entries = self.entries(relations="india", year="2024")
        self.assertEqual([entry[1] for entry in entries], ["Japan-India Telephone Talk"])

    def test_each_year_and_relations_page_shows_its_count(self):
        self.assertEqual(self.choices("Year"), ({"2024": 2, "2023": 2}, None))
        self.assertEqual(self.choices("Country or region"), ({"Canada": 1, "India": 3}, None))

    def test_counts_are_within_the_other_filter_and_the_chosen_one_is_marked(self):
        self.assertEqual(self.choices("Year", relations="india"), ({"2024": 1, "2023": 2}, None))
        self.assertEqual(self.choices("Country or region", year="2023"), ({"India": 2}, None))
        self.assertEqual(self.choices("Year", year="2023"), ({"2024": 2, "2023": 2}, "2023"))

    def test_a_chosen_filter_can_be_taken_off_and_the_other_is_kept(self):
        _, tree = self.timeline(relations="india", year="2023")
        [all_years] = tree.xpath("//div[@class='filter'][h2='Year']//a[.='All years']/@href")
        self.assertEqual(all_years, "?relations=india")
        [other_year] = tree.xpath("//div[@class='filter'][h2='Year']//a[.='2024']/@href")
        self.assertEqual(other_year, "?relations=india&year=2024")

    def test_a_combination_with_nothing_to_show_says_so(self):
        response, _ = self.timeline(relations="canada", year="2023")
        self.assertEqual(self.entries(relations="canada", year="2023"), [])
        self.assertContains(response, "Nothing on this topic matches these filters.")

    def test_values_that_name_no_choice_are_not_found_and_empty_ones_ignored(self):
        for query in (
            {"year": "1999"},
            {"year": "２０２３"},
            {"year": "2023.0"},
            {"relations": "atlantis"},
            {"relations": "india", "year": "x" * 300},
        ):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(TOPIC, query).status_code, 404)
        self.assertEqual(len(self.entries(year="", relations="")), 4)

    def test_pages_of_a_filtered_timeline_keep_the_filters(self):
        with mock.patch.object(views.TopicDetailView, "paginate_by", 1):
            _, tree = self.timeline(relations="india", utm_source="mail")
            [older] = tree.xpath("//nav[@class='pagination']/a[@rel='next']/@href")
            self.assertIn("relations=india", older)
            self.assertIn("page=2", older)
            _, tree = self.timeline(relations="india", page="2")
            [canonical] = tree.xpath("//link[@rel='canonical']/@href")
            self.assertEqual(canonical, f"http://testserver{TOPIC}?relations=india&page=2")

    def test_the_canonical_address_keeps_the_filters_in_effect_only(self):
        _, tree = self.timeline(year="2023", relations="", utm_campaign="x")
        [canonical] = tree.xpath("//link[@rel='canonical']/@href")
        self.assertEqual(canonical, f"http://testserver{TOPIC}?year=2023")


class RelatedTopicsTests(TimelineTestCase):
    def test_the_topics_that_go_with_it_most_on_public_meetings_and_items(self):
        _, tree = self.timeline()
        related = tree.xpath("//section[h2='Related topics']//a/text()")
        # G7: on the 2024 meeting and its item; Missiles: on one item of 2023.
        self.assertEqual(related, ["G7", "Missiles"])
        self.assertEqual(
            tree.xpath("//section[h2='Related topics']//a/@href")[0],
            reverse("meetings:topic", args=["g7"]),
        )

    def test_the_company_it_keeps_is_weighed_on_its_most_recent_meetings(self):
        """So that a topic on 50,000 meetings costs what one on five does."""
        with mock.patch("meetings.timeline.RECENT_MEETINGS_WEIGHED", 1):
            # The newest, the telephone talk of June 2024, carries North Korea alone.
            self.assertEqual(self.related_topics(), [])
        with mock.patch("meetings.timeline.RECENT_MEETINGS_WEIGHED", 2):
            self.assertEqual(self.related_topics(), ["G7"])

    def related_topics(self):
        _, tree = self.timeline()
        return tree.xpath("//section[h2='Related topics']//a/text()")


class TopicNamesTests(TimelineTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name, label in [("North Korea", "北朝鮮"), ("G7", "G7（主要7か国）")]:
            Topic.objects.create(tag=Tag.objects.get(name=name), label_ja=label)

    def test_japanese_pages_name_topics_as_the_editors_wrote_them_in_japanese(self):
        response = self.client.get(f"/ja{TOPIC}")
        self.assertContains(response, "<h1>北朝鮮</h1>", html=True)
        self.assertContains(response, "G7（主要7か国）")
        self.assertContains(self.client.get("/ja/topics/"), "北朝鮮")
        self.assertContains(self.client.get(f"/ja{self.in_2024.get_absolute_url()}"), "北朝鮮")

    def test_english_pages_keep_the_tags_name(self):
        response = self.client.get(TOPIC)
        self.assertContains(response, "<h1>North Korea</h1>", html=True)
        self.assertNotContains(response, "北朝鮮")
