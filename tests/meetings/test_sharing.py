"""Pages that share and index well: a canonical address, link previews (Open Graph, Twitter
cards), schema.org data that parses and names the publisher, and a description each."""

import json
from datetime import datetime, timedelta
from unittest import mock

import lxml.html
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import views, workflow
from meetings.models import PreviewLink
from tests import factories

SITE = "http://testserver"


class Page:
    """A rendered page's <head> and breadcrumbs, as crawlers and link previews read them."""

    def __init__(self, response):
        self.response = response
        self.tree = lxml.html.fromstring(response.content)

    def canonical(self):
        links = self.tree.xpath("//head/link[@rel='canonical']/@href")
        assert len(links) == 1, links
        return links[0]

    def meta(self, name):
        """The content of the <meta> of that property (Open Graph) or name (Twitter)."""
        found = self.tree.xpath(f"//head/meta[@property='{name}' or @name='{name}']/@content")
        return found[0] if len(found) == 1 else found or None

    def structured_data(self):
        scripts = self.tree.xpath("//script[@type='application/ld+json']/text()")
        assert len(scripts) == 1, scripts
        return json.loads(scripts[0])

    def node(self, schema_type):
        nodes = [node for node in self.structured_data()["@graph"] if node["@type"] == schema_type]
        assert len(nodes) == 1, nodes
        return nodes[0]

    def visible_breadcrumbs(self):
        return [
            " ".join(item.text_content().split())
            for item in self.tree.xpath("//nav[@class='breadcrumbs']//li")
        ]

    def hreflang(self):
        return {
            link.get("hreflang"): link.get("href")
            for link in self.tree.xpath("//head/link[@rel='alternate'][@hreflang]")
        }


class SharingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = factories.region("Asia", slug="asia")
        cls.page = factories.relations_page(
            "India",
            region=cls.region,
            slug="india",
            introduction="Japan and India share a special strategic partnership.\n\nMore.",
        )
        cls.meeting = factories.full_meeting(
            cls.page,
            title="Japan-India Foreign Ministers’ Meeting",
            lead="On March 1, the two ministers met in New Delhi.\n\n"
            "They spoke of the Indo-Pacific.",
            tags=["North Korea", "G7"],
        )
        factories.index_all()

    def get(self, url, **query):
        response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200, url)
        return Page(response)

    def page_kinds(self):
        """Every kind of public page, by the name a reader knows it by."""
        return {
            "home": reverse("meetings:home"),
            "relations index": reverse("relations:index"),
            "relations page": self.page.get_absolute_url(),
            "meeting": self.meeting.get_absolute_url(),
            "archive": reverse("meetings:archive"),
            "archive year": reverse("meetings:archive-year", args=[self.meeting.date.year]),
            "topics": reverse("meetings:topics"),
            "topic": reverse("meetings:topic", args=["north-korea"]),
        }


