"""The public site in English and in Japanese: addresses, interface, content and feeds."""

import re
from datetime import date

import feedparser
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from meetings import workflow
from meetings.models import Meeting, Topic
from tests import factories
from tests.browser_forms import read_form
from tests.meetings.test_admin import add_agenda_item, meeting_form


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


class AddressesAndInterfaceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page(
            "United States of America", slug="united-states-of-america"
        )
        cls.meeting = factories.meeting(cls.page, date=date(2023, 5, 19))

    def test_english_keeps_its_addresses_and_japanese_lives_under_ja(self):
        english = self.client.get("/relations/united-states-of-america/")
        japanese = self.client.get("/ja/relations/united-states-of-america/")
        self.assertEqual((english.status_code, japanese.status_code), (200, 200))
        self.assertEqual((html_lang(english), html_lang(japanese)), ("en", "ja"))
        self.assertEqual(japanese.headers["Content-Language"], "ja")
        self.assertEqual(self.client.get("/en/relations/").status_code, 404)

    def test_the_language_comes_from_the_address_not_the_browser(self):
        response = self.client.get("/relations/", headers={"accept-language": "ja"})
        self.assertEqual(html_lang(response), "en")
        self.client.get("/ja/relations/")
        self.assertEqual(translation.get_language(), "en", "the request's language stays in it")
        self.client.force_login(factories.staff_user())
        admin_page = self.client.get(reverse("admin:index"), headers={"accept-language": "ja"})
        self.assertContains(admin_page, "Relations pages and meeting readouts")

    def test_the_language_switch_lands_on_the_same_page_in_the_other_language(self):
        url = self.meeting.get_absolute_url()
        english = self.client.get(url).content.decode()
        switch = re.search(r'<nav class="language-switch".*?</nav>', english, re.S)[0]
        japanese_url = re.search(r'href="([^"]+)" hreflang="ja"', switch)[1]
        self.assertTrue(japanese_url.endswith("/ja" + url), japanese_url)
        japanese = self.client.get(japanese_url).content.decode()
        english_url = re.search(
            r'<nav class="language-switch".*?href="([^"]+)" hreflang="en"', japanese, re.S
        )[1]
        self.assertTrue(english_url.endswith(url) and "/ja/" not in english_url)

    def test_every_page_names_its_versions_in_both_languages(self):
        html = self.client.get("/ja/topics/").content.decode()
        alternates = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
        )
        self.assertEqual(alternates["en"], "http://testserver/topics/")
        self.assertEqual(alternates["ja"], "http://testserver/ja/topics/")
        self.assertEqual(alternates["x-default"], "http://testserver/topics/")

    def test_dates_read_the_way_each_language_writes_them(self):
        url = self.meeting.get_absolute_url()
        self.assertContains(self.client.get(url), "May 19, 2023")
        self.assertContains(self.client.get("/ja" + url), "2023年5月19日")


class BilingualContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "erin")
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.page = factories.relations_page(
            "United States of America", slug="united-states-of-america"
        )
        cls.page.title_ja = "日米関係"
        cls.page.save()

    def write_in_both_languages(self):
        self.client.force_login(self.editor)
        form = meeting_form(
            self.client,
            self.page,
            title_ja="日米外相会談",
            lead_ja="5月19日、両外相は会談を行いました。",
            items=[("On North Korea, they agreed to cooperate.", False, "North Korea,")],
        )
        form.set("agenda_items-0-text_ja", "北朝鮮の核・ミサイル問題について、協力で一致しました。")
        response = form.submit(self.client)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        meeting = Meeting.objects.get()
        workflow.submit_for_review(meeting, by=self.editor)
        workflow.approve(meeting, by=self.publisher)
        return meeting

    def test_an_editor_writes_japanese_beside_english_and_each_page_shows_its_own(self):
        meeting = self.write_in_both_languages()
        english = self.client.get(meeting.get_absolute_url())
        japanese = self.client.get("/ja" + meeting.get_absolute_url())
        self.assertContains(english, "Japan-Atlantis Summit Meeting")
        self.assertContains(english, "On North Korea, they agreed to cooperate.")
        self.assertNotContains(english, "日米外相会談")
        self.assertContains(japanese, "日米外相会談")
        self.assertContains(japanese, "北朝鮮の核・ミサイル問題について")
        self.assertContains(japanese, "日米関係")
        self.assertNotContains(japanese, "This readout is available in English only.")
        self.assertNotContains(japanese, "英語のみ")

    def test_a_japanese_page_without_japanese_text_shows_the_english_and_says_so(self):
        meeting = factories.meeting(self.page, title="Japan-U.S. Foreign Ministers’ Meeting")
        response = self.client.get("/ja" + meeting.get_absolute_url())
        self.assertContains(response, "Japan-U.S. Foreign Ministers’ Meeting")
        self.assertContains(response, 'class="language-note"')
        self.assertContains(response, '<article class="readout" lang="en">')

    def test_the_admin_shows_each_japanese_field_beside_its_english_one(self):
        self.client.force_login(self.editor)
        form = read_form(self.client.get(reverse("admin:meetings_meeting_add")), "#meeting_form")
        names = [name for name, _ in form.fields]
        for english, japanese in [
            ("title", "title_ja"),
            ("place", "place_ja"),
            ("lead", "lead_ja"),
        ]:
            self.assertEqual(names.index(japanese), names.index(english) + 1)
        add_agenda_item(form, "An item.")
        form.set("agenda_items-0-text_ja", "項目。")

    def test_japanese_text_is_kept_by_revisions_and_corrections(self):
        meeting = self.write_in_both_languages()
        draft = workflow.start_correction(meeting, by=self.editor)
        self.assertEqual(draft.title_ja, "日米外相会談")
        draft.lead_en = "On May 19, corrected."
        draft.save()
        workflow.submit_for_review(draft, by=self.editor)
        workflow.approve(draft, by=self.publisher)
        meeting.refresh_from_db()
        self.assertEqual(meeting.lead_en, "On May 19, corrected.")
        self.assertEqual(meeting.lead_ja, "5月19日、両外相は会談を行いました。")
        item = meeting.agenda_items.get()
        self.assertTrue(item.text_ja.startswith("北朝鮮の核・ミサイル問題"))
        first_revision = meeting.revisions.order_by("number").first()
        self.assertEqual(first_revision.data["title_ja"], "日米外相会談")

    def test_topic_names_show_in_japanese_where_the_vocabulary_has_one(self):
        meeting = self.write_in_both_languages()
        north_korea = meeting.agenda_items.get().tags.get(name="North Korea")
        Topic.objects.create(tag=north_korea, label_ja="北朝鮮")
        self.assertContains(self.client.get("/ja" + meeting.get_absolute_url()), ">北朝鮮</a>")
        self.assertContains(self.client.get(meeting.get_absolute_url()), ">North Korea</a>")


class FeedsPerLanguageTests(TestCase):
    def test_each_language_has_its_feed(self):
        page = factories.relations_page("Canada", slug="canada")
        meeting = factories.meeting(page, title="Japan-Canada Summit Meeting")
        meeting.title_ja = "日加首脳会談"
        meeting.save()
        english = feedparser.parse(self.client.get("/meetings/feed/rss/").content)
        japanese = feedparser.parse(self.client.get("/ja/meetings/feed/rss/").content)
        self.assertEqual(english.feed.language, "en")
        self.assertEqual(japanese.feed.language, "ja")
        self.assertEqual(english.entries[0].title, "Japan-Canada Summit Meeting")
        self.assertEqual(japanese.entries[0].title, "日加首脳会談")
        self.assertIn("/ja/relations/canada/", japanese.entries[0].link)
        atom = feedparser.parse(self.client.get("/ja/relations/canada/feed/atom/").content)
        self.assertEqual(atom.entries[0].title, "日加首脳会談")


class JapaneseTopicsTests(TestCase):
    def test_a_topic_is_found_by_its_japanese_name_inside_a_sentence(self):
        from meetings import topics
        from meetings.importing import Vocabulary

        topics.define_topic("North Korea", "DPRK")
        Topic.objects.filter(tag__name="North Korea").update(label_ja="北朝鮮")
        vocabulary = Vocabulary.from_database()
        self.assertEqual(vocabulary.topics_in("北朝鮮の核・ミサイル問題について"), ["North Korea"])
        self.assertEqual(vocabulary.topics_in("On the DPRK's launches"), ["North Korea"])
        self.assertEqual(vocabulary.topics_in("DPRKs"), [])
        self.assertEqual(vocabulary.canonical("北朝鮮"), "North Korea")
