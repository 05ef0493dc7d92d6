from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from taggit.models import Tag

from meetings import topics
from meetings.importing import Vocabulary, parse_readout, save_readout
from meetings.models import Topic
from tests import factories
from tests.browser_forms import admin_change_form, read_form
from tests.meetings.test_importing import fixture_text

VOCABULARY = Vocabulary(
    topics=[
        ("North Korea", ["North Korea", "DPRK", "North Korea’s"]),
        ("Russia’s aggression against Ukraine", ["Russia’s aggression against Ukraine", "Ukraine"]),
        ("Space", ["Space"]),
        ("China", ["China"]),
    ]
)


class VocabularyTests(SimpleTestCase):
    def test_items_and_the_meeting_are_tagged_with_the_topics_named_in_them(self):
        parsed = parse_readout(fixture_text("foreign-ministers-meeting.txt"), VOCABULARY)
        self.assertEqual(parsed.agenda_items[0].tags, [])
        self.assertEqual(parsed.agenda_items[3].tags, ["China"])
        self.assertIn("North Korea", parsed.agenda_items[4].tags)
        self.assertEqual(parsed.agenda_items[5].tags, ["Russia’s aggression against Ukraine"])
        self.assertEqual(parsed.agenda_items[7].tags, ["Space"])
        self.assertEqual(
            parsed.tags, ["China", "North Korea", "Russia’s aggression against Ukraine", "Space"]
        )

    def test_synonyms_match_regardless_of_case_and_apostrophe(self):
        self.assertEqual(VOCABULARY.topics_in("the dprk launched"), ["North Korea"])
        self.assertEqual(VOCABULARY.topics_in("North Korea's missiles"), ["North Korea"])
        self.assertEqual(VOCABULARY.topics_in("spacecraft"), [])

    def test_canonical_names(self):
        self.assertEqual(VOCABULARY.canonical("dprk"), "North Korea")
        self.assertEqual(VOCABULARY.canonical("Tokyo"), "Tokyo")


class EditorsListsTests(TestCase):
    def test_topics_from_the_database_tag_an_import_under_one_canonical_tag(self):
        Tag.objects.create(name="north korea")
        topics.define_topic("North Korea", "DPRK, North Korea’s")
        vocabulary = Vocabulary.from_database()
        meeting = save_readout(
            parse_readout(fixture_text("telephone-talk.txt"), vocabulary)
        ).meeting
        self.assertEqual([t.name for t in meeting.tags.all()], ["north korea"])
        self.assertEqual(Tag.objects.filter(name__iexact="north korea").count(), 1)


class RenameAndMergeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page()
        cls.meeting = factories.meeting(cls.page, tags=["DPRK"])
        cls.other = factories.meeting(cls.page, tags=["North Korea", "DPRK"])
        cls.item = factories.agenda(cls.meeting, "On the DPRK.")[0]
        cls.item.tags.add("DPRK")

    def test_renaming_a_topic_redirects_its_old_address(self):
        tag = Tag.objects.get(name="DPRK")
        topics.rename_topic(tag, "Democratic People’s Republic of Korea")
        response = self.client.get(reverse("meetings:topic", args=["dprk"]))
        self.assertRedirects(
            response,
            reverse("meetings:topic", args=[tag.slug]),
            status_code=301,
        )
        feed = self.client.get(reverse("meetings:topic-feed-atom", args=["dprk"]))
        self.assertEqual(feed.status_code, 301)

    def test_merging_moves_every_use_to_one_tag_and_redirects(self):
        dprk, north_korea = Tag.objects.get(name="DPRK"), Tag.objects.get(name="North Korea")
        topics.merge_topics([dprk, north_korea], into=north_korea)
        self.assertFalse(Tag.objects.filter(name="DPRK").exists())
        self.assertEqual([t.name for t in self.meeting.tags.all()], ["North Korea"])
        self.assertEqual([t.name for t in self.other.tags.all()], ["North Korea"])
        self.assertEqual([t.name for t in self.item.tags.all()], ["North Korea"])
        self.assertRedirects(
            self.client.get(reverse("meetings:topic", args=["dprk"])),
            reverse("meetings:topic", args=["north-korea"]),
            status_code=301,
        )

    def test_merging_topics_keeps_their_names_as_synonyms(self):
        topics.define_topic("North Korea", "North Korea’s")
        topics.define_topic("DPRK", "Pyongyang")
        north_korea = Tag.objects.get(name="North Korea")
        topics.merge_topics(list(Tag.objects.filter(name__in=["DPRK", "North Korea"])), north_korea)
        self.assertEqual(
            Topic.objects.get().phrases(), ["North Korea", "North Korea’s", "Pyongyang", "DPRK"]
        )

    def test_an_unknown_topic_address_is_still_not_found(self):
        self.assertEqual(
            self.client.get(reverse("meetings:topic", args=["atlantis"])).status_code, 404
        )


class TopicAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        factories.meeting(tags=["DPRK", "North Korea"])

    def setUp(self):
        self.client.force_login(self.user)

    def test_editors_add_a_topic_with_synonyms(self):
        form = admin_change_form(self.client, reverse("admin:meetings_topic_add"))
        form.set("name", "Space").set("synonyms", "outer space\nJAXA")
        response = form.submit(self.client)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Topic.objects.get().phrases(), ["Space", "outer space", "JAXA"])

    def test_a_second_topic_of_the_same_name_is_refused_at_the_field(self):
        topics.define_topic("North Korea")
        form = admin_change_form(self.client, reverse("admin:meetings_topic_add"))
        response = form.set("name", "north korea").submit(self.client)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already a topic", response.context["adminform"].form.errors["name"][0])

    def test_the_topic_pages_load(self):
        topic = topics.define_topic("North Korea", "DPRK")
        for url in (
            reverse("admin:meetings_topic_changelist"),
            reverse("admin:meetings_topic_change", args=[topic.pk]),
            reverse("admin:taggit_tag_changelist"),
        ):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_admins_lists_of_topics_are_alphabetical_whatever_the_capitals(self):
        for name in ("APEC", "abductions issue", "ASEAN", "Climate change"):
            topics.define_topic(name)
        factories.meeting(tags=["ASEAN", "abductions issue", "APEC"])
        expected = ["abductions issue", "APEC", "ASEAN"]

        response = self.client.get(reverse("admin:meetings_topic_changelist"))
        names = [topic.tag.name for topic in response.context["cl"].result_list]
        self.assertEqual([n for n in names if n in expected], expected)

        response = self.client.get(reverse("admin:taggit_tag_changelist"))
        names = [tag.name for tag in response.context["cl"].result_list]
        self.assertEqual([n for n in names if n in expected], expected)

        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        [topic_filter] = [f for f in response.context["cl"].filter_specs if f.title == "topic"]
        names = [name for _, name in topic_filter.lookup_choices]
        self.assertEqual([n for n in names if n in expected], expected)
        self.assertNotIn("Climate change", names)  # no meeting has it: nothing to filter
        self.assertContains(response, "By topic")
        self.assertContains(response, "No topic yet")  # the meetings still to be tagged
        untagged = factories.meeting(title="Not tagged yet")
        response = self.client.get(
            reverse("admin:meetings_meeting_changelist"), {"tags__isnull": "True"}
        )
        self.assertEqual(list(response.context["cl"].result_list), [untagged])

    def test_merging_tags_asks_which_to_keep_then_merges(self):
        changelist = reverse("admin:taggit_tag_changelist")
        actions = read_form(self.client.get(changelist), "#changelist-form")
        for pk in Tag.objects.values_list("pk", flat=True):
            actions.tick("_selected_action", pk)
        offered = actions.element.cssselect("select[name=action] option")
        self.assertIn("merge_tags", [option.get("value") for option in offered])
        actions.set("action", "merge_tags")
        ask = actions.submit(self.client, "index")
        self.assertContains(ask, "Keep which tag?")
        keep = Tag.objects.get(name="North Korea")
        choice = read_form(ask, "input[name=merge_into]")
        done = choice.tick("merge_into", keep.pk).submit(self.client)
        self.assertEqual(done.status_code, 302)
        self.assertEqual(list(Tag.objects.values_list("name", flat=True)), ["North Korea"])

    def test_renaming_a_tag_in_the_admin_keeps_the_old_address(self):
        tag = Tag.objects.get(name="DPRK")
        form = admin_change_form(self.client, reverse("admin:taggit_tag_change", args=[tag.pk]))
        form.set("name", "Korea, North").submit(self.client)
        tag.refresh_from_db()
        self.assertEqual(tag.name, "Korea, North")
        self.assertRedirects(
            self.client.get(reverse("meetings:topic", args=["dprk"])),
            reverse("meetings:topic", args=[tag.slug]),
            status_code=301,
        )


class TagInputTests(SimpleTestCase):
    def test_only_names_holding_a_comma_are_quoted_as_the_admins_tag_field_shows_them(self):
        names = ["G7", "North Korea", "Trade, investment"]
        self.assertEqual(topics.tag_input(names), 'G7, North Korea, "Trade, investment"')
        self.assertEqual(topics.split_tag_names(topics.tag_input(names)), names)

    def test_a_tag_field_lists_its_topics_alphabetically_whatever_the_capitals(self):
        self.assertEqual(
            topics.tag_input(["APEC", "Abductions issue", "ASEAN", "China"]),
            "Abductions issue, APEC, ASEAN, China",
        )

    def test_an_editors_input_is_split_at_commas_each_name_once(self):
        self.assertEqual(topics.split_tag_names("ROK, G7 ,ROK, g7"), ["G7", "ROK"])

    def test_lines_separate_topics_as_commas_do(self):
        self.assertEqual(
            topics.split_tag_names("China\nNorth Korea, G7\n\n"), ["China", "G7", "North Korea"]
        )

    def test_a_name_of_several_words_typed_alone_is_one_topic(self):
        # taggit's own reading split it at spaces: “North Korea” became “North” and “Korea”.
        self.assertEqual(topics.split_tag_names("North Korea"), ["North Korea"])