class EveryPageTests(SharingTestCase):
    def test_every_page_in_either_language_names_its_own_address_as_canonical(self):
        for kind, path in self.page_kinds().items():
            for prefix in ("", "/ja"):
                with self.subTest(kind=kind, language=prefix or "en"):
                    page = self.get(prefix + path)
                    self.assertEqual(page.canonical(), SITE + prefix + path)
                    self.assertEqual(page.meta("og:url"), SITE + prefix + path)

    def test_every_page_has_structured_data_that_parses_and_names_the_publisher(self):
        for kind, path in self.page_kinds().items():
            with self.subTest(kind=kind):
                data = self.get(path).structured_data()
                self.assertEqual(data["@context"], "https://schema.org")
                main = data["@graph"][0]
                self.assertEqual(main["publisher"]["@type"], "Organization")
                self.assertEqual(main["publisher"]["name"], settings.PORTAL_SITE_NAME)
                self.assertEqual(main["publisher"]["url"], f"{SITE}/")

    def test_the_breadcrumb_list_is_the_trail_the_page_shows(self):
        for kind, path in self.page_kinds().items():
            for prefix in ("", "/ja"):
                with self.subTest(kind=kind, language=prefix or "en"):
                    page = self.get(prefix + path)
                    crumbs = page.node("BreadcrumbList")["itemListElement"]
                    self.assertEqual([crumb["position"] for crumb in crumbs][:1], [1])
                    self.assertEqual(crumbs[0]["item"], f"{SITE}{prefix}/")
                    self.assertEqual(crumbs[-1]["item"], SITE + prefix + path)
                    if kind != "home":  # the home page shows no breadcrumbs
                        names = [crumb["name"] for crumb in crumbs]
                        self.assertEqual(names, page.visible_breadcrumbs())

    def test_the_relations_pages_trail_names_its_region(self):
        crumbs = self.get(self.page.get_absolute_url()).node("BreadcrumbList")["itemListElement"]
        self.assertEqual(
            [(crumb["name"], crumb["item"]) for crumb in crumbs],
            [
                ("Home", f"{SITE}/"),
                ("Relations by region", f"{SITE}/relations/"),
                ("Asia", f"{SITE}/relations/#asia"),
                ("Japan-India Relations", f"{SITE}/relations/india/"),
            ],
        )

    def test_each_page_describes_itself(self):
        descriptions = {
            "meeting": "On March 1, the two ministers met in New Delhi. They spoke of the "
            "Indo-Pacific.",
            "relations page": "Japan and India share a special strategic partnership. More.",
            "topic": "Readouts of meetings on North Korea, across every country and year.",
        }
        for kind, description in descriptions.items():
            with self.subTest(kind=kind):
                page = self.get(self.page_kinds()[kind])
                [meta] = page.tree.xpath("//head/meta[@name='description']/@content")
                self.assertEqual(meta, description)
                self.assertEqual(page.meta("og:description"), description)
                self.assertEqual(page.meta("twitter:description"), description)

    def test_a_long_lead_is_cut_at_a_word(self):
        lead = "The ministers discussed cooperation. " * 20
        meeting = factories.meeting(self.page, lead=lead)
        description = self.get(meeting.get_absolute_url()).meta("og:description")
        self.assertLessEqual(len(description), 160)
        self.assertTrue(description.endswith("…"))
        self.assertTrue(lead.startswith(description.removesuffix("…")))
        self.assertIn(lead[len(description) - 1], " .")

    def test_open_graph_names_each_language_and_the_other(self):
        english = self.get(reverse("meetings:home"))
        self.assertEqual(english.meta("og:locale"), "en_US")
        self.assertEqual(english.meta("og:locale:alternate"), "ja_JP")
        japanese = self.get("/ja/")
        self.assertEqual(japanese.meta("og:locale"), "ja_JP")
        self.assertEqual(japanese.meta("og:locale:alternate"), "en_US")
        self.assertEqual(japanese.node("WebSite")["inLanguage"], "ja")


class CanonicalQueryTests(SharingTestCase):
    def test_tracking_and_unknown_parameters_are_left_out_of_the_canonical_address(self):
        url = self.meeting.get_absolute_url()
        page = self.get(url, utm_source="newsletter", fbclid="abc")
        self.assertEqual(page.canonical(), SITE + url)

    def test_the_language_versions_lead_to_the_canonical_address_in_each_language(self):
        url = self.meeting.get_absolute_url()
        page = self.get(url, utm_source="newsletter")
        self.assertEqual(
            page.hreflang(), {"en": SITE + url, "ja": f"{SITE}/ja{url}", "x-default": SITE + url}
        )

    def test_a_page_past_the_first_is_its_own_canonical_and_the_first_is_plain(self):
        for _ in range(2):
            factories.meeting(self.page)
        archive = reverse("meetings:archive")
        with mock.patch.object(views.MeetingArchiveView, "paginate_by", 1):
            self.assertEqual(self.get(archive, page=2).canonical(), f"{SITE}{archive}?page=2")
            self.assertEqual(self.get(archive, page=1).canonical(), SITE + archive)


