"""A relations page's meetings can be filtered by year and by type, each choice with its
count; the filters are plain links, so a filtered list can be shared."""

from datetime import date, timedelta
from unittest import mock

import lxml.html
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from meetings import views, workflow
from tests import factories


class RelationsPageFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        summit, ministers, call = (
            factories.meeting_type(slug)
            for slug in ("summit-meeting", "foreign-ministers-meeting", "courtesy-call")
        )
        for title, day, kind in [
            ("Summit of 2023", date(2023, 5, 19), summit),
            ("Ministers in 2023", date(2023, 9, 1), ministers),
            ("Ministers in 2024", date(2024, 2, 1), ministers),
            ("Ministers again in 2024", date(2024, 6, 1), ministers),
            ("Summit of 2025", date(2025, 1, 10), summit),
        ]:
            factories.meeting(cls.page, title=title, date=day, meeting_type=kind)
        # Nothing the public cannot see is listed or counted, its type and year included.
        publisher = get_user_model().objects.create_user("publisher", is_superuser=True)
        hidden = [
            factories.meeting(cls.page, title="A draft", published=False, meeting_type=call),
            factories.meeting(
                cls.page,
                title="A scheduled one",
                published_at=timezone.now() + timedelta(days=1),
                meeting_type=call,
                date=date(2019, 1, 1),
            ),
            factories.meeting(
                cls.page, title="An expired one", expires_at=timezone.now(), meeting_type=call
            ),
            factories.meeting(cls.page, title="One taken down", meeting_type=call),
        ]
        workflow.take_down(hidden[-1], by=publisher, kind="in_error")

    def listing(self, **query):
        response = self.client.get(self.page.get_absolute_url(), query)
        self.assertEqual(response.status_code, 200)
        return response, lxml.html.fromstring(response.content)

    def titles(self, **query):
        _, tree = self.listing(**query)
        return tree.xpath("//ul[@class='meeting-list']//a[@class='meeting-title']/text()")

    def choices(self, heading, **query):
        """{label: count} of one filter's choices, and the chosen label."""
        _, tree = self.listing(**query)
        counts, chosen = {}, None
        for choice in tree.xpath(f"//div[@class='filter'][h3='{heading}']//li[span]"):
            if not choice.xpath("span[@class='count']"):
                continue
            label = choice.xpath("string(a|span[@aria-current])")
            counts[label] = int(choice.xpath("string(span[@class='count'])").strip("()"))
            if choice.xpath("span[@aria-current]"):
                chosen = label
        return counts, chosen

    def test_every_public_meeting_without_filters(self):
        self.assertEqual(
            self.titles(),
            [
                "Summit of 2025",
                "Ministers again in 2024",
                "Ministers in 2024",
                "Ministers in 2023",
                "Summit of 2023",
            ],
        )

    def test_a_long_history_lists_its_newest_years_whole_and_links_the_earlier_ones(self):
        with mock.patch.object(views, "MEETINGS_LISTED_AT_ONCE", 2):
            # 2025 has one meeting, 2024 two: both years, whole, reach two or more.
            self.assertEqual(
                self.titles(),
                ["Summit of 2025", "Ministers again in 2024", "Ministers in 2024"],
            )
            _, tree = self.listing()
            earlier = tree.xpath("//nav[@class='earlier-years']//a")
            self.assertEqual([(a.text, a.get("href")) for a in earlier], [("2023", "?year=2023")])
            self.assertEqual(self.titles(year="2023"), ["Ministers in 2023", "Summit of 2023"])
            # With a type chosen, the years counted are that type's; the link keeps it.
            self.assertEqual(
                self.titles(type="summit-meeting"), ["Summit of 2025", "Summit of 2023"]
            )
        with mock.patch.object(views, "MEETINGS_LISTED_AT_ONCE", 1):
            _, tree = self.listing(type="foreign-ministers-meeting")
            links = [a.get("href") for a in tree.xpath("//nav[@class='earlier-years']//a")]
            self.assertEqual(links, ["?type=foreign-ministers-meeting&year=2023"])

    def test_filtered_by_year(self):
        self.assertEqual(self.titles(year="2024"), ["Ministers again in 2024", "Ministers in 2024"])

    def test_filtered_by_type(self):
        self.assertEqual(self.titles(type="summit-meeting"), ["Summit of 2025", "Summit of 2023"])

    def test_filtered_by_both(self):
        self.assertEqual(
            self.titles(year="2023", type="foreign-ministers-meeting"), ["Ministers in 2023"]
        )

    def test_a_count_per_year_and_per_type_of_public_meetings_only(self):
        self.assertEqual(self.choices("Year"), ({"2025": 1, "2024": 2, "2023": 2}, None))
        self.assertEqual(
            self.choices("Type"), ({"Summit meeting": 2, "Foreign ministers’ meeting": 3}, None)
        )

    def test_each_filters_counts_are_within_the_other_and_the_chosen_one_is_marked(self):
        self.assertEqual(
            self.choices("Year", type="summit-meeting"), ({"2025": 1, "2023": 1}, None)
        )
        self.assertEqual(
            self.choices("Type", year="2024"), ({"Foreign ministers’ meeting": 2}, None)
        )
        self.assertEqual(
            self.choices("Year", year="2024"), ({"2025": 1, "2024": 2, "2023": 2}, "2024")
        )

    def test_a_chosen_filter_is_taken_off_by_a_link_that_keeps_the_other(self):
        _, tree = self.listing(year="2023", type="summit-meeting")
        [all_years] = tree.xpath("//a[.='All years']/@href")
        self.assertEqual(all_years, "?type=summit-meeting")
        [all_types] = tree.xpath("//a[.='All types']/@href")
        self.assertEqual(all_types, "?year=2023")

    def test_a_combination_with_no_meetings_says_so_and_offers_them_all(self):
        response, tree = self.listing(year="2025", type="foreign-ministers-meeting")
        self.assertEqual(self.titles(year="2025", type="foreign-ministers-meeting"), [])
        self.assertContains(response, "No meetings match these filters.")
        self.assertEqual(
            tree.xpath("//a[.='Show every meeting']/@href"), [self.page.get_absolute_url()]
        )

    def test_years_and_types_with_no_public_meeting_here_are_not_found(self):
        url = self.page.get_absolute_url()
        for query in (
            {"year": "2019"},  # only the scheduled meeting
            {"year": "1999"},
            {"year": "２０２４"},
            {"type": "courtesy-call"},  # only hidden meetings
            {"type": "no-such-type"},
            {"year": "2024", "type": "x" * 300},
        ):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(url, query).status_code, 404)

    def test_empty_values_are_ignored(self):
        self.assertEqual(len(self.titles(year="", type="")), 5)

    def test_the_canonical_address_keeps_the_filters_in_effect_and_nothing_else(self):
        _, tree = self.listing(type="summit-meeting", year="2023", utm_source="x")
        [canonical] = tree.xpath("//link[@rel='canonical']/@href")
        self.assertEqual(
            canonical, "http://testserver/relations/canada/?year=2023&type=summit-meeting"
        )

    def test_the_japanese_page_filters_alike(self):
        response = self.client.get(f"/ja{self.page.get_absolute_url()}", {"year": "2025"})
        self.assertContains(response, "Summit of 2025")
        self.assertNotContains(response, "Ministers in 2024")

    def test_a_page_with_one_year_and_one_type_shows_no_filters(self):
        page = factories.relations_page("Atlantis")
        factories.meeting(page, title="The only one")
        response = self.client.get(page.get_absolute_url())
        self.assertNotContains(response, 'class="filters"')
