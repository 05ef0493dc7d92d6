"""The language of a page is its address's, for that request only."""

from django.test import TestCase
from django.utils import translation

from tests import factories


class LanguageOfARequestTests(TestCase):
    def test_a_japanese_page_leaves_what_runs_next_in_english(self):
        response = self.client.get("/ja/")
        self.assertEqual(response.headers["Content-Language"], "ja")
        self.assertEqual(translation.get_language(), "en")
        page = factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
        self.assertEqual(page.title_en, "Japan-Atlantis Relations")
