"""The workflow panel offers only the steps this person can take now, and says plainly why
one they might look for is missing."""

import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from meetings import workflow
from tests import factories


def steps_offered(response):
    """The workflow steps the page offers as buttons, by their value."""
    return re.findall(
        r'<button[^>]*name="transition"[^>]*value="([a-z_]+)"', response.content.decode()
    )


class StepsOfferedTests(TestCase):
    def open(self, user, meeting):
        self.client.force_login(user)
        return self.client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    def test_alone_on_a_fresh_install_the_admin_is_told_how_to_get_a_second_publisher(self):
        admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
        meeting = factories.meeting(published=False)
        workflow.submit_for_review(meeting, by=admin)

        response = self.open(admin, meeting)
        self.assertNotIn("approve", steps_offered(response))
        self.assertContains(response, "You submitted this meeting: another publisher approves it.")
        self.assertContains(response, "There is no other publisher yet")
        self.assertContains(response, "manage.py add_person NAME --role publisher")

    def test_with_a_second_publisher_the_submitter_waits_and_the_other_approves(self):
        first = factories.member_of("Publishers", "first")
        second = factories.member_of("Publishers", "second")
        meeting = factories.meeting(published=False)
        workflow.submit_for_review(meeting, by=first)

        response = self.open(first, meeting)
        self.assertNotIn("approve", steps_offered(response))
        self.assertContains(response, "You submitted this meeting: another publisher approves it.")
        self.assertNotContains(response, "There is no other publisher yet")

        response = self.open(second, meeting)
        self.assertEqual(steps_offered(response)[0], "approve")
        self.assertNotContains(response, "another publisher approves it")

    def test_an_inactive_publisher_is_no_second_publisher(self):
        admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
        factories.member_of("Publishers", "gone", is_active=False)
        meeting = factories.meeting(published=False)
        workflow.submit_for_review(meeting, by=admin)
        self.assertContains(self.open(admin, meeting), "There is no other publisher yet")

    def test_an_editor_is_told_that_publishing_is_a_publishers_step(self):
        editor = factories.member_of("Editors", "editor")
        draft = factories.meeting(published=False)
        response = self.open(editor, draft)
        self.assertEqual(steps_offered(response), ["submit"])
        self.assertContains(response, "Publishing is a publisher’s step")

        workflow.submit_for_review(draft, by=editor)
        response = self.open(editor, draft)
        self.assertEqual(steps_offered(response), [])
        self.assertContains(response, "A publisher reviews it now")

        published = factories.meeting()
        response = self.open(editor, published)
        self.assertEqual(steps_offered(response), ["correct"])
        self.assertContains(response, "Expiry and taking down are publishers’ steps")


class TimeZoneTests(TestCase):
    def test_the_times_a_publisher_types_say_they_are_the_ministrys(self):
        publisher = factories.member_of("Publishers", "publisher")
        self.client.force_login(publisher)
        draft = factories.meeting(published=False)
        page = self.client.get(reverse("admin:meetings_meeting_change", args=[draft.pk]))
        self.assertContains(page, "Publish at, Tokyo time (UTC+09:00)")
        self.assertNotContains(page, "server time")

        with self.settings(TIME_ZONE="Europe/London"):
            published = factories.meeting()
            page = self.client.get(reverse("admin:meetings_meeting_change", args=[published.pk]))
            self.assertContains(page, "Expiry time, London time (UTC+")
