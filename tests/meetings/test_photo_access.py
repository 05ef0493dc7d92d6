"""A meeting's photos are public exactly while its page is: not before, not after."""

import re
from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from meetings import revisions, workflow
from meetings.models import Meeting, PhotoSession, renditions
from tests import factories


def photo_of(meeting, filename="Handshake in Tokyo.GIF"):
    return PhotoSession.objects.create(
        meeting=meeting,
        image=factories.uploaded_gif(filename),
        caption="The two ministers",
        alt_text="The two ministers shake hands",
        position=meeting.photo_sessions.count() + 1,
    )


def cache_control(response):
    return set(response["Cache-Control"].split(", "))


class MeetingsInEveryState(TestCase):
    """A meeting in each state a photo's rule tells apart; each test adds its photos (files
    go to the test's own MEDIA_ROOT, tests/conftest.py)."""

    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.editor = factories.member_of("Editors", "editor")
        cls.publisher = factories.member_of("Publishers", "publisher")
        page = factories.relations_page("Canada", slug="canada")
        cls.published = factories.meeting(page, title="A published readout")
        cls.withdrawn = factories.meeting(page)
        workflow.take_down(cls.withdrawn, by=workflow.SITE, kind="withdrawn", note="A wrong name.")
        in_error = factories.meeting(page)
        workflow.take_down(in_error, by=workflow.SITE, kind="in_error")
        merged = factories.meeting(page)
        workflow.take_down(merged, by=workflow.SITE, kind="merged", merged_into=cls.published)
        cls.hidden = {
            "draft": factories.meeting(page, published=False),
            "in review": factories.meeting(page, published=False, state=Meeting.State.IN_REVIEW),
            "scheduled": factories.meeting(page, published_at=now + timedelta(days=1)),
            "expired": factories.meeting(page, expires_at=now - timedelta(minutes=1)),
            "taken down in error": in_error,
            "merged into another": merged,
        }


