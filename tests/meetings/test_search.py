"""Search: /search/?q=… and /ja/search/?q=… over published meetings, on SQLite and PostgreSQL.

The suite runs on both databases (CI runs it on each). What only PostgreSQL's full-text
search does (stemming beyond word endings, ranking, stop words) is tested on PostgreSQL
and skipped on SQLite, beside what SQLite's simpler matching does instead.
"""

import io
import unittest
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from meetings import caching, revisions, topics, workflow
from meetings.models import Meeting, SearchDocument, Topic
from meetings.search import indexing
from meetings.search.query import MAX_TERMS, Query, Term
from tests import factories

on_postgresql = unittest.skipUnless(
    connection.vendor == "postgresql", "PostgreSQL's full-text search (stemming, ranking)"
)
on_sqlite = unittest.skipUnless(connection.vendor == "sqlite", "SQLite's substring matching")


def index_all():
    """Factories write rows directly, as no editor does: give their meetings documents."""
    indexing.index_meetings(Meeting.objects.all())


def search(client, q="", *, language="en", **filters):
    with translation.override(language):
        url = reverse("meetings:search")
    return client.get(url, {"q": q, **filters})


def result_titles(response):
    return [meeting.title for meeting in response.context["search"].page]


def links(response, css_class):
    page = lxml_html.fromstring(response.content)
    return [a.get("href") for a in page.cssselect(f".{css_class} a")]


class QueryReadingTests(SimpleTestCase):
    """What a visitor types, read into terms; nothing typed reaches the database as SQL."""

    def test_words_phrases_and_exclusions(self):
        query = Query.parse('sanctions "Security Council" -climate -"free trade"')
        self.assertEqual(
            query.terms,
            (
                Term(("sanctions",)),
                Term(("security", "council")),
                Term(("climate",), excluded=True),
                Term(("free", "trade"), excluded=True),
            ),
        )

    def test_typographic_and_japanese_quotes_make_phrases_too(self):
        self.assertEqual(Query.parse("“Security Council”").terms, (Term(("security", "council")),))
        self.assertEqual(Query.parse("「経済 安全保障」").terms, (Term(("経済", "安全保障")),))

    def test_an_unbalanced_quote_leaves_the_words(self):
        self.assertEqual(
            Query.parse('"security council').terms, (Term(("security",)), Term(("council",)))
        )

    def test_punctuation_wildcards_and_sql_are_read_as_words_or_nothing(self):
        self.assertFalse(Query.parse("%"))
        self.assertFalse(Query.parse("_"))
        self.assertFalse(Query.parse("!?…、。・-"))
        self.assertEqual(Query.parse("' OR 1=1 --").terms, (Term(("1", "1")),))
        self.assertEqual(Query.parse("{{ x }}").terms, (Term(("x",)),))

    def test_japanese_is_matched_as_a_substring_and_kept_whole(self):
        term = Query.parse("北朝鮮の核・ミサイル").terms[0]
        self.assertTrue(term.is_japanese)
        self.assertEqual(term.pattern(), "北朝鮮の核 ミサイル")
        self.assertFalse(Query.parse("sanctions").terms[0].is_japanese)

    def test_full_width_letters_are_read_as_ascii(self):
        self.assertEqual(Query.parse("ＡＳＥＡＮ").terms, (Term(("asean",)),))

    def test_the_websearch_form_holds_only_words_quotes_and_minus(self):
        query = Query.parse('"a b" -c d OR e')
        self.assertEqual([term.websearch() for term in query.terms], ['"a b"', "-c", "d", "e"])

    def test_a_long_query_is_cut_and_says_so(self):
        query = Query.parse("word " * 400)
        self.assertTrue(query.shortened)
        many = Query.parse(" ".join(f"w{number}" for number in range(30)))
        self.assertEqual(len(many.terms), MAX_TERMS)
        self.assertTrue(many.shortened)
        self.assertFalse(Query.parse("sanctions").shortened)


class SearchTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.asia = factories.region("Asia", slug="asia")
        cls.europe = factories.region("Europe", slug="europe")
        cls.india = factories.relations_page("India", region=cls.asia, slug="india")
        cls.france = factories.relations_page("France", region=cls.europe, slug="france")


class EnglishSearchTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sanction = factories.meeting(
            cls.india, title="Japan-India Summit Meeting", lead="The leaders met in Tokyo."
        )
        factories.agenda(
            cls.sanction,
            "The two leaders discussed the regional situation.",
            "The two leaders agreed to keep the sanction against the regime.",
        )
        cls.council = factories.meeting(
            cls.france,
            title="Japan-France Foreign Ministers’ Meeting",
            lead="The ministers met in Paris.",
        )
        factories.agenda(cls.council, "The ministers exchanged views on Security Council reform.")
        cls.apart = factories.meeting(
            cls.france, title="Japan-France Strategic Dialogue", lead="The sides met in Paris."
        )
        factories.agenda(
            cls.apart, "They discussed the council of ministers and regional security."
        )
        index_all()

    def test_a_word_finds_its_other_forms(self):
        response = search(self.client, "sanctions")
        self.assertEqual(result_titles(response), ["Japan-India Summit Meeting"])
        self.assertContains(response, "1 meeting matches “sanctions”")

    def test_words_in_quotes_are_found_together_only(self):
        response = search(self.client, '"security council"')
        self.assertEqual(result_titles(response), ["Japan-France Foreign Ministers’ Meeting"])
        both_words = search(self.client, "security council")
        self.assertEqual(len(result_titles(both_words)), 2)

    def test_a_minus_leaves_out_meetings_with_the_word(self):
        self.assertEqual(
            result_titles(search(self.client, "paris -reform")),
            ["Japan-France Strategic Dialogue"],
        )
        self.assertEqual(
            result_titles(search(self.client, 'paris -"security council"')),
            ["Japan-France Strategic Dialogue"],
        )

    def test_every_word_must_match(self):
        self.assertEqual(result_titles(search(self.client, "paris sanction")), [])

    def test_participants_places_pages_and_types_are_searched(self):
        factories.full_meeting(self.india, title="A readout with people", lead="They met.")
        index_all()
        self.assertEqual(result_titles(search(self.client, "Whitfield")), ["A readout with people"])
        self.assertEqual(len(result_titles(search(self.client, "India"))), 2)

    @on_postgresql
    def test_english_stemming_finds_more_than_word_endings(self):
        # “security” and “secure” share the stem “secur”; no ending-dropping gets there.
        meeting = factories.meeting(self.india, title="Readout", lead="A secure supply chain.")
        index_all()
        self.assertIn(meeting.title, result_titles(search(self.client, "security")))

    @on_postgresql
    def test_matches_in_the_title_rank_first(self):
        titled = factories.meeting(
            self.india,
            title="Sanctions Consultations",
            lead="Officials met.",
            date=date(2001, 1, 1),
        )
        index_all()
        self.assertEqual(result_titles(search(self.client, "sanctions"))[0], titled.title)

    @on_postgresql
    def test_stop_words_alone_find_nothing(self):
        self.assertEqual(search(self.client, "the").context["search"].count, 0)

    @on_sqlite
    def test_sqlite_matches_the_starts_of_words(self):
        # “sanction” is found in “sanctions”, not inside another word.
        self.assertEqual(len(result_titles(search(self.client, "sanction"))), 1)
        self.assertEqual(result_titles(search(self.client, "anction")), [])

    @on_sqlite
    def test_sqlite_lists_newest_first(self):
        titles = result_titles(search(self.client, "met"))
        dates = [Meeting.objects.get(title=title).date for title in titles]
        self.assertEqual(dates, sorted(dates, reverse=True))


class JapaneseSearchTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.korea = factories.meeting(
            cls.india,
            title="Japan-India Summit Meeting",
            title_ja="日印首脳会談",
            lead="The leaders met.",
            lead_ja="両首脳は会談を行いました。",
        )
        factories.agenda(cls.korea, "The leaders discussed North Korea.")
        item = cls.korea.agenda_items.get()
        item.text_ja = "両首脳は、北朝鮮の核・ミサイル問題について意見交換を行いました。"
        item.save()
        cls.security = factories.meeting(
            cls.france,
            title="Japan-France Foreign Ministers’ Meeting",
            lead="The ministers met.",
            lead_ja="両外相は、サプライチェーン強靱化を含む経済安全保障分野での協力を一層強化していくことで一致しました。",
        )
        index_all()

    def test_japanese_words_are_found_inside_sentences(self):
        self.assertEqual(result_titles(search(self.client, "北朝鮮")), [self.korea.title])
        self.assertEqual(result_titles(search(self.client, "経済安全保障")), [self.security.title])
        self.assertEqual(result_titles(search(self.client, "核・ミサイル")), [self.korea.title])
        # 会談 is in one title, and in every meeting type's Japanese name (外相会談, …).
        self.assertEqual(len(result_titles(search(self.client, "会談"))), 2)
        self.assertEqual(result_titles(search(self.client, "首脳会談")), [self.korea.title])

    def test_a_word_is_not_found_across_punctuation(self):
        factories.meeting(self.france, title="Apart", lead="-", lead_ja="北朝・朝鮮と表記。")
        index_all()
        self.assertEqual(result_titles(search(self.client, "北朝鮮")), [self.korea.title])
        self.assertEqual(len(result_titles(search(self.client, "朝鮮"))), 2)

    def test_one_character_and_japanese_run_together_with_letters_are_found(self):
        factories.meeting(self.france, title="Summit", lead="-", lead_ja="G7サミットで会談。")
        index_all()
        self.assertEqual(result_titles(search(self.client, "核")), [self.korea.title])
        self.assertEqual(result_titles(search(self.client, "G7サミット")), ["Summit"])
        self.assertEqual(result_titles(search(self.client, "サミット")), ["Summit"])

    def test_japanese_and_english_together_must_both_match(self):
        self.assertEqual(result_titles(search(self.client, "North 北朝鮮")), [self.korea.title])
        self.assertEqual(result_titles(search(self.client, "Paris 北朝鮮")), [])
        self.assertEqual(result_titles(search(self.client, "-北朝鮮 met")), [self.security.title])

    def test_the_japanese_page_shows_japanese_titles_and_passages(self):
        response = search(self.client, "北朝鮮", language="ja")
        self.assertContains(response, "日印首脳会談")
        self.assertContains(response, "<mark>北朝鮮</mark>の核・ミサイル問題")
        self.assertContains(response, 'action="/ja/search/"')

    def test_the_english_page_quotes_the_japanese_where_only_it_matches(self):
        response = search(self.client, "北朝鮮")
        self.assertContains(response, '<span lang="ja">両首脳は、<mark>北朝鮮</mark>')

    def test_the_japanese_page_quotes_english_where_only_it_matches(self):
        response = search(self.client, '"North Korea"', language="ja")
        self.assertContains(
            response, '<span lang="en">The leaders discussed <mark>North Korea</mark>.</span>'
        )
        response = search(self.client, "North Korea", language="ja")
        self.assertContains(response, "<mark>North</mark> <mark>Korea</mark>")

    def test_topics_are_found_by_their_japanese_labels(self):
        self.korea.tags.add("Abductions issue")
        Topic.objects.create(tag=self.korea.tags.get(name="Abductions issue"), label_ja="拉致問題")
        self.assertEqual(result_titles(search(self.client, "拉致問題")), [self.korea.title])


