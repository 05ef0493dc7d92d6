"""Every public page and feed runs its own fixed number of SQL queries, however much content.

Each count is pinned exactly, so one query more (or fewer) on any page shows here. The
counts are the same on SQLite and PostgreSQL, and in English and Japanese.
"""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, translate_url
from taggit.models import Tag

from meetings.models import PhotoSession, Topic
from meetings.search import indexing
from tests import factories

# Page → the queries it runs: a plain table, one row per public page and feed.
QUERIES = {
    "home": 3,
    "relations index": 3,
    "relations page": 4,
    "relations page of one year and type": 4,
    "archive": 3,
    "archive year": 3,
    "topics": 1,
    "topic": 8,
    "topic of one relations page and year": 8,
    # The related meetings: two queries list its neighbours in time (one on each side), one
    # weighs their topics, one reads those shown (without a topic in common: 10).
    "meeting": 11,
    "feed rss": 3,
    "feed atom": 3,
    "relations page feed rss": 4,
    "relations page feed atom": 4,
    "topic feed rss": 5,
    "topic feed atom": 5,
    # The index: the relations pages, dated in two grouped queries, and counted; the
    # meetings' latest publication and latest public step, and their count.
    "sitemap": 7,
    "sitemap of meetings": 2,
    "sitemap of relations pages": 4,
    # Not cached (see meetings/urls.py). One statement counts the results and each filter's
    # values and reads the page's ids; then the page's meetings, their agenda items (for
    # the passages), and the names of the relations pages, regions, types and topics.
    "search": 7,
    "search with filters": 7,
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
        # Topics with Japanese names: shown without a query per topic.
        for name, label in [("North Korea", "北朝鮮"), ("G7", "G7"), ("China", "中国")]:
            Topic.objects.create(tag=Tag.objects.create(name=name), label_ja=label)

    def public_urls(self, meeting):
        search = reverse("meetings:search")
        return {
            "home": reverse("meetings:home"),
            "relations index": reverse("relations:index"),
            "relations page": reverse("relations:detail", args=["india"]),
            "relations page of one year and type": reverse("relations:detail", args=["india"])
            + f"?year={meeting.date.year}&type=foreign-ministers-meeting",
            "archive": reverse("meetings:archive"),
            "archive year": reverse("meetings:archive-year", args=[meeting.date.year]),
            "topics": reverse("meetings:topics"),
            "topic": reverse("meetings:topic", args=["north-korea"]),
            "topic of one relations page and year": reverse("meetings:topic", args=["north-korea"])
            + f"?relations=india&year={meeting.date.year}",
            "meeting": meeting.get_absolute_url(),
            "feed rss": reverse("meetings:feed-rss"),
            "feed atom": reverse("meetings:feed-atom"),
            "relations page feed rss": reverse("relations:feed-rss", args=["india"]),
            "relations page feed atom": reverse("relations:feed-atom", args=["india"]),
            "topic feed rss": reverse("meetings:topic-feed-rss", args=["north-korea"]),
            "topic feed atom": reverse("meetings:topic-feed-atom", args=["north-korea"]),
            "sitemap": reverse("sitemap"),
            "sitemap of meetings": reverse("sitemap-section", args=["meetings"]),
            "sitemap of relations pages": reverse("sitemap-section", args=["relations"]),
            "search": f"{search}?q=item",
            "search with filters": f"{search}?q=item&region={self.region.slug}"
            f"&topic=north-korea&year={meeting.date.year}",
            "search finding nothing": f"{search}?q=zanzibar",
            "search box alone": search,
        }

    def count_queries(self, meeting, language="en"):
        """{page: queries} of every page, in English or in Japanese (/ja/…)."""
        indexing.index_missing()  # factories write meetings without their search documents
        counts = {}
        for page, url in self.public_urls(meeting).items():
            url = translate_url(url, language)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[page] = len(queries)
        return counts

    def test_each_page_runs_its_own_count_with_two_meetings_as_with_fifty(self):
        small = factories.full_meeting(self.page, items=1, photos=1, tags=["North Korea"])
        factories.full_meeting(self.page, items=1, photos=0, tags=["North Korea"])
        with_two_meetings = self.count_queries(small)
        in_japanese_with_two = self.count_queries(small, "ja")

        tags = ["North Korea", "G7", "China", "Space", "IPEF", "CPTPP", "APEC", "ROK"]
        big = factories.full_meeting(self.page, items=25, photos=10, tags=tags)
        for _ in range(47):
            factories.full_meeting(self.page, items=3, photos=2, tags=tags[:3])
        with_fifty_meetings = self.count_queries(big)
        in_japanese_with_fifty = self.count_queries(big, "ja")

        self.assertEqual(with_two_meetings, QUERIES)
        self.assertEqual(with_fifty_meetings, QUERIES)
        self.assertEqual(in_japanese_with_two, QUERIES)
        self.assertEqual(in_japanese_with_fifty, QUERIES)

    def test_a_meeting_page_runs_its_count_with_one_photo_as_with_five(self):
        """Renditions are addresses written from the photo's row: no query, no file looked at.
        Images are added here, not in setUpTestData, to land in this test's MEDIA_ROOT."""
        factories.full_meeting(self.page, title="A related meeting")
        counts = []
        for photos in (1, 5):
            meeting = factories.full_meeting(self.page, photos=0)
            for position in range(1, photos + 1):
                PhotoSession.objects.create(
                    meeting=meeting,
                    image=factories.uploaded_gif(),
                    caption=f"Photo {position}",
                    alt_text="The two ministers",
                    position=position,
                )
            factories.index_all()  # the related meeting is found through its topics' timelines
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(meeting.get_absolute_url())
            self.assertContains(response, "<picture>", count=photos)
            counts.append(len(queries))
        self.assertEqual(counts, [QUERIES["meeting"]] * 2)
