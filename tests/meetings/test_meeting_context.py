"""A meeting's page leads to the meetings before and after it with the same counterpart, and
to the meetings that share its topics; only ever to public ones."""

from datetime import date, time, timedelta
from unittest import mock

import lxml.html
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from meetings import workflow
from tests import factories


def hidden_meetings(page, on, *, tags=()):
    """A draft, a scheduled, an expired and a taken-down meeting, all on that date."""
    publisher = get_user_model().objects.get_or_create(username="publisher", is_superuser=True)[0]
    hidden = [
        factories.meeting(page, title="A draft", published=False, date=on, tags=tags),
        factories.meeting(
            page,
            title="A scheduled one",
            published_at=timezone.now() + timedelta(days=1),
            date=on,
            tags=tags,
        ),
        factories.meeting(
            page, title="An expired one", expires_at=timezone.now(), date=on, tags=tags
        ),
        factories.meeting(page, title="One taken down", date=on, tags=tags),
    ]
    workflow.take_down(hidden[-1], by=publisher, kind="in_error")
    return hidden


class MeetingPage:
    def __init__(self, response):
        self.response = response
        self.tree = lxml.html.fromstring(response.content)

    def link(self, css_class):
        found = self.tree.xpath(f"//nav[@class='meeting-sequence']//li[@class='{css_class}']/a")
        return (found[0].text, found[0].get("href")) if found else None

    @property
    def previous(self):
        return self.link("previous-meeting")

    @property
    def next(self):
        return self.link("next-meeting")

    @property
    def related(self):
        return self.tree.xpath(
            "//section[@class='related-meetings']//a[@class='meeting-title']/text()"
        )


class PreviousAndNextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Canada", slug="canada")
        cls.first = factories.meeting(cls.page, title="January", date=date(2023, 1, 10))
        cls.morning = factories.meeting(
            cls.page, title="March, morning", date=date(2023, 3, 1), start_time=time(9)
        )
        cls.evening = factories.meeting(
            cls.page, title="March, evening", date=date(2023, 3, 1), start_time=time(18)
        )
        cls.last = factories.meeting(cls.page, title="May", date=date(2023, 5, 1))
        # Another counterpart's meeting in between is not in this sequence.
        factories.meeting(factories.relations_page("India"), title="India", date=date(2023, 2, 1))
        hidden_meetings(cls.page, date(2023, 2, 1))
        hidden_meetings(cls.page, date(2023, 4, 1))

    def page_of(self, meeting, prefix=""):
        response = self.client.get(prefix + meeting.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return MeetingPage(response)

    def test_each_meeting_leads_to_the_public_ones_just_before_and_after_it(self):
        expected = [
            (self.first, None, self.morning),
            (self.morning, self.first, self.evening),
            (self.evening, self.morning, self.last),
            (self.last, self.evening, None),
        ]
        for meeting, previous, following in expected:
            with self.subTest(meeting=meeting.title):
                page = self.page_of(meeting)
                self.assertEqual(
                    page.previous, previous and (previous.title, previous.get_absolute_url())
                )
                self.assertEqual(
                    page.next, following and (following.title, following.get_absolute_url())
                )

    def test_meetings_of_one_day_without_a_start_time_follow_the_order_they_were_entered(self):
        day = date(2023, 7, 1)
        one, two = (factories.meeting(self.page, title=t, date=day) for t in ("One", "Two"))
        self.assertEqual(self.page_of(one).next, ("Two", two.get_absolute_url()))
        self.assertEqual(self.page_of(two).previous, ("One", one.get_absolute_url()))

    def test_the_japanese_page_leads_to_the_japanese_pages(self):
        page = self.page_of(self.morning, "/ja")
        self.assertEqual(page.previous[1], f"/ja{self.first.get_absolute_url()}")

    def test_a_meeting_alone_on_its_page_shows_no_sequence(self):
        alone = factories.meeting(factories.relations_page("Atlantis"))
        self.assertEqual(self.page_of(alone).tree.xpath("//nav[@class='meeting-sequence']"), [])


class RelatedMeetingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        canada, india = factories.relations_page("Canada"), factories.relations_page("India")
        cls.meeting = factories.meeting(canada, title="This one", tags=["G7", "Space"])
        item = factories.agenda(cls.meeting, "On North Korea.")[0]
        item.tags.add("North Korea")
        cls.two_in_common = factories.meeting(
            india, title="Two in common", date=date(2023, 1, 1), tags=["G7", "Space"]
        )
        cls.through_an_item = factories.meeting(
            india, title="Two in common, one through an item", date=date(2022, 1, 1), tags=["G7"]
        )
        factories.agenda(cls.through_an_item, "North Korea.")[0].tags.add("North Korea")
        cls.one_newer = factories.meeting(
            canada, title="One in common, newer", date=date(2024, 1, 1), tags=["Space"]
        )
        cls.one_older = factories.meeting(
            canada, title="One in common, older", date=date(2021, 1, 1), tags=["Space"]
        )
        cls.beyond = factories.meeting(
            canada, title="One in common, oldest", date=date(2020, 1, 1), tags=["G7"]
        )
        factories.meeting(canada, title="Nothing in common", tags=["Trade"])
        hidden_meetings(india, date(2024, 5, 1), tags=["G7", "Space", "North Korea"])
        factories.index_all()  # the topics' timelines, which related meetings are read from

    def related(self, meeting):
        return MeetingPage(self.client.get(meeting.get_absolute_url())).related

    def test_the_meetings_sharing_most_topics_first_then_the_newest_and_only_public_ones(self):
        self.assertEqual(
            self.related(self.meeting),
            [
                "Two in common",
                "Two in common, one through an item",
                "One in common, newer",
                "One in common, older",
            ],
        )

    def test_a_meeting_with_no_topic_in_common_shows_none(self):
        alone = factories.meeting(title="Alone", tags=["Whaling"])
        page = MeetingPage(self.client.get(alone.get_absolute_url()))
        self.assertEqual(page.tree.xpath("//section[@class='related-meetings']"), [])


class RelatedMeetingsAmongNeighboursTests(TestCase):
    """Related meetings are weighed among the public meetings nearest in date on either side,
    so that a meeting page costs the same in an archive of 50,000 as of 50."""

    def test_a_meeting_beyond_the_neighbours_weighed_is_not_related_however_much_it_shares(
        self,
    ):
        page = factories.relations_page("Canada")
        shared = ["G7", "Space", "Quad"]
        factories.meeting(page, title="Far back, all in common", date=date(2001, 1, 1), tags=shared)
        meeting = factories.meeting(page, title="This one", date=date(2020, 6, 1), tags=shared)
        factories.meeting(page, title="Just before", date=date(2020, 5, 1), tags=["G7"])
        factories.meeting(page, title="Before that", date=date(2020, 4, 1), tags=["Trade"])
        factories.meeting(page, title="Just after", date=date(2020, 7, 1), tags=["Quad", "Space"])
        factories.meeting(page, title="After that", date=date(2020, 8, 1), tags=["Trade"])
        factories.index_all()
        with mock.patch("meetings.related.NEIGHBOURS_WEIGHED", 2):
            related = MeetingPage(self.client.get(meeting.get_absolute_url())).related
        self.assertEqual(related, ["Just after", "Just before"])
        with mock.patch("meetings.related.NEIGHBOURS_WEIGHED", 3):
            related = MeetingPage(self.client.get(meeting.get_absolute_url())).related
        self.assertEqual(related, ["Far back, all in common", "Just after", "Just before"])