class NothingUnpublishedIsFoundTests(SearchTestCase):
    """Drafts, submissions, scheduled, expired and taken-down meetings, and corrections being
    drafted, appear in no result, count, filter or passage."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        hidden = {
            "draft": {"published": False},
            "in review": {"published": False, "state": Meeting.State.IN_REVIEW},
            "scheduled": {"published_at": now + timedelta(days=1)},
            "expired": {"expires_at": now - timedelta(minutes=1)},
        }
        for name, fields in hidden.items():
            factories.meeting(
                cls.france, title=f"Zebra {name}", lead=f"Zebra {name} lead.", **fields
            )
        for kind in Meeting.Takedown:
            factories.meeting(
                cls.france,
                published=False,
                title=f"Zebra taken down ({kind.label})",
                lead="Zebra lead.",
                state=Meeting.State.TAKEN_DOWN,
                published_at=now - timedelta(days=1),
                takedown=kind,
            )
        cls.live = factories.meeting(
            cls.india, title="The published readout", lead="The leaders met in Delhi."
        )
        factories.agenda(cls.live, "The leaders met again.")
        cls.publisher = factories.member_of("Publishers", "publisher")
        correction = workflow.start_correction(cls.live, by=cls.publisher)
        correction.agenda_items.update(text="The leaders met the zebra.")
        revisions.record(correction, event="Saved in the admin")
        index_all()

    def test_no_unpublished_meeting_is_found_or_counted(self):
        response = search(self.client, "zebra")
        self.assertEqual(response.context["search"].count, 0)
        self.assertEqual(response.context["search"].facets, [])
        self.assertNotContains(response, "Zebra")
        self.assertContains(response, "0 meetings match “zebra”")

    def test_a_filter_counts_only_published_meetings(self):
        response = search(self.client, "zebra", region="europe")
        self.assertEqual(response.context["search"].count, 0)
        regions = {
            facet.name: {choice.label: choice.count for choice in facet.choices}
            for facet in response.context["search"].facets
        }["region"]
        self.assertEqual(regions, {"Europe": 0})

    def test_the_published_version_is_quoted_while_a_correction_is_drafted(self):
        response = search(self.client, '"leaders met"')
        self.assertEqual(result_titles(response), ["The published readout"])
        self.assertContains(response, "<mark>leaders met</mark> again")
        self.assertNotContains(response, "zebra")

    def test_a_meeting_taken_down_leaves_the_results_at_once(self):
        workflow.take_down(
            self.live, by=self.publisher, kind=Meeting.Takedown.WITHDRAWN, note="Withdrawn."
        )
        self.assertEqual(search(self.client, "Delhi").context["search"].count, 0)


class FilterTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.summit = factories.meeting_type("summit-meeting")
        for year, page, meeting_type, tags in [
            (2023, cls.india, cls.summit, ["North Korea"]),
            (2023, cls.india, None, []),
            (2024, cls.india, None, ["North Korea"]),
            (2024, cls.france, cls.summit, []),
            (2024, cls.france, None, ["G7"]),
        ]:
            meeting = factories.meeting(
                page,
                title=f"Cooperation {year} {page.counterpart} {len(tags)}",
                date=date(year, 3, 1),
                lead="The two sides discussed cooperation.",
                **({"meeting_type": meeting_type} if meeting_type else {}),
            )
            factories.agenda(meeting, "First item.")
            meeting.agenda_items.get().tags.add(*tags)  # a topic carried by an agenda item
        index_all()

    def counts(self, response):
        return {
            facet.name: {choice.label: choice.count for choice in facet.choices}
            for facet in response.context["search"].facets
        }

    def test_each_filter_counts_what_choosing_it_would_give(self):
        counts = self.counts(search(self.client, "cooperation"))
        self.assertEqual(counts["relations"], {"India": 3, "France": 2})
        self.assertEqual(counts["region"], {"Asia": 3, "Europe": 2})
        self.assertEqual(counts["year"], {"2024": 3, "2023": 2})
        self.assertEqual(counts["type"], {"Summit meeting": 2, "Foreign ministers’ meeting": 3})
        self.assertEqual(counts["topic"], {"North Korea": 2, "G7": 1})

    def test_filters_combine_and_count_with_the_others_applied(self):
        response = search(self.client, "cooperation", region="asia", year="2024")
        self.assertEqual(response.context["search"].count, 1)
        counts = self.counts(response)
        self.assertEqual(counts["region"], {"Asia": 1, "Europe": 2})  # in 2024
        self.assertEqual(counts["year"], {"2024": 1, "2023": 2})  # in Asia
        response = search(self.client, "cooperation", topic="north-korea", type="summit-meeting")
        self.assertEqual(result_titles(response), ["Cooperation 2023 India 1"])

    def test_filters_not_chosen_count_under_every_filter_chosen(self):
        # On PostgreSQL these are counted together with the total, in one pass.
        response = search(self.client, "cooperation", region="europe")
        self.assertEqual(response.context["search"].count, 2)
        self.assertEqual(
            self.counts(response),
            {
                "relations": {"France": 2},
                "region": {"Asia": 3, "Europe": 2},
                "type": {"Summit meeting": 1, "Foreign ministers’ meeting": 1},
                "year": {"2024": 2},
                "topic": {"G7": 1},
            },
        )
        response = search(self.client, "cooperation", topic="north-korea")
        self.assertEqual(response.context["search"].count, 2)
        self.assertEqual(
            self.counts(response),
            {
                "relations": {"India": 2},
                "region": {"Asia": 2},
                "type": {"Summit meeting": 1, "Foreign ministers’ meeting": 1},
                "year": {"2024": 1, "2023": 1},
                "topic": {"North Korea": 2, "G7": 1},
            },
        )

    def test_links_keep_the_words_and_the_other_filters_and_remove_the_page(self):
        response = search(self.client, "cooperation", region="asia", page="1")
        for link in links(response, "facet-list"):
            query = parse_qs(urlsplit(link).query)
            self.assertEqual(query["q"], ["cooperation"])
            self.assertNotIn("page", query)
            if "year" in query:
                self.assertEqual(query["region"], ["asia"])
        removal = links(response, "active-filters")
        self.assertEqual(removal, ["?q=cooperation"])
        self.assertContains(response, '<input type="hidden" name="region" value="asia">', html=True)

    def test_a_chosen_value_nothing_matches_is_shown_to_remove(self):
        response = search(self.client, "cooperation", relations="no-such-page")
        self.assertEqual(response.context["search"].count, 0)
        self.assertEqual(
            self.counts(response)["relations"], {"India": 3, "France": 2, "no-such-page": 0}
        )
        self.assertEqual(links(response, "active-filters"), ["?q=cooperation"])

    def test_what_is_no_year_is_ignored(self):
        for year in ["²", "٢٠٢٤", "20245", "99999999999999999999", "-1"]:
            with self.subTest(year=year):
                self.assertEqual(
                    search(self.client, "cooperation", year=year).context["search"].count, 5
                )

    def test_pages_of_twenty_keep_the_query_string(self):
        for number in range(20):
            factories.meeting(self.india, title=f"More cooperation {number}", lead="Cooperation.")
        index_all()
        response = search(self.client, "cooperation", region="asia")
        self.assertEqual(len(result_titles(response)), 20)
        next_page = lxml_html.fromstring(response.content).cssselect("a[rel=next]")[0]
        self.assertEqual(
            parse_qs(urlsplit(next_page.get("href")).query),
            {"q": ["cooperation"], "region": ["asia"], "page": ["2"]},
        )
        second = search(self.client, "cooperation", region="asia", page="2")
        self.assertEqual(len(result_titles(second)), 3)
        self.assertContains(second, '<ol class="result-list" start="21">')
        past_the_end = search(self.client, "cooperation", region="asia", page="9")
        self.assertEqual(result_titles(past_the_end), result_titles(second))
        for page in ["x", "0", "-1", "²", "9" * 30]:
            with self.subTest(page=page):
                first = search(self.client, "cooperation", region="asia", page=page)
                self.assertEqual(result_titles(first), result_titles(response))


class ManyPagesFilterTests(SearchTestCase):
    """More relations pages match than the filter lists: the fifteen with most results."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        matches = {f"Country {number:02}": 3 for number in range(1, 14)}
        matches |= {"Charlie": 2, "Alpha": 2, "Bravo": 2, "Delta": 1}
        for counterpart, count in matches.items():
            page = factories.relations_page(counterpart, region=cls.asia)
            for number in range(count):
                factories.meeting(page, title=f"Harbour visit {number}", lead="A harbour.")
        index_all()

    def test_the_pages_with_most_results_are_listed_ties_by_name(self):
        response = search(self.client, "harbour")
        self.assertEqual(response.context["search"].count, 46)
        (relations,) = [f for f in response.context["search"].facets if f.name == "relations"]
        self.assertEqual(
            [(choice.label, choice.count) for choice in relations.choices],
            [(f"Country {number:02}", 3) for number in range(1, 14)] + [("Alpha", 2), ("Bravo", 2)],
        )
        chosen = search(self.client, "harbour", relations=relations.choices[0].value)
        self.assertEqual(chosen.context["search"].count, 3)


class PassageTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = factories.meeting(
            cls.india, title="Japan-India Summit Meeting", lead="The leaders met in Delhi."
        )
        factories.agenda(
            cls.meeting,
            "The leaders welcomed the visit.",
            "The leaders discussed the region.",
            "- They condemned the <script>alert('x')</script> launches & the sanctions evasion.",
        )
        index_all()

    def test_a_passage_links_to_the_agenda_item_that_matched(self):
        response = search(self.client, "sanctions")
        url = self.meeting.get_absolute_url()
        self.assertContains(response, f'<a href="{url}#item-2-1">Item 2 (1)</a>', html=True)

    def test_marks_are_put_around_escaped_text(self):
        response = search(self.client, "sanctions")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.assertContains(response, "launches &amp; the <mark>sanctions</mark> evasion")
        self.assertNotContains(response, "<script>alert")

    def test_what_was_typed_is_escaped_wherever_it_is_shown(self):
        response = search(self.client, '<b>bold</b> "sanctions')
        self.assertNotContains(response, "<b>bold</b>")
        self.assertContains(response, "&lt;b&gt;bold&lt;/b&gt;")

    def test_the_lead_is_quoted_when_no_item_matches(self):
        response = search(self.client, "Delhi")
        self.assertContains(response, "The leaders met in <mark>Delhi</mark>.")
        url = self.meeting.get_absolute_url()
        self.assertContains(response, f'<a class="meeting-title" href="{url}">')


