from django.db import IntegrityError, transaction
from django.test import TestCase

from relations.models import RelationsPage
from tests import factories


class RelationsPageTests(TestCase):
    def test_counterpart_is_read_off_the_title(self):
        self.assertEqual(
            RelationsPage.counterpart_from_title("Japan-United States of America Relations"),
            "United States of America",
        )
        self.assertEqual(RelationsPage.counterpart_from_title("ASEAN"), "ASEAN")

    def test_a_new_page_from_a_title_gets_a_slug_from_the_counterpart(self):
        page = RelationsPage.new_from_title("Japan-Republic of Korea Relations")
        self.assertEqual((page.counterpart, page.slug), ("Republic of Korea", "republic-of-korea"))

    def test_slugs_are_unique(self):
        factories.relations_page(slug="france")
        with self.assertRaises(IntegrityError), transaction.atomic():
            factories.relations_page(slug="france")

    def test_regions_keep_the_editors_order(self):
        later = factories.region("Europe", position=2)
        first = factories.region("Asia", position=1)
        from relations.models import Region

        self.assertEqual(list(Region.objects.all()), [first, later])