class MeetingPageTests(SharingTestCase):
    def test_a_meeting_is_a_news_article_of_the_ministry(self):
        published = timezone.make_aware(datetime(2024, 3, 1, 18, 30))
        meeting = factories.meeting(self.page, title="A readout", published_at=published)
        page = self.get(meeting.get_absolute_url())
        article = page.node("NewsArticle")
        self.assertEqual(article["headline"], "A readout")
        self.assertEqual(article["datePublished"], "2024-03-01T18:30:00+09:00")
        self.assertEqual(article["dateModified"], "2024-03-01T18:30:00+09:00")
        self.assertEqual(article["inLanguage"], "en")
        self.assertEqual(article["mainEntityOfPage"], SITE + meeting.get_absolute_url())
        self.assertEqual(article["publisher"]["name"], settings.PORTAL_SITE_NAME)
        self.assertEqual(page.meta("og:type"), "article")
        self.assertEqual(page.meta("article:published_time"), "2024-03-01T18:30:00+09:00")
        self.assertEqual(
            self.get(f"/ja{meeting.get_absolute_url()}").node("NewsArticle")["inLanguage"], "ja"
        )

    def test_the_article_names_its_topics(self):
        article = self.get(self.meeting.get_absolute_url()).node("NewsArticle")
        self.assertEqual([topic["name"] for topic in article["about"]], ["G7", "North Korea"])

    def test_a_major_correction_moves_the_modified_date_not_the_published_one(self):
        published = timezone.now() - timedelta(days=10)
        meeting = factories.meeting(self.page, title="To correct", published_at=published)
        editor = factories.member_of("Editors", "editor")
        draft = workflow.start_correction(meeting, by=editor)
        workflow.submit_for_review(draft, by=editor)
        workflow.approve(
            draft,
            by=factories.member_of("Publishers", "publisher"),
            major=True,
            change_note="The place was wrong.",
        )
        article = self.get(meeting.get_absolute_url()).node("NewsArticle")
        modified = meeting.publication_log.first().at
        self.assertEqual(
            article["datePublished"], timezone.localtime(published).isoformat("T", "seconds")
        )
        self.assertEqual(
            article["dateModified"], timezone.localtime(modified).isoformat("T", "seconds")
        )

    def test_the_first_photo_with_an_image_is_the_link_preview_picture(self):
        photo = self.meeting.photo_sessions.create(
            caption="Handshake",
            alt_text="The two ministers shake hands",
            position=99,
            image=factories.uploaded_gif("handshake.gif"),
        )
        page = self.get(self.meeting.get_absolute_url())
        image = SITE + photo.image.url
        self.assertEqual(page.meta("og:image"), image)
        self.assertEqual(page.meta("og:image:alt"), "The two ministers shake hands")
        self.assertEqual(page.meta("og:image:width"), "1")
        self.assertEqual(page.meta("twitter:card"), "summary_large_image")
        self.assertEqual(page.meta("twitter:image"), image)
        self.assertEqual(page.node("NewsArticle")["image"], [image])

    def test_without_a_photo_the_preview_is_a_plain_summary(self):
        page = self.get(self.meeting.get_absolute_url())  # captions, but no image yet
        self.assertIsNone(page.meta("og:image"))
        self.assertEqual(page.meta("twitter:card"), "summary")
        self.assertNotIn("image", page.node("NewsArticle"))

    def test_no_title_can_end_the_structured_data_script(self):
        title = "</script><script>alert(1)</script> & “quotes”"
        meeting = factories.meeting(self.page, title=title)
        page = self.get(meeting.get_absolute_url())
        self.assertNotIn(b"<script>alert", page.response.content)
        self.assertEqual(page.node("NewsArticle")["headline"], title)

    def test_a_withdrawn_readout_keeps_its_canonical_address(self):
        meeting = factories.meeting(self.page, title="Withdrawn")
        workflow.take_down(
            meeting, by=factories.staff_user("publisher"), kind="withdrawn", note="Wrong."
        )
        page = self.get(meeting.get_absolute_url())
        self.assertEqual(page.canonical(), SITE + meeting.get_absolute_url())

    def test_a_preview_has_no_canonical_address_and_keeps_out_of_search(self):
        draft = factories.meeting(self.page, title="Not yet public", published=False)
        link = PreviewLink.objects.create(
            meeting=draft,
            created_by=factories.staff_user("editor"),
            expires_at=timezone.now() + timedelta(days=1),
        )
        page = self.get(link.get_absolute_url())
        self.assertEqual(page.tree.xpath("//link[@rel='canonical']"), [])
        self.assertEqual(page.tree.xpath("//script[@type='application/ld+json']"), [])
        self.assertEqual(page.response["X-Robots-Tag"], "noindex, nofollow")
        self.assertIn("Japan-India Relations", page.visible_breadcrumbs())