class BadQueryTests(SearchTestCase):
    """Whatever is typed, the answer is a normal page."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        factories.meeting(cls.india, title="100% cooperation_plan", lead="A 50% rise.")
        index_all()

    def test_hostile_queries_answer_a_normal_page(self):
        for q in [
            "",
            " ",
            "x" * 2000,
            "sanctions " * 200,
            "!!!",
            '"unbalanced',
            'a"b"c"',
            "' OR 1=1 --",
            "'; DROP TABLE meetings_meeting; --",
            "{{ x }}",
            "{% debug %}",
            "%",
            "_",
            "%%%_",
            "\\",
            "-",
            "--",
            '-""',
            "日本語" * 300,
            "😀",
        ]:
            with self.subTest(q=q[:30]):
                for language in ["en", "ja"]:
                    response = search(self.client, q, language=language)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "<h1>", count=1)

    def test_wildcards_are_not_wild(self):
        self.assertEqual(search(self.client, "%").context["search"].count, 0)
        self.assertEqual(search(self.client, "50%").context["search"].count, 1)
        self.assertEqual(search(self.client, "ion_plan").context["search"].count, 0)

    def test_an_empty_search_shows_the_box_and_no_results(self):
        response = search(self.client)
        self.assertContains(response, '<input type="search" id="search-q"')
        self.assertNotContains(response, "result-count")
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)

    def test_a_long_search_says_it_was_cut(self):
        self.assertContains(search(self.client, "cooperation " * 100), "only its beginning")


class SearchBoxTests(TestCase):
    def test_every_page_has_a_search_box_in_its_language(self):
        for url, action, label in [
            ("/", "/search/", "Search the readouts"),
            ("/ja/", "/ja/search/", "会談概要の検索"),
            ("/topics/", "/search/", "Search the readouts"),
        ]:
            with self.subTest(url=url):
                page = lxml_html.fromstring(self.client.get(url).content)
                (form,) = page.cssselect(".site-header form[role=search]")
                self.assertEqual(form.get("action"), action)
                self.assertEqual(form.cssselect("input")[0].get("name"), "q")
                self.assertEqual(page.cssselect("label[for=site-search-q]")[0].text, label)

    def test_the_search_page_is_titled_with_the_query_and_its_ids_are_unique(self):
        response = search(self.client, "North Korea")
        self.assertContains(response, "<title>Search: North Korea · ")
        ids = lxml_html.fromstring(response.content).xpath("//@id")
        self.assertEqual(len(ids), len(set(ids)))


class DocumentsKeptCurrentTests(TestCase):
    """Every way content changes rewrites the documents of the meetings it shows in."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page("Canada", slug="canada")

    def setUp(self):
        self.meeting = factories.meeting(self.page, title="The readout", lead="They met.")
        factories.agenda(self.meeting, "A first item.")
        self.meeting.agenda_items.get().tags.add("Fisheries")
        revisions.record(self.meeting, event="Saved in the admin")

    def found(self, q):
        return result_titles(search(self.client, q))

    def test_a_recorded_change_is_searchable(self):
        self.meeting.agenda_items.update(text="Whaling was discussed.")
        self.assertEqual(self.found("whaling"), [])
        revisions.record(self.meeting, event="Saved in the admin")
        self.assertEqual(self.found("whaling"), ["The readout"])

    def test_an_approved_correction_is_searchable_and_its_draft_never_was(self):
        draft = workflow.start_correction(self.meeting, by=self.editor)
        draft.agenda_items.update(text="Whaling was discussed.")
        workflow.submit_for_review(draft, by=self.editor)
        self.assertEqual(self.found("whaling"), [])
        workflow.approve(draft, by=self.publisher)
        self.assertEqual(self.found("whaling"), ["The readout"])
        self.assertEqual(self.found("first item"), [])

    def test_renaming_what_a_document_copies_rewrites_it(self):
        self.page.counterpart = "Dominion of Canada"
        self.page.save()
        self.assertEqual(self.found("dominion"), ["The readout"])
        topics.rename_topic(self.meeting.agenda_items.get().tags.get(), "Fishing rights")
        self.assertEqual(self.found("fishing rights"), ["The readout"])

    def test_merging_topics_rewrites_the_documents_of_their_meetings(self):
        into = topics.tag_named("Maritime affairs")
        topics.merge_topics([self.meeting.agenda_items.get().tags.get(), into], into)
        self.assertEqual(self.found("maritime"), ["The readout"])

    def test_the_command_writes_every_document_and_migrate_the_missing_ones(self):
        SearchDocument.objects.all().delete()
        self.assertEqual(self.found("first item"), [])
        call_command("index_meetings", "--missing", stdout=io.StringIO())
        self.assertEqual(self.found("first item"), ["The readout"])
        SearchDocument.objects.all().delete()
        indexing.index_missing_after_migrate(sender=None, using="default")
        self.assertEqual(SearchDocument.objects.count(), 1)


