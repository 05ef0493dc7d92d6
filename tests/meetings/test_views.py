from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings.models import PhotoSession
from tests import factories


class MeetingPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page(
            "United States of America", title="Japan-United States of America Relations"
        )
        cls.meeting = factories.meeting(
            cls.page,
            title="Japan-U.S. Foreign Ministers’ Meeting",
            date=date(2023, 5, 19),
            lead="On May 19, the ministers met.\n\nThe overview of the meeting is as follows.",
            start_time=timezone.datetime(2023, 5, 19, 17, 45).time(),
            duration=timedelta(minutes=45),
            tags=["North Korea"],
        )
        factories.agenda(cls.meeting, "First.", "Second.", "- Sub one.", "- Sub two.", "Third.")
        PhotoSession.objects.create(
            meeting=cls.meeting, caption="Photo session before the meeting", position=1
        )

    def get(self):
        return self.client.get(self.meeting.get_absolute_url())

    def test_shows_title_date_lead_and_facts(self):
        response = self.get()
        self.assertContains(response, "<h1>Japan-U.S. Foreign Ministers’ Meeting</h1>", html=True)
        self.assertContains(response, '<time datetime="2023-05-19">May 19, 2023</time>', html=True)
        self.assertContains(response, "<p>On May 19, the ministers met.</p>", html=True)
        self.assertContains(response, "From 5:45 p.m., approximately 45 minutes")

    def test_overview_is_nested_ordered_lists(self):
        def item(anchor, text, label):
            return (
                f'<li id="{anchor}"><p>{text} <a class="item-link" href="#{anchor}" '
                f'title="Link to this item"><span aria-hidden="true">#</span>'
                f'<span class="visually-hidden">Link to item {label}</span></a></p>'
            )

        response = self.get()
        self.assertContains(
            response,
            f"""<ol class="agenda">
              {item("item-1", "First.", "1")}</li>
              {item("item-2", "Second.", "2")}
                <ol class="sub-items">
                  {item("item-2-1", "Sub one.", "2 (1)")}</li>
                  {item("item-2-2", "Sub two.", "2 (2)")}</li>
                </ol>
              </li>
              {item("item-3", "Third.", "3")}</li>
            </ol>""",
            html=True,
        )

    def test_a_photo_caption_waiting_for_its_image_is_left_out(self):
        response = self.get()
        self.assertNotContains(response, "<figure")
        self.assertNotContains(response, "Photo session before the meeting")

    def test_a_photo_shows_with_its_alt_text_and_caption(self):
        meeting = factories.meeting(self.page)
        PhotoSession.objects.create(
            meeting=meeting,
            caption="Handshake",
            alt_text="Two ministers shake hands",
            image=SimpleUploadedFile("handshake.gif", factories.GIF_1PX),
        )
        response = self.client.get(meeting.get_absolute_url())
        self.assertContains(response, 'alt="Two ministers shake hands"')
        self.assertContains(response, 'width="1" height="1"')
        self.assertContains(response, "Handshake", count=1)

    def test_tags_link_to_topic_pages_and_the_page_links_back(self):
        response = self.get()
        self.assertContains(
            response, f'<a href="{reverse("meetings:topic", args=["north-korea"])}">North Korea</a>'
        )
        self.assertContains(
            response,
            f'<p class="back-link"><a href="{self.page.get_absolute_url()}">'
            "Back to Japan-United States of America Relations</a></p>",
            html=True,
        )

    def test_breadcrumbs_and_landmarks(self):
        response = self.get()
        self.assertContains(response, '<nav class="breadcrumbs" aria-label="Breadcrumb">')
        self.assertContains(response, '<main id="content"')
        self.assertContains(response, '<a class="skip-link" href="#content">')

    def test_drafts_and_scheduled_meetings_are_not_found(self):
        draft = factories.meeting(self.page, published=False)
        scheduled = factories.meeting(self.page, published_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(scheduled.get_absolute_url()).status_code, 404)

    def test_a_wrong_date_or_page_in_the_address_is_not_found(self):
        url = self.meeting.get_absolute_url()
        self.assertEqual(self.client.get(url.replace("/19/", "/20/")).status_code, 404)
        self.assertEqual(self.client.get(url.replace("/05/", "/13/")).status_code, 404)
        other = factories.relations_page()
        self.assertEqual(self.client.get(url.replace(self.page.slug, other.slug)).status_code, 404)

    def test_the_meeting_page_announces_its_relations_page_feeds(self):
        response = self.get()
        self.assertContains(
            response,
            f'href="{reverse("relations:feed-atom", args=[self.page.slug])}"',
        )


class HomeAndArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        region = factories.region("Asia")
        cls.page = factories.relations_page("India", region=region)
        cls.recent = factories.meeting(cls.page, title="Recent summit", date=date(2025, 2, 1))
        cls.older = factories.meeting(cls.page, title="Older talk", date=date(2023, 2, 1))
        cls.draft = factories.meeting(cls.page, title="Secret draft", published=False)

    def test_home_lists_the_latest_readouts_and_the_regions(self):
        response = self.client.get(reverse("meetings:home"))
        self.assertContains(response, "Recent summit")
        self.assertContains(response, "Older talk")
        self.assertNotContains(response, "Secret draft")
        self.assertContains(response, "<h3>Asia</h3>", html=True)
        self.assertContains(
            response, f'<a href="{self.page.get_absolute_url()}">India</a>', html=True
        )
        content = response.content.decode()
        self.assertLess(content.index("Recent summit"), content.index("Older talk"))

    def test_home_announces_the_site_feeds(self):
        response = self.client.get(reverse("meetings:home"))
        self.assertContains(
            response,
            f'<link rel="alternate" type="application/rss+xml" title="All meetings (RSS)" '
            f'href="{reverse("meetings:feed-rss")}">',
        )

    def test_archive_by_year(self):
        response = self.client.get(reverse("meetings:archive-year", args=[2023]))
        self.assertContains(response, "Older talk")
        self.assertNotContains(response, "Recent summit")
        self.assertEqual(
            self.client.get(reverse("meetings:archive-year", args=[1999])).status_code, 404
        )

    def test_archive_pages_beyond_the_last_are_not_found(self):
        response = self.client.get(reverse("meetings:archive"), {"page": "99"})
        self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("meetings:archive"), {"page": "abc"})
        self.assertEqual(response.status_code, 404)


class TopicTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page("Australia")
        cls.tagged_meeting = factories.meeting(cls.page, title="Tagged meeting", tags=["Space"])
        cls.item_meeting = factories.meeting(cls.page, title="Meeting with a tagged item")
        item, _ = factories.agenda(cls.item_meeting, "Cooperation in space exploration.", "Other.")
        item.tags.add("Space")
        cls.draft = factories.meeting(
            cls.page, title="Draft on space", published=False, tags=["Space", "Hidden topic"]
        )
        factories.index_all()

    def test_topic_page_lists_meetings_carrying_the_tag_themselves_or_by_an_item(self):
        response = self.client.get(reverse("meetings:topic", args=["space"]))
        self.assertContains(response, "<h1>Space</h1>", html=True)
        self.assertContains(response, "Tagged meeting")
        self.assertContains(response, "Meeting with a tagged item")
        self.assertContains(response, f"{self.item_meeting.get_absolute_url()}#item-1")
        self.assertNotContains(response, "Draft on space")

    def test_a_topic_carried_only_by_drafts_or_unknown_is_not_found(self):
        self.assertEqual(
            self.client.get(reverse("meetings:topic", args=["hidden-topic"])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("meetings:topic", args=["no-such-topic"])).status_code, 404
        )

    def test_topic_index_lists_public_topics_only(self):
        response = self.client.get(reverse("meetings:topics"))
        self.assertContains(response, "Space")
        self.assertNotContains(response, "Hidden topic")

    def test_topic_index_is_alphabetical_whatever_the_capitals(self):
        factories.meeting(self.page, tags=["APEC", "Abductions issue", "ASEAN"])
        html = self.client.get(reverse("meetings:topics")).content.decode()
        positions = [html.index(f">{name}</a>") for name in ["Abductions issue", "APEC", "ASEAN"]]
        self.assertEqual(positions, sorted(positions))

    def test_topic_page_announces_its_feeds(self):
        response = self.client.get(reverse("meetings:topic", args=["space"]))
        self.assertContains(
            response, f'href="{reverse("meetings:topic-feed-rss", args=["space"])}"'
        )
        self.assertContains(
            response, f'href="{reverse("meetings:topic-feed-atom", args=["space"])}"'
        )

    def test_topics_in_any_script_have_pages(self):
        meeting = factories.meeting(self.page, tags=["日米関係"])
        factories.index_all()
        response = self.client.get(meeting.get_absolute_url())
        url = reverse("meetings:topic", args=["日米関係"])
        self.assertContains(response, f'href="{url}"')
        self.assertContains(self.client.get(url), "<h1>日米関係</h1>", html=True)

    def test_a_tag_with_no_letters_gets_no_link_and_breaks_nothing(self):
        meeting = factories.meeting(self.page, tags=["!!!"])
        self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(reverse("meetings:topics")).status_code, 200)

    def test_meeting_page_lists_item_topics_too(self):
        response = self.client.get(self.item_meeting.get_absolute_url())
        self.assertContains(response, f'href="{reverse("meetings:topic", args=["space"])}"')


class SitemapTests(TestCase):
    def test_sitemap_lists_published_meetings_and_relations_pages_only(self):
        page = factories.relations_page()
        public = factories.meeting(page)
        draft = factories.meeting(page, published=False)
        meetings = self.client.get(reverse("sitemap-section", args=["meetings"]))
        self.assertContains(meetings, public.get_absolute_url())
        self.assertNotContains(meetings, draft.get_absolute_url())
        relations = self.client.get(reverse("sitemap-section", args=["relations"]))
        self.assertContains(relations, page.get_absolute_url())


class RobotsTests(TestCase):
    def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertContains(response, "Disallow: /admin/")
        self.assertContains(response, "Sitemap: http://testserver/sitemap.xml")


class BadAddressTests(TestCase):
    def test_null_characters_in_an_address_are_a_bad_request_not_a_server_error(self):
        factories.staff_user()
        for url in ("/topics/%00/", "/meetings/?page=%00", "/relations/a%00b/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "null character", status_code=400)

    def test_impossible_dates_and_pages_in_addresses_are_not_found(self):
        page = factories.relations_page()
        for url in (
            f"/relations/{page.slug}/2023/02/30/talk/",
            f"/relations/{page.slug}/2023/13/01/talk/",
            "/meetings/0000/",
            f"/relations/{page.slug}/0000/01/01/talk/",
            "/meetings/?page=-1",
            "/topics/no-such-topic/feed/rss/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
