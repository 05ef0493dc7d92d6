"""Which type the importer gives a meeting, read from its title.

The rule with the most phrases met decides; between equally long rules, the type higher in
the editors' list of types (its precedence) wins, so a strategic dialogue between foreign
ministers is a strategic dialogue, not a foreign ministers' meeting.
"""

import importlib

from django.apps import apps
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from meetings.importing import Vocabulary
from meetings.models import MeetingType
from tests import factories
from tests.browser_forms import read_form

# Titles as the ministry writes them, and the type each readout should get.
TITLES = [
    ("Japan-France Summit Telephone Talk", "summit-telephone-talk"),
    (
        "Telephone Talk between Prime Minister Ishiba and Prime Minister Albanese of Australia",
        "summit-telephone-talk",
    ),
    ("Japan-Canada Foreign Ministers' Telephone Talk", "foreign-ministers-telephone-talk"),
    ("Japan-Germany Foreign Ministers’ Telephone Talk", "foreign-ministers-telephone-talk"),
    ("Japan-India Summit Meeting", "summit-meeting"),
    ("Japan-Philippines Leaders’ Meeting", "summit-meeting"),
    ("Japan-ROK Foreign Ministers' Meeting", "foreign-ministers-meeting"),
    ("Meeting between Foreign Minister Iwaya and Mr. Wang Yi", "foreign-ministers-meeting"),
    (
        "Courtesy Call on Prime Minister Ishiba by Foreign Minister Wong of Australia",
        "courtesy-call",
    ),
    ("Courtesy Call on Foreign Minister Iwaya by Governor Newsom of California", "courtesy-call"),
    ("Japan-Australia Foreign Ministers' Strategic Dialogue", "strategic-dialogue"),
    ("Japan-U.S.-Australia Trilateral Strategic Dialogue", "strategic-dialogue"),
    ("Japan-U.S. Summit Working Lunch", "working-lunch-or-dinner"),
    ("Japan-Philippines Foreign Ministers’ Working Dinner", "working-lunch-or-dinner"),
    ("Japan-Viet Nam Summit Working Breakfast", "working-lunch-or-dinner"),
    ("Japan-U.S.-ROK Trilateral Summit Meeting", "trilateral-meeting"),
    ("Japan-U.S.-Philippines Trilateral Foreign Ministers’ Meeting", "trilateral-meeting"),
    # “summit + telephone” is a longer rule than “trilateral”, and so more specific.
    ("Japan-U.S.-ROK Trilateral Summit Telephone Talk", "summit-telephone-talk"),
    ("Japan-China High-Level Economic Dialogue", "other"),
]


class TypesFromTitlesWithoutADatabaseTests(SimpleTestCase):
    def test_each_title_gets_the_most_specific_type(self):
        vocabulary = Vocabulary.builtin()
        for title, slug in TITLES:
            with self.subTest(title):
                self.assertEqual(vocabulary.meeting_type_for(title), slug)


class TypesFromTitlesWithTheEditorsListTests(TestCase):
    def test_each_title_gets_the_most_specific_type(self):
        vocabulary = Vocabulary.from_database()
        for title, slug in TITLES:
            with self.subTest(title):
                self.assertEqual(vocabulary.meeting_type_for(title), slug)

    def test_a_type_editors_add_wins_over_the_defaults_on_equally_long_rules(self):
        MeetingType.objects.create(
            name="Ministerial consultations", slug="consultations", title_phrases="consultations"
        )
        vocabulary = Vocabulary.from_database()
        self.assertEqual(
            vocabulary.meeting_type_for("Japan-Australia Summit Consultations"), "consultations"
        )

    def test_the_builtin_rules_are_those_the_migrations_give(self):
        from_database = [
            (slug, rules) for slug, rules in Vocabulary.from_database().type_rules if rules
        ]
        self.assertEqual(from_database, Vocabulary.builtin().type_rules)

    def test_the_new_default_types_have_japanese_names(self):
        self.assertEqual(
            dict(
                MeetingType.objects.filter(
                    slug__in=["working-lunch-or-dinner", "trilateral-meeting"]
                ).values_list("slug", "name_ja")
            ),
            {
                "working-lunch-or-dinner": "ワーキング・ランチ／ディナー",
                "trilateral-meeting": "三か国会合",
            },
        )


