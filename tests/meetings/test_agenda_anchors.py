"""Each agenda item has an anchor built from its number, which a journalist can cite."""

import re

from django.test import TestCase

from meetings import workflow
from meetings.models import AgendaItem
from tests import factories


def anchors_on(page_html):
    return re.findall(r'<li id="(item-[\d-]+)">', page_html)


class AgendaAnchorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        cls.page = factories.relations_page("Canada", slug="canada")

    def setUp(self):
        self.meeting = factories.meeting(self.page)
        factories.agenda(
            self.meeting,
            "Bilateral relations.",
            "Regional affairs.",
            "- North Korea.",
            "- China.",
            "Global issues.",
        )

    def page_html(self):
        return self.client.get(self.meeting.get_absolute_url()).content.decode()

    def test_anchors_follow_the_numbers_the_page_shows(self):
        html = self.page_html()
        self.assertEqual(anchors_on(html), ["item-1", "item-2", "item-2-1", "item-2-2", "item-3"])
        self.assertIn('href="#item-2-1"', html)
        self.assertIn("Link to item 2 (1)", html)

    def test_a_correction_that_does_not_renumber_keeps_every_anchor(self):
        before = anchors_on(self.page_html())
        draft = workflow.start_correction(self.meeting, by=self.editor)
        draft.agenda_items.filter(position=3).update(text="North Korea, corrected.")
        workflow.submit_for_review(draft, by=self.editor)
        workflow.approve(draft, by=self.publisher)
        html = self.page_html()
        self.assertIn("North Korea, corrected.", html)
        self.assertEqual(anchors_on(html), before)
        # The rows are new (database ids changed): the anchors did not.
        self.assertNotIn(f'id="item-{self.meeting.agenda_items.first().pk}"', html)

    def test_anchors_of_items_read_without_their_page(self):
        items = {item.text: item.pk for item in AgendaItem.objects.all()}
        anchors = AgendaItem.objects.anchors([self.meeting.pk])
        self.assertEqual(anchors[items["China."]], "item-2-2")
        self.assertEqual(anchors[items["Global issues."]], "item-3")

    def test_a_sub_item_with_no_item_above_is_numbered_as_an_item(self):
        other = factories.meeting(self.page)
        factories.agenda(other, "- Opening remarks.", "- Closing.")
        self.assertEqual(
            sorted(AgendaItem.objects.anchors([other.pk]).values()), ["item-1", "item-1-1"]
        )
