"""Every public page and feed runs its own fixed number of SQL queries, however much content.

Each count is pinned exactly, so one query more (or fewer) on any page shows here. The
counts are the same on SQLite and PostgreSQL.
"""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meetings.search import indexing
from tests import factories

# Page → the queries it runs: a plain table, one row per public page and feed.
QUERIES = {
    "home": 3,
    "relations index": 3,
    "relations page": 2,
    "archive": 3,
    "archive year": 3,
    "topics": 1,
    "topic": 6,
    "meeting": 6,
    "feed rss": 3,
    "feed atom": 3,
    "relations page feed rss": 4,
    "relations page feed atom": 4,
    "topic feed rss": 5,
    "topic feed atom": 5,
    "sitemap": 4,
    # Not cached (see meetings/urls.py). One statement counts the results and each filter's
    # values and reads the page's ids; then the page's meetings, their agenda items (for
    # the passages), and the names of the relations pages, regions, types and topics.
    "search": 7,
    "search with filters": 7,
    "search in Japanese": 7,
    "search finding nothing": 1,
    "search box alone": 0,
}


class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = factories.region("Asia")
        cls.page = factories.relations_page("India", region=cls.region, slug="india")
        for _ in range(3):
            factories.relations_page(region=cls.region)

    def public_urls(self, meeting):
        search = reverse("meetings:search")
        with translation.override("ja"):
            search_in_japanese = reverse("meetings:search")
        return {
            "home": reverse("meetings:home"),
            "relations index": reverse("relations:index"),
            "relations page": reverse("relations:detail", args=["india"]),
            "archive": reverse("meetings:archive"),
            "archive year": reverse("meetings:archive-year", args=[meeting.date.year]),
            "topics": reverse("meetings:topics"),
            "topic": reverse("meetings:topic", args=["north-korea"]),
            "meeting": meeting.get_absolute_url(),
            "feed rss": reverse("meetings:feed-rss"),
            "feed atom": reverse("meetings:feed-atom"),
            "relations page feed rss": reverse("relations:feed-rss", args=["india"]),
            "relations page feed atom": reverse("relations:feed-atom", args=["india"]),
            "topic feed rss": reverse("meetings:topic-feed-rss", args=["north-korea"]),
            "topic feed atom": reverse("meetings:topic-feed-atom", args=["north-korea"]),
            "sitemap": reverse("sitemap"),
            "search": f"{search}?q=item",
            "search with filters": f"{search}?q=item&region={self.region.slug}"
            f"&topic=north-korea&year={meeting.date.year}",
            "search in Japanese": f"{search_in_japanese}?q=item",
            "search finding nothing": f"{search}?q=zanzibar",
            "search box alone": search,
        }

    def count_queries(self, meeting):
        indexing.index_missing()  # factories write meetings without their search documents
        counts = {}
        for page, url in self.public_urls(meeting).items():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[page] = len(queries)
        return counts

    def test_each_page_runs_its_own_count_with_two_meetings_as_with_fifty(self):
        small = factories.full_meeting(self.page, items=1, photos=1, tags=["North Korea"])
        factories.full_meeting(self.page, items=1, photos=0, tags=["North Korea"])
        with_two_meetings = self.count_queries(small)

        tags = ["North Korea", "G7", "China", "Space", "IPEF", "CPTPP", "APEC", "ROK"]
        big = factories.full_meeting(self.page, items=25, photos=10, tags=tags)
        for _ in range(47):
            factories.full_meeting(self.page, items=3, photos=2, tags=tags[:3])
        with_fifty_meetings = self.count_queries(big)

        self.assertEqual(with_two_meetings, QUERIES)
        self.assertEqual(with_fifty_meetings, QUERIES)
