from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from meetings.models import Meeting, PhotoSession, describe_duration, numbered_overview
from tests import factories


class PublicationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page()
        cls.public = factories.meeting(cls.page)
        cls.draft = factories.meeting(cls.page, published=False)
        cls.scheduled = factories.meeting(cls.page, published_at=timezone.now() + timedelta(days=1))

    def test_only_published_meetings_whose_time_has_come_are_public(self):
        self.assertQuerySetEqual(Meeting.objects.published(), [self.public])
        self.assertTrue(self.public.is_public)
        self.assertFalse(self.draft.is_public)
        self.assertFalse(self.scheduled.is_public)

    def test_a_published_meeting_needs_a_publication_time_in_the_database(self):
        self.draft.state = Meeting.State.PUBLISHED
        self.draft.published_at = None
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.draft.save()


class MeetingRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.relations_page()

    def test_slug_is_made_from_the_title(self):
        meeting = factories.meeting(self.page, title="Japan-U.S. Foreign Ministers’ Meeting")
        self.assertEqual(meeting.slug, "japan-us-foreign-ministers-meeting")

    def test_same_slug_on_the_same_page_and_date_is_refused_at_the_slug_field(self):
        first = factories.meeting(self.page, title="Summit", date=date(2024, 5, 1))
        second = Meeting(
            relations_page=self.page,
            title="Summit",
            date=first.date,
            lead="On …",
            meeting_type=first.meeting_type,
        )
        with self.assertRaises(ValidationError) as raised:
            second.full_clean()
        self.assertIn("slug", raised.exception.message_dict)
        self.assertIn("already has the address", raised.exception.message_dict["slug"][0])

    def test_same_slug_on_another_date_is_allowed(self):
        first = factories.meeting(self.page, title="Summit", date=date(2024, 5, 1))
        other = factories.meeting(self.page, title="Summit", date=date(2024, 5, 2))
        self.assertEqual(other.slug, first.slug)
        self.assertIsNone(other.full_clean())
        self.assertNotEqual(other.get_absolute_url(), first.get_absolute_url())

    def test_slug_uniqueness_holds_in_the_database(self):
        first = factories.meeting(self.page, title="Summit", date=date(2024, 5, 1))
        with self.assertRaises(IntegrityError), transaction.atomic():
            factories.meeting(self.page, title="Summit", date=first.date)

    def test_a_duration_must_be_positive_in_the_database(self):
        meeting = factories.meeting(self.page)
        meeting.duration = timedelta(0)
        with self.assertRaises(IntegrityError), transaction.atomic():
            meeting.save()

    def test_address_carries_page_date_and_slug(self):
        meeting = factories.meeting(self.page, title="Talk", date=date(2023, 5, 9))
        self.assertEqual(
            meeting.get_absolute_url(), f"/relations/{self.page.slug}/2023/05/09/talk/"
        )

    def test_guid_is_a_uuid_urn_that_survives_a_new_title(self):
        meeting = factories.meeting(self.page)
        guid = meeting.guid
        meeting.title = "Renamed"
        meeting.slug = ""
        meeting.save()
        self.assertEqual(meeting.guid, guid)
        self.assertTrue(guid.startswith("urn:uuid:"))


class OverviewTests(TestCase):
    def test_sub_items_belong_to_the_item_above_them(self):
        meeting = factories.meeting()
        factories.agenda(meeting, "One", "Two", "- Two (1)", "- Two (2)", "Three", "- Three (1)")
        overview = meeting.overview()
        self.assertEqual(
            [(item.text, [sub.text for sub in subs]) for item, subs in overview],
            [("One", []), ("Two", ["Two (1)", "Two (2)"]), ("Three", ["Three (1)"])],
        )

    def test_a_stray_leading_sub_item_is_shown_as_an_item_not_lost(self):
        class Item:
            def __init__(self, text, is_sub_item):
                self.text, self.is_sub_item = text, is_sub_item

        overview = numbered_overview([Item("stray", True), Item("One", False)])
        self.assertEqual([item.text for item, _ in overview], ["stray", "One"])


class DurationTextTests(TestCase):
    def test_durations_read_as_the_ministry_writes_them(self):
        self.assertEqual(describe_duration(timedelta(minutes=45)), "45 minutes")
        self.assertEqual(describe_duration(timedelta(hours=1)), "1 hour")
        self.assertEqual(describe_duration(timedelta(minutes=70)), "1 hour and 10 minutes")
        self.assertEqual(describe_duration(timedelta(minutes=121)), "2 hours and 1 minute")
        self.assertEqual(describe_duration(None), "")


class PhotoSessionTests(TestCase):
    def test_a_photo_with_an_image_needs_alt_text(self):
        meeting = factories.meeting()
        image = SimpleUploadedFile("photo.gif", factories.GIF_1PX, content_type="image/gif")
        photo = PhotoSession(meeting=meeting, caption="Handshake", image=image)
        with self.assertRaises(ValidationError) as raised:
            photo.full_clean()
        self.assertIn("alt_text", raised.exception.message_dict)

    def test_a_caption_without_an_image_is_a_valid_photo_session(self):
        meeting = factories.meeting()
        photo = PhotoSession(meeting=meeting, caption="Photo session before the meeting")
        self.assertIsNone(photo.full_clean())
        photo.save()
        self.assertEqual(
            list(meeting.photo_sessions.values_list("caption", flat=True)),
            ["Photo session before the meeting"],
        )
        self.assertFalse(photo.image)
