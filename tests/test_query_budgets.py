"""Every public page and feed runs a fixed number of SQL queries, however much content."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

# The most queries any public page or feed may run.
BUDGET = 8


class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = factories.region("Asia")
        cls.page = factories.relations_page("India", region=cls.region, slug="india")
        for _ in range(3):
            factories.relations_page(region=cls.region)

    def public_urls(self, meeting):
        return [
            reverse("meetings:home"),
            reverse("relations:index"),
            reverse("relations:detail", args=["india"]),
            reverse("meetings:archive"),
            reverse("meetings:archive-year", args=[meeting.date.year]),
            reverse("meetings:topics"),
            reverse("meetings:topic", args=["north-korea"]),
            meeting.get_absolute_url(),
            reverse("meetings:feed-rss"),
            reverse("meetings:feed-atom"),
            reverse("relations:feed-rss", args=["india"]),
            reverse("relations:feed-atom", args=["india"]),
            reverse("meetings:topic-feed-rss", args=["north-korea"]),
            reverse("meetings:topic-feed-atom", args=["north-korea"]),
            reverse("sitemap"),
        ]

    def count_queries(self, meeting):
        counts = {}
        for url in self.public_urls(meeting):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[url.replace(meeting.get_absolute_url(), "<meeting>")] = len(queries)
        return counts

    def test_query_counts_do_not_grow_with_meetings_items_photos_or_tags(self):
        small = factories.full_meeting(self.page, items=1, photos=1, tags=["North Korea"])
        factories.full_meeting(self.page, items=1, photos=0, tags=["North Korea"])
        with_two_meetings = self.count_queries(small)

        tags = ["North Korea", "G7", "China", "Space", "IPEF", "CPTPP", "APEC", "ROK"]
        big = factories.full_meeting(self.page, items=25, photos=10, tags=tags)
        for _ in range(47):
            factories.full_meeting(self.page, items=3, photos=2, tags=tags[:3])
        with_fifty_meetings = self.count_queries(big)

        self.assertEqual(with_two_meetings, with_fifty_meetings)
        for url, count in with_fifty_meetings.items():
            with self.subTest(url=url):
                self.assertLessEqual(count, BUDGET)