class PhotoAccessTests(MeetingsInEveryState):
    def test_a_photo_is_stored_under_a_name_that_cannot_be_guessed(self):
        name = photo_of(self.published).image.name
        self.assertRegex(name, r"^photos/[0-9a-f]{32}\.gif$")
        self.assertNotIn("Handshake", name)  # nor, by the pattern, a dated folder
        self.assertNotEqual(photo_of(self.hidden["draft"]).image.name, name)

    def test_photos_of_meetings_the_public_cannot_see_are_not_found(self):
        for state, meeting in self.hidden.items():
            with self.subTest(state):
                response = self.client.get(photo_of(meeting).image.url)
                self.assertEqual(response.status_code, 404)

    def test_photos_of_published_and_withdrawn_meetings_are_served_and_cacheable(self):
        for meeting in (self.published, self.withdrawn):
            with self.subTest(meeting.get_state_display()):
                url = photo_of(meeting).image.url
                with self.assertNumQueries(1):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(b"".join(response.streaming_content), factories.GIF_1PX)
                self.assertEqual(response["Content-Type"], "image/gif")
                self.assertEqual(cache_control(response), {"public", "max-age=300"})
                self.assertIn("Last-Modified", response)

    def test_the_photo_on_a_public_page_loads(self):
        for meeting in (self.published, self.withdrawn):
            with self.subTest(meeting.get_state_display()):
                photo_of(meeting)
                page = self.client.get(meeting.get_absolute_url())
                src = re.search(r'<img src="([^"]+)"', page.content.decode())[1]
                self.assertEqual(self.client.get(src).status_code, 200)

    def test_a_photo_answers_not_modified_when_the_browser_has_it(self):
        url = photo_of(self.published).image.url
        last_modified = self.client.get(url)["Last-Modified"]
        response = self.client.get(url, headers={"if-modified-since": last_modified})
        self.assertEqual(response.status_code, 304)
        self.assertEqual(cache_control(response), {"public", "max-age=300"})

    def test_a_photo_added_in_a_correction_stays_hidden_until_it_is_approved(self):
        shared = photo_of(self.published, "shared.gif")
        draft = workflow.start_correction(self.published, by=self.editor)
        added = photo_of(draft, "added.gif")
        # The draft's copy of a published photo is the same file, which stays public.
        self.assertEqual(self.client.get(shared.image.url).status_code, 200)
        self.assertEqual(self.client.get(added.image.url).status_code, 404)
        workflow.submit_for_review(draft, by=self.editor)
        self.assertEqual(self.client.get(added.image.url).status_code, 404)
        workflow.approve(Meeting.objects.get(pk=draft.pk), by=self.publisher)
        self.assertEqual(self.client.get(added.image.url).status_code, 200)

    def test_staff_who_view_meetings_see_every_photo_but_nobody_caches_it(self):
        self.client.force_login(self.editor)
        for state, meeting in self.hidden.items():
            with self.subTest(state):
                response = self.client.get(photo_of(meeting).image.url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(cache_control(response), {"private", "no-store"})

    def test_staff_who_may_not_view_meetings_are_refused_like_the_public(self):
        self.client.force_login(factories.staff_user("clerk", superuser=False))
        response = self.client.get(photo_of(self.hidden["draft"]).image.url)
        self.assertEqual(response.status_code, 404)

    @override_settings(PORTAL_MEDIA_ACCEL_REDIRECT="/protected-media/")
    def test_with_accel_redirect_the_view_decides_and_nginx_sends_the_file(self):
        public = photo_of(self.published)
        response = self.client.get(public.image.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Accel-Redirect"], f"/protected-media/{public.image.name}")
        self.assertEqual(response["Content-Type"], "image/gif")
        self.assertEqual(cache_control(response), {"public", "max-age=300"})
        self.assertEqual(response.content, b"")
        hidden = self.client.get(photo_of(self.hidden["draft"]).image.url)
        self.assertEqual(hidden.status_code, 404)
        self.assertNotIn("X-Accel-Redirect", hidden)

    def test_odd_addresses_are_not_found_never_a_server_error(self):
        public = photo_of(self.published)
        missing = photo_of(self.published, "missing.gif")
        missing.image.storage.delete(missing.image.name)
        media = settings.MEDIA_URL
        addresses = [
            media + "a" * 256,
            f"{media}photos/{'a' * 256}.gif",
            f"{media}photos/../../portal/settings.py",
            f"{media}photos/%2e%2e/%2e%2e/portal/settings.py",
            f"{media}photos//{public.image.name}",
            f"{media}photos/",
            f"{media}photos/no-such-photo.gif",
            missing.image.url,
        ]
        for who in ("the public", "staff"):
            if who == "staff":
                self.client.force_login(self.editor)
            for address in addresses:
                with self.subTest(who=who, address=address[:60]):
                    self.assertEqual(self.client.get(address).status_code, 404)

    def test_a_null_character_is_refused_before_any_photo_is_looked_up(self):
        # The site-wide RejectNullCharactersMiddleware answers 400 to any address with one.
        response = self.client.get(photo_of(self.published).image.url + "%00")
        self.assertEqual(response.status_code, 400)


def rendition_urls(photo):
    return [file.url for file in renditions.rendition_files(photo)]


class RenditionAccessTests(MeetingsInEveryState):
    """A photo's renditions are its own smaller copies: the same rule serves them."""

    def test_renditions_are_named_after_their_photo_in_its_folder(self):
        photo = photo_of(self.published)
        names = [file.name for file in renditions.rendition_files(photo)]
        self.assertEqual(len(names), 6)
        for name in names:
            self.assertRegex(name, rf"^photos/renditions/{photo.image.name[7:]}/\d+\.(webp|jpg)$")

    def test_renditions_of_photos_the_public_cannot_see_are_not_found(self):
        for state, meeting in self.hidden.items():
            for url in rendition_urls(photo_of(meeting)):
                with self.subTest(state, url=url[-10:]):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_renditions_of_published_and_withdrawn_meetings_are_served_and_cacheable(self):
        for meeting in (self.published, self.withdrawn):
            for url in rendition_urls(photo_of(meeting)):
                with self.subTest(meeting.get_state_display(), url=url[-10:]):
                    with self.assertNumQueries(1):
                        response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    kind = "image/webp" if url.endswith(".webp") else "image/jpeg"
                    self.assertEqual(response["Content-Type"], kind)
                    self.assertEqual(cache_control(response), {"public", "max-age=300"})

    def test_staff_see_every_rendition_but_nobody_caches_it(self):
        self.client.force_login(self.editor)
        for state, meeting in self.hidden.items():
            for url in rendition_urls(photo_of(meeting)):
                with self.subTest(state, url=url[-10:]):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(cache_control(response), {"private", "no-store"})

    def test_a_rendition_of_a_photo_added_in_a_correction_is_hidden_until_approved(self):
        shared = photo_of(self.published, "shared.gif")
        draft = workflow.start_correction(self.published, by=self.editor)
        added = photo_of(draft, "added.gif")
        self.assertEqual(self.client.get(shared.webp_800.url).status_code, 200)
        self.assertEqual(self.client.get(added.webp_800.url).status_code, 404)
        workflow.submit_for_review(draft, by=self.editor)
        workflow.approve(Meeting.objects.get(pk=draft.pk), by=self.publisher)
        self.assertEqual(self.client.get(added.webp_800.url).status_code, 200)

    @override_settings(PORTAL_MEDIA_ACCEL_REDIRECT="/protected-media/")
    def test_with_accel_redirect_nginx_sends_renditions_too(self):
        rendition = photo_of(self.published).jpeg_480
        response = self.client.get(rendition.url)
        self.assertEqual(response["X-Accel-Redirect"], f"/protected-media/{rendition.name}")
        self.assertEqual(response["Content-Type"], "image/jpeg")
        hidden = self.client.get(photo_of(self.hidden["draft"]).jpeg_480.url)
        self.assertEqual(hidden.status_code, 404)
        self.assertNotIn("X-Accel-Redirect", hidden)

    def test_odd_rendition_addresses_are_not_found(self):
        public = photo_of(self.published).image.name.removeprefix("photos/")
        folder = f"{settings.MEDIA_URL}photos/renditions/"
        addresses = [
            f"{folder}{public}/123.webp",  # a width no rendition has
            f"{folder}{public}/480.png",
            f"{folder}{public}/480.webp/480.webp",
            f"{folder}{public}//480.webp",
            f"{folder}../{public}/480.webp",
            f"{folder}..%2f..%2fportal/settings.py/480.webp",
            f"{folder}no-such-photo.gif/480.webp",
            f"{folder}{public}",
            folder,
        ]
        for who in ("the public", "staff"):
            if who == "staff":
                self.client.force_login(self.editor)
            for address in addresses:
                with self.subTest(who=who, address=address[-40:]):
                    self.assertEqual(self.client.get(address).status_code, 404)


class RenamingOldPhotosTests(TestCase):
    def test_a_photo_under_an_old_name_gets_an_unguessable_one_everywhere(self):
        meeting = factories.meeting()
        storage = PhotoSession._meta.get_field("image").storage
        old = storage.save("photos/2023/05/Handshake in Tokyo.gif", ContentFile(factories.GIF_1PX))
        photo = PhotoSession.objects.create(
            meeting=meeting, image=old, caption="Handshake", alt_text="Two ministers"
        )
        revisions.record(meeting, event="Saved")
        self.assertEqual(self.client.get(photo.image.url).status_code, 200)

        dry_run = StringIO()
        call_command("rename_photos", "--dry-run", stdout=dry_run)
        self.assertIn(f"would rename {old}", dry_run.getvalue())
        self.assertTrue(storage.exists(old))

        call_command("rename_photos", stdout=StringIO())

        photo.refresh_from_db()
        self.assertRegex(photo.image.name, r"^photos/[0-9a-f]{32}\.gif$")
        self.assertFalse(storage.exists(old))
        revision = meeting.revisions.get()
        self.assertEqual(revision.data["photo_sessions"][0]["image"], photo.image.name)
        response = self.client.get(photo.image.url)
        self.assertEqual(b"".join(response.streaming_content), factories.GIF_1PX)


class SharedPreviewPhotoTests(TestCase):
    """Someone given a preview link sees the meeting's photos too, while the link works."""

    def setUp(self):
        # Files go to this test's MEDIA_ROOT (tests/conftest.py), so they are made per test.
        self.publisher = factories.member_of("Publishers", "paul")
        self.meeting = factories.meeting(published=False)
        self.photo = PhotoSession.objects.create(
            meeting=self.meeting, image=factories.uploaded_gif(), caption="c", alt_text="a"
        )
        self.link = workflow.share_preview(self.meeting, by=self.publisher, days=1)

    def test_the_preview_page_shows_photos_that_answer_only_with_its_token(self):
        import lxml.html

        page = self.client.get(self.link.get_absolute_url())
        [src] = lxml.html.fromstring(page.content).xpath("//figure//img/@src")
        self.assertIn(f"?preview={self.link.token}", src)
        response = self.client.get(src)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(self.client.get(self.photo.image.url).status_code, 404)
        for token in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", "²"):
            with self.subTest(token=token):
                url = f"{self.photo.image.url}?preview={token}"
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_every_rendition_on_the_preview_page_answers_only_with_its_token(self):
        import lxml.html

        page = lxml.html.fromstring(self.client.get(self.link.get_absolute_url()).content)
        srcsets = page.xpath("//figure//source/@srcset | //figure//img/@srcset")
        urls = [entry.split()[0] for srcset in srcsets for entry in srcset.split(", ")]
        self.assertTrue(urls)
        for url in urls:
            with self.subTest(url=url):
                self.assertTrue(url.endswith(f"?preview={self.link.token}"))
                self.assertEqual(self.client.get(url).status_code, 200)
                self.assertEqual(self.client.get(url.split("?")[0]).status_code, 404)
        [original] = page.xpath("//figure//a[@download]/@href")
        self.assertEqual(original, f"{self.photo.image.url}?preview={self.link.token}")

    def test_a_revoked_link_shows_no_photo(self):
        workflow.revoke_preview(self.link, by=self.publisher)
        for address in (self.photo.image.url, self.photo.webp_480.url):
            url = f"{address}?preview={self.link.token}"
            self.assertEqual(self.client.get(url).status_code, 404)