class PrecedenceInTheAdminTests(TestCase):
    TITLE = "Japan-U.S. Summit Working Lunch"

    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()

    def setUp(self):
        self.client.force_login(self.user)

    def type_list(self):
        return self.client.get(reverse("admin:meetings_meetingtype_changelist"))

    def test_the_list_of_types_reads_in_order_of_precedence(self):
        names = [row.name for row in self.type_list().context["cl"].result_list]
        self.assertEqual(
            names[:4],
            [
                "Summit telephone talk",
                "Foreign ministers’ telephone talk",
                "Courtesy call",
                "Strategic dialogue",
            ],
        )
        self.assertLess(names.index("Working lunch or dinner"), names.index("Summit meeting"))

    def test_the_type_form_explains_precedence(self):
        summit = MeetingType.objects.get(slug="summit-meeting")
        response = self.client.get(reverse("admin:meetings_meetingtype_change", args=[summit.pk]))
        self.assertContains(response, "the type with the lower number wins")

    def test_an_editor_who_puts_summits_first_gets_summit_working_lunches_typed_as_summits(self):
        self.assertEqual(
            Vocabulary.from_database().meeting_type_for(self.TITLE), "working-lunch-or-dinner"
        )
        summit = MeetingType.objects.get(slug="summit-meeting")
        form = read_form(self.type_list(), "#changelist-form")
        row = next(
            name.removesuffix("-id")
            for name, value in form.fields
            if name.endswith("-id") and value == str(summit.pk)
        )
        form.set(f"{row}-precedence", 45)
        response = form.submit(self.client, button="_save")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Vocabulary.from_database().meeting_type_for(self.TITLE), "summit-meeting")


class DefaultTypesMigrationTests(TestCase):
    """What 0017 does on an install where editors have already changed the types."""

    migration = importlib.import_module("meetings.migrations.0017_meeting_type_precedence")

    def run_migration(self):
        self.migration.add_types_and_precedence(apps, schema_editor=None)

    def test_it_keeps_what_editors_changed(self):
        MeetingType.objects.filter(slug="working-lunch-or-dinner").update(
            title_phrases="working lunch", precedence=35, position=2
        )
        MeetingType.objects.filter(slug="other").update(position=3)
        self.run_migration()
        lunch = MeetingType.objects.get(slug="working-lunch-or-dinner")
        self.assertEqual(
            (lunch.title_phrases, lunch.precedence, lunch.position), ("working lunch", 35, 2)
        )
        self.assertEqual(MeetingType.objects.get(slug="other").position, 3)

    def test_it_adds_no_type_whose_name_an_editor_already_gave_another(self):
        MeetingType.objects.filter(slug="trilateral-meeting").delete()
        MeetingType.objects.create(name="Trilateral meeting", slug="three-way", precedence=5)
        self.run_migration()
        self.assertFalse(MeetingType.objects.filter(slug="trilateral-meeting").exists())
        self.assertEqual(MeetingType.objects.get(slug="three-way").precedence, 5)

    def test_it_adds_a_missing_default_type_with_its_rules_and_precedence(self):
        MeetingType.objects.filter(slug="trilateral-meeting").delete()
        self.run_migration()
        trilateral = MeetingType.objects.get(slug="trilateral-meeting")
        self.assertEqual(
            (trilateral.name, trilateral.name_ja, trilateral.title_phrases, trilateral.precedence),
            ("Trilateral meeting", "三か国会合", "trilateral", 60),
        )
