"""Who else has a meeting open: check-in, heartbeats, leaving, and what the page says."""

from datetime import timedelta

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import presence, revisions
from meetings.models import EditingPresence
from tests import factories


def heartbeat(client, meeting, tab="a1", **data):
    url = reverse("admin:meetings_meeting_presence", args=[meeting.pk])
    return client.post(url, {"tab": tab, **data})


class PresenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = factories.member_of("Editors", "alice", first_name="Alice")
        cls.bob = factories.member_of("Publishers", "bob")
        cls.erin = factories.member_of("Editors", "erin")
        cls.page = factories.relations_page("Atlantis")
        cls.meeting = factories.meeting(cls.page, published=False)
        cls.other_meeting = factories.meeting(cls.page, published=False)

    def ago(self, seconds):
        return timezone.now() - timedelta(seconds=seconds)

    def test_others_are_named_with_their_role_and_since_when_not_oneself(self):
        presence.check_in(self.meeting, self.alice, "t1")
        presence.check_in(self.meeting, self.bob, "t2")
        presence.check_in(self.meeting, self.erin, "t3")
        others = presence.others_on(self.meeting, self.erin)
        self.assertEqual(
            [(o["name"], o["role"]) for o in others], [("Alice", "editor"), ("bob", "publisher")]
        )
        self.assertRegex(
            presence.describe_others(others),
            r"^Also open here: Alice \(editor\) since \d\d:\d\d, "
            r"bob \(publisher\) since \d\d:\d\d\.$",
        )
        self.assertEqual(presence.others_on(self.other_meeting, self.erin), [])

    def test_one_person_in_two_tabs_counts_once_since_their_first(self):
        presence.check_in(self.meeting, self.alice, "t1")
        EditingPresence.objects.update(opened_at=self.ago(60))
        presence.check_in(self.meeting, self.alice, "t2")
        (alice,) = presence.others_on(self.meeting, self.bob)
        self.assertLess(alice["since"], self.ago(30))

    def test_a_heartbeat_keeps_the_row_and_its_opening_time(self):
        presence.check_in(self.meeting, self.alice, "t1")
        EditingPresence.objects.update(opened_at=self.ago(60), last_seen=self.ago(30))
        presence.check_in(self.meeting, self.alice, "t1")
        row = EditingPresence.objects.get()
        self.assertLess(row.opened_at, self.ago(50))
        self.assertGreater(row.last_seen, self.ago(5))

    def test_people_whose_heartbeats_stopped_are_gone_and_their_rows_deleted(self):
        presence.check_in(self.meeting, self.alice, "t1")
        presence.check_in(self.other_meeting, self.bob, "t2")
        EditingPresence.objects.update(last_seen=self.ago(presence.PRESENT_FOR.seconds + 1))
        self.assertEqual(presence.others_on(self.meeting, self.erin), [])
        presence.check_in(self.meeting, self.erin, "t3")
        # Every meeting's stale rows go, so the table holds only the pages open now.
        self.assertEqual(
            list(EditingPresence.objects.values_list("user__username", flat=True)), ["erin"]
        )

    def test_leaving_removes_only_that_tab(self):
        presence.check_in(self.meeting, self.alice, "t1")
        presence.check_in(self.meeting, self.alice, "t2")
        presence.leave(self.meeting, self.alice, "t1")
        self.assertEqual(list(EditingPresence.objects.values_list("tab", flat=True)), ["t2"])


class PresenceAddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = factories.member_of("Editors", "alice", first_name="Alice")
        cls.bob = factories.member_of("Publishers", "bob")
        cls.page = factories.relations_page("Atlantis")
        cls.meeting = factories.meeting(cls.page, published=False)
        cls.published = factories.meeting(cls.page, published=True)

    def setUp(self):
        self.client.force_login(self.bob)

    def test_the_change_page_names_who_else_is_there_and_checks_in(self):
        presence.check_in(self.meeting, self.alice, "t1")
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[self.meeting.pk]))
        since = timezone.localtime(EditingPresence.objects.get(user=self.alice).opened_at)
        self.assertContains(response, f"Also open here: Alice (editor) since {since:%H:%M}.")
        self.assertContains(response, 'aria-live="polite"')
        self.assertTrue(
            EditingPresence.objects.filter(user=self.bob, meeting=self.meeting).exists()
        )

    def test_the_heartbeat_answers_who_else_is_there(self):
        presence.check_in(self.meeting, self.alice, "t1")
        response = heartbeat(self.client, self.meeting, opened_version=self.meeting.edit_version)
        answer = response.json()
        self.assertEqual([(o["name"], o["role"]) for o in answer["others"]], [("Alice", "editor")])
        self.assertIn("Also open here: Alice (editor) since", answer["others_text"])
        self.assertEqual(answer["changed_text"], "")
        self.assertTrue(EditingPresence.objects.filter(user=self.bob, tab="a1").exists())

    def test_the_heartbeat_says_who_saved_since_the_page_was_opened(self):
        opened = self.meeting.edit_version
        revisions.record(self.meeting, by=self.alice, event="Saved in the admin")
        answer = heartbeat(self.client, self.meeting, opened_version=opened).json()
        self.assertRegex(
            answer["changed_text"], r"^Alice saved changes at \d\d:\d\d: reload before saving"
        )
        self.assertEqual(answer["version"], opened + 1)

    def test_leaving_answers_no_content_and_forgets_the_tab(self):
        heartbeat(self.client, self.meeting, tab="b2")
        url = reverse("admin:meetings_meeting_presence_leave", args=[self.meeting.pk])
        self.assertEqual(self.client.post(url, {"tab": "b2"}).status_code, 204)
        self.assertFalse(EditingPresence.objects.exists())

    def test_a_read_only_meeting_shows_who_is_there_too(self):
        self.assertEqual(heartbeat(self.client, self.published).status_code, 200)

    def test_unknown_meetings_are_not_found(self):
        for name in ("admin:meetings_meeting_presence", "admin:meetings_meeting_presence_leave"):
            response = self.client.post(reverse(name, args=[999999]), {"tab": "a1"})
            self.assertEqual(response.status_code, 404)
        # Not a number: not our address; the admin's own catch-all sends it to the list.
        self.assertEqual(self.client.post("/admin/meetings/meeting/abc/presence/").status_code, 302)

    def test_only_a_post_with_a_tab_is_taken(self):
        url = reverse("admin:meetings_meeting_presence", args=[self.meeting.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(url).status_code, 400)
        self.assertEqual(self.client.post(url, {"tab": "<script>"}).status_code, 400)
        self.assertFalse(EditingPresence.objects.exists())

    def test_people_who_may_not_see_the_meeting_are_refused(self):
        nobody = factories.staff_user("nobody", superuser=False)
        self.client.force_login(nobody)
        self.assertEqual(heartbeat(self.client, self.meeting).status_code, 403)
        self.client.logout()
        self.assertEqual(heartbeat(self.client, self.meeting).status_code, 302)  # to log in
        self.assertFalse(EditingPresence.objects.exists())

    def test_the_heartbeat_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        self.assertEqual(heartbeat(client, self.meeting).status_code, 403)

    def test_a_heartbeat_costs_the_same_queries_however_many_are_there(self):
        def queries():
            with CaptureQueriesContext(connection) as context:
                answer = heartbeat(self.client, self.meeting, opened_version=0)
            self.assertEqual(answer.status_code, 200)
            return len(context.captured_queries), len(answer.json()["others"])

        presence.check_in(self.meeting, self.alice, "t1")
        heartbeat(self.client, self.meeting)  # the first one inserts the row
        few, seen = queries()
        for number in range(4):
            person = factories.member_of("Editors", f"person{number}")
            presence.check_in(self.meeting, person, "t1")
        many, seen_many = queries()
        self.assertEqual((seen, seen_many), (1, 5))
        self.assertEqual(few, many)
        # The session, its user, whether that user has a second factor (signed in without a
        # code), the meeting, permissions, presence rows, the latest revision.
        self.assertLessEqual(many, 11)
