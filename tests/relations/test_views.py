from datetime import date, timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests import factories


class RelationsIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        asia = factories.region("Asia", position=1)
        europe = factories.region("Europe", position=2)
        cls.india = factories.relations_page("India", region=asia)
        cls.france = factories.relations_page("France", region=europe)
        cls.unassigned = factories.relations_page("Atlantis")

    def test_pages_are_grouped_by_region_in_the_editors_order(self):
        response = self.client.get(reverse("relations:index"))
        content = response.content.decode()
        self.assertLess(content.index(">Asia<"), content.index("Japan-India Relations"))
        self.assertLess(content.index("Japan-India Relations"), content.index(">Europe<"))
        self.assertLess(content.index(">Europe<"), content.index("Japan-France Relations"))

    def test_pages_without_a_region_are_listed_under_other(self):
        response = self.client.get(reverse("relations:index"))
        content = response.content.decode()
        self.assertLess(content.index(">Other<"), content.index("Japan-Atlantis Relations"))


class RelationsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page(
            "Canada", introduction="First paragraph.\n\nSecond paragraph."
        )
        factories.meeting(cls.page, title="Talk in 2024", date=date(2024, 3, 1))
        factories.meeting(cls.page, title="Meeting in 2025", date=date(2025, 1, 10))
        factories.meeting(cls.page, title="Earlier in 2025", date=date(2025, 1, 5))
        factories.meeting(cls.page, title="Draft meeting", published=False)
        factories.meeting(
            cls.page, title="Scheduled meeting", published_at=timezone.now() + timedelta(days=2)
        )

    def test_introduction_and_meetings_grouped_by_year_newest_first(self):
        response = self.client.get(self.page.get_absolute_url())
        self.assertContains(response, "<p>First paragraph.</p>", html=True)
        self.assertContains(response, "<p>Second paragraph.</p>", html=True)
        content = response.content.decode()
        order = [
            "<h3>2025</h3>",
            "Meeting in 2025",
            "Earlier in 2025",
            "<h3>2024</h3>",
            "Talk in 2024",
        ]
        positions = [content.index(text) for text in order]
        self.assertEqual(positions, sorted(positions))

    def test_drafts_and_scheduled_meetings_are_not_listed(self):
        response = self.client.get(self.page.get_absolute_url())
        self.assertNotContains(response, "Draft meeting")
        self.assertNotContains(response, "Scheduled meeting")

    def test_each_listed_meeting_shows_date_and_type(self):
        response = self.client.get(self.page.get_absolute_url())
        self.assertContains(response, '<time datetime="2024-03-01">March 1, 2024</time>', html=True)
        self.assertContains(response, "Foreign ministers’ meeting")

    def test_each_listed_meeting_links_to_its_own_address_in_both_languages(self):
        meetings = Meeting.objects.published().filter(relations_page=self.page)
        for prefix in ("", "/ja"):
            response = self.client.get(prefix + self.page.get_absolute_url())
            for meeting in meetings:
                with self.subTest(prefix=prefix, meeting=meeting.title):
                    self.assertContains(
                        response, f'href="{prefix}{meeting.get_absolute_url()}"', count=1
                    )

    def test_announces_its_feeds(self):
        response = self.client.get(self.page.get_absolute_url())
        self.assertContains(
            response,
            f'<link rel="alternate" type="application/atom+xml" title="{self.page.title} (Atom)" '
            f'href="{reverse("relations:feed-atom", args=[self.page.slug])}">',
        )

    def test_unknown_page_is_not_found(self):
        self.assertEqual(self.client.get("/relations/no-such-country/").status_code, 404)
