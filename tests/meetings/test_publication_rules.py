"""One rule for what is public, one place that decides when public content changed, and no
permission check that passing nothing skips."""

import itertools
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from meetings import caching, topics, workflow
from meetings.importing import parse_readout, save_readout
from meetings.models import Meeting, MeetingType, PublicContentVersion
from tests import factories
from tests.browser_forms import read_form
from tests.meetings.test_admin import meeting_form

State = Meeting.State


class OneRuleTests(TestCase):
    def test_a_meeting_is_public_exactly_when_published_includes_it(self):
        now = timezone.now()
        times = [None, now - timedelta(days=1), now + timedelta(days=1)]
        page = factories.relations_page()
        for state, published_at, expires_at in itertools.product(State, times, times):
            if state == State.PUBLISHED and published_at is None:
                continue  # the database refuses it
            meeting = factories.meeting(page, published=False)
            meeting.state, meeting.published_at = state, published_at
            meeting.expires_at = expires_at
            meeting.save()
            with self.subTest(state=state, published_at=published_at, expires_at=expires_at):
                in_query = Meeting.objects.published().filter(pk=meeting.pk).exists()
                self.assertEqual(meeting.is_public, in_query)

    def test_the_desk_shows_an_expired_meeting_neither_as_scheduled_nor_as_recently_published(
        self,
    ):
        publisher = factories.member_of("Publishers", "paul")
        expired = factories.meeting(title="Gone by its expiry time")
        expired.expires_at = timezone.now() - timedelta(minutes=1)
        expired.save()
        live = factories.meeting(title="Still public")
        request = RequestFactory().get("/admin/")
        request.user = publisher
        html = Template("{% load editors_desk %}{% editors_desk %}").render(
            Context({"request": request})
        )
        self.assertIn(live.title, html)
        self.assertNotIn(expired.title, html)


class NoSkippedPermissionTests(TestCase):
    def test_passing_no_one_is_refused_and_the_site_must_be_named(self):
        draft = factories.meeting(published=False)
        with self.assertRaises(PermissionDenied):
            workflow.publish(draft, by=None)
        with self.assertRaises(PermissionDenied):
            workflow.take_down(factories.meeting(), by=None, kind="in_error")
        workflow.publish(draft, by=workflow.SITE)
        entry = draft.publication_log.get()
        self.assertEqual((entry.actor, entry.to_state), (None, "published"))


def version():
    row = PublicContentVersion.objects.filter(pk=1).first()
    return row.version if row else 0


class OneInvalidationPointTests(TestCase):
    """Each public change moves the content version on (retiring every cached page and its
    ETag); a draft's steps leave it where it was."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "erin")
        cls.publisher = factories.member_of("Publishers", "paul")
        cls.page = factories.relations_page("Atlantis", title="Japan-Atlantis Relations")

    def assertRetires(self, step):
        before = version()
        with self.captureOnCommitCallbacks(execute=True):
            step()
        self.assertGreater(version(), before)

    def assertLeavesAlone(self, step):
        before = version()
        with self.captureOnCommitCallbacks(execute=True):
            step()
        self.assertEqual(version(), before)

    def test_draft_steps_leave_the_cache_alone(self):
        draft = factories.meeting(self.page, published=False)
        self.client.force_login(self.editor)
        self.assertLeavesAlone(
            lambda: meeting_form(self.client, meeting=draft, lead="On Monday, new words.").submit(
                self.client
            )
        )
        self.assertLeavesAlone(lambda: workflow.submit_for_review(draft, by=self.editor))
        self.assertLeavesAlone(lambda: workflow.reject(draft, by=self.publisher, comment="No."))
        text = (
            "Japan-Atlantis Relations\nMay 19, 2023\n(Photo) Japan-Atlantis Meeting\n\n"
            "On May 19, the ministers met.\n\n  1. On China.\n\nBack to Japan-Atlantis Relations\n"
        )
        self.assertLeavesAlone(lambda: save_readout(parse_readout(text)))
        live = factories.meeting(self.page)
        self.assertLeavesAlone(lambda: workflow.start_correction(live, by=self.editor))

    def test_public_changes_retire_the_cache(self):
        draft = factories.meeting(self.page, published=False)
        workflow.submit_for_review(draft, by=self.editor)
        self.assertRetires(lambda: workflow.approve(draft, by=self.publisher))
        correction = workflow.start_correction(draft, by=self.editor)
        workflow.submit_for_review(correction, by=self.editor)
        self.assertRetires(lambda: workflow.approve(correction, by=self.publisher))
        self.assertRetires(
            lambda: workflow.take_down(draft, by=self.publisher, kind="withdrawn", note="Why.")
        )
        self.assertRetires(lambda: workflow.restore_as_draft(draft, by=self.publisher))

    def test_anything_else_the_public_sees_retires_the_cache_whoever_saves_it(self):
        self.assertRetires(lambda: factories.relations_page("Lemuria"))
        self.assertRetires(lambda: self.page.save())
        self.assertRetires(lambda: factories.region("Oceania"))
        self.assertRetires(lambda: MeetingType.objects.filter(slug="other").first().save())
        tag = topics.tag_named("Space")
        self.assertRetires(lambda: topics.rename_topic(tag, "Outer space"))
        self.assertRetires(lambda: tag.delete())
        dprk, north_korea = topics.tag_named("DPRK"), topics.tag_named("North Korea")
        self.assertRetires(lambda: topics.merge_topics([dprk, north_korea], north_korea))

    def test_a_page_an_import_creates_hidden_leaves_the_cache_alone(self):
        from relations.models import RelationsPage

        self.assertLeavesAlone(
            lambda: RelationsPage.objects.create(
                title="Japan-Mu Relations", counterpart="Mu", slug="mu", published=False
            )
        )

    def test_an_admin_save_of_a_relations_page_is_seen_at_once(self):
        superuser = factories.staff_user("chief")
        self.client.force_login(superuser)
        change = reverse("admin:relations_relationspage_change", args=[self.page.pk])
        form = read_form(self.client.get(change), "#relationspage_form")
        self.assertRetires(
            lambda: form.set("introduction", "Relations since 1855.").submit(self.client)
        )

    def test_caching_decides_which_steps_are_public(self):
        meeting = Meeting(state=State.IN_REVIEW)
        self.assertLeavesAlone(lambda: caching.meeting_stepped(meeting, State.DRAFT))
        meeting.state = State.PUBLISHED
        self.assertRetires(lambda: caching.meeting_stepped(meeting, State.IN_REVIEW))