class RememberedSearchTests(TestCase):
    """A search typed again is answered from the cache until the public content changes."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page("Canada", slug="canada")
        meeting = factories.meeting(cls.page, title="Whaling talks", lead="Whaling.")
        revisions.record(meeting, event="Saved in the admin")

    def setUp(self):
        caches["searches"].clear()
        caching.current_version()  # the version row exists, as on any running site

    def statements_of(self, q):
        with CaptureQueriesContext(connection) as queries:
            titles = result_titles(search(self.client, q))
        return titles, [query["sql"] for query in queries]

    def test_the_same_search_again_skips_the_costly_statement(self):
        with self.settings(PORTAL_PAGE_CACHE_SECONDS=600):
            first, first_sql = self.statements_of("whaling")
            again, again_sql = self.statements_of("whaling")
        self.assertEqual(first, again)
        self.assertEqual(len(again_sql), len(first_sql) - 1)
        self.assertTrue(any("matching" in sql for sql in first_sql))
        self.assertFalse(any("matching" in sql for sql in again_sql))

    def test_a_meeting_published_since_is_found_at_once(self):
        with self.settings(PORTAL_PAGE_CACHE_SECONDS=600):
            self.assertEqual(self.statements_of("whaling")[0], ["Whaling talks"])
            draft = factories.meeting(
                self.page, published=False, title="More whaling talks", lead="Whaling again."
            )
            with self.captureOnCommitCallbacks(execute=True):
                workflow.submit_for_review(draft, by=self.editor)
                workflow.approve(draft, by=self.publisher)
            self.assertEqual(
                sorted(self.statements_of("whaling")[0]), ["More whaling talks", "Whaling talks"]
            )
