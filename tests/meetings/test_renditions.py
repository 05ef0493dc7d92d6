"""Photos reach readers as renditions: made once when a photo is saved, in WebP and JPEG at
the widths a screen needs, never enlarged; the page lists them for the browser to choose."""

import os
from io import StringIO
from unittest import mock

import lxml.html
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import TestCase
from PIL import Image

from meetings import revisions, workflow
from meetings.importing import parse_readout, save_readout
from meetings.models import Meeting, PhotoSession, renditions
from tests import factories
from tests.meetings.test_importing import fixture_text


def add_photo(meeting, image, **fields):
    fields.setdefault("caption", "The two ministers")
    fields.setdefault("alt_text", "The two ministers shake hands")
    fields.setdefault("position", meeting.photo_sessions.count() + 1)
    return PhotoSession.objects.create(meeting=meeting, image=image, **fields)


def opened(rendition):
    with rendition.storage.open(rendition.name) as file:
        image = Image.open(file)
        image.load()
        return image


def rendition_sizes(photo):
    """{field name: (format, width, height)} of the files on disk."""
    sizes = {}
    for width in renditions.WIDTHS:
        for format in ("jpeg", "webp"):
            image = opened(getattr(photo, f"{format}_{width}"))
            sizes[f"{format}_{width}"] = (image.format, *image.size)
    return sizes


def srcset_widths(srcset):
    return [entry.split()[1] for entry in srcset.split(", ")]


class MakingRenditionsTests(TestCase):
    def setUp(self):
        self.meeting = factories.meeting()

    def test_an_uploaded_photo_gets_webp_and_jpeg_renditions_at_three_widths(self):
        photo = add_photo(self.meeting, factories.uploaded_image(1600, 1000))
        self.assertEqual(
            rendition_sizes(photo),
            {
                "jpeg_480": ("JPEG", 480, 300),
                "webp_480": ("WEBP", 480, 300),
                "jpeg_800": ("JPEG", 800, 500),
                "webp_800": ("WEBP", 800, 500),
                "jpeg_1200": ("JPEG", 1200, 750),
                "webp_1200": ("WEBP", 1200, 750),
            },
        )

    def test_a_narrow_photo_is_never_enlarged(self):
        photo = add_photo(self.meeting, factories.uploaded_image(600, 400, format="PNG"))
        sizes = rendition_sizes(photo)
        self.assertEqual(sizes["jpeg_480"], ("JPEG", 480, 320))
        for name in ("jpeg_800", "jpeg_1200"):
            self.assertEqual(sizes[name], ("JPEG", 600, 400))
        for name in ("webp_800", "webp_1200"):
            self.assertEqual(sizes[name], ("WEBP", 600, 400))

    def test_a_transparent_photo_is_on_white_in_jpeg_and_keeps_its_transparency_in_webp(self):
        png = factories.uploaded_image(600, 400, format="PNG", mode="RGBA")
        photo = add_photo(self.meeting, png)
        jpeg, webp = opened(photo.jpeg_480), opened(photo.webp_480)
        self.assertEqual(jpeg.mode, "RGB")
        self.assertEqual(jpeg.getpixel((10, 10)), (255, 255, 255))
        self.assertEqual(webp.mode, "RGBA")
        self.assertEqual(webp.getpixel((10, 10))[3], 0)

    def test_the_sizes_the_page_gives_are_those_of_the_files(self):
        for width, height in [(1599, 999), (1001, 667), (801, 3), (700, 1200), (480, 480)]:
            photo = add_photo(self.meeting, factories.uploaded_image(width, height))
            picture = renditions.picture_of(photo)
            for size, spec_width in zip(picture.sizes, renditions.WIDTHS, strict=False):
                with self.subTest(photo=(width, height), rendition=spec_width):
                    on_disk = opened(getattr(photo, f"jpeg_{spec_width}")).size
                    self.assertEqual((size.width, size.height), on_disk)
            self.assertEqual((picture.width, picture.height), opened(photo.jpeg_800).size)

    def test_saving_a_photo_again_does_not_make_its_renditions_again(self):
        photo = add_photo(self.meeting, factories.uploaded_image(900, 600))
        path = photo.jpeg_800.storage.path(photo.jpeg_800.name)
        made_at = os.stat(path).st_mtime_ns
        photo.caption = "Another caption"
        photo.save()
        self.assertEqual(os.stat(path).st_mtime_ns, made_at)


class RenditionsOnEveryPathTests(TestCase):
    """A photo session gets its image by an upload, or as a copy of another's in a
    correction or a restored revision (saved in bulk: imagekit does not see those)."""

    def setUp(self):
        self.editor = factories.member_of("Editors", "erin")
        self.publisher = factories.member_of("Publishers", "paul")
        self.meeting = factories.meeting()
        self.photo = add_photo(self.meeting, factories.uploaded_gif())

    def assertHasRenditions(self, photo):
        for file in renditions.rendition_files(photo):
            with self.subTest(file.name):
                self.assertTrue(file.storage.exists(file.name))

    def delete_renditions(self, photo):
        for file in renditions.rendition_files(photo):
            file.storage.delete(file.name)

    def test_a_correction_shares_the_photo_and_its_renditions(self):
        draft = workflow.start_correction(self.meeting, by=self.editor)
        [copy] = draft.photo_sessions.all()
        self.assertEqual(copy.image.name, self.photo.image.name)
        self.assertEqual(copy.webp_800.name, self.photo.webp_800.name)
        self.assertHasRenditions(copy)

    def test_a_photo_uploaded_to_a_correction_keeps_its_renditions_once_approved(self):
        draft = workflow.start_correction(self.meeting, by=self.editor)
        added = add_photo(draft, factories.uploaded_image(1000, 500), caption="Added")
        workflow.submit_for_review(draft, by=self.editor)
        workflow.approve(Meeting.objects.get(pk=draft.pk), by=self.publisher)
        live = self.meeting.photo_sessions.get(caption="Added")
        self.assertEqual(live.image.name, added.image.name)
        self.assertHasRenditions(live)

    def test_restoring_a_revision_makes_renditions_that_went_missing(self):
        revision = revisions.record(self.meeting, event="Saved")
        self.photo.delete()
        self.delete_renditions(self.photo)
        draft = workflow.restore_revision(revision, by=self.publisher)
        self.assertHasRenditions(draft.photo_sessions.get())

    def test_a_reimport_keeps_the_uploaded_photo_and_its_renditions(self):
        parsed = parse_readout(fixture_text("foreign-ministers-meeting.txt"))
        meeting = save_readout(parsed, publish=True).meeting
        session = meeting.photo_sessions.first()
        session.image = factories.uploaded_image(1000, 500)
        session.alt_text = "The ministers"
        session.save()
        names = [file.name for file in renditions.rendition_files(session)]
        save_readout(parsed, publish=True)
        session.refresh_from_db()
        self.assertEqual([file.name for file in renditions.rendition_files(session)], names)
        self.assertHasRenditions(session)

    def test_the_command_makes_missing_renditions_and_nothing_twice(self):
        self.delete_renditions(self.photo)
        out = StringIO()
        call_command("make_renditions", stdout=out)
        self.assertIn("Made 6 renditions.", out.getvalue())
        self.assertHasRenditions(self.photo)
        call_command("make_renditions", stdout=out)
        self.assertIn("Made 0 renditions.", out.getvalue())
        call_command("make_renditions", "--force", stdout=out)
        self.assertIn("Made 6 renditions.", out.getvalue().splitlines()[-1])
        self.assertHasRenditions(self.photo)

    def test_the_command_names_photos_it_cannot_read_and_goes_on(self):
        missing = add_photo(self.meeting, factories.uploaded_gif(), caption="Gone")
        missing.image.storage.delete(missing.image.name)
        self.delete_renditions(missing)
        self.delete_renditions(self.photo)
        out, err = StringIO(), StringIO()
        call_command("make_renditions", stdout=out, stderr=err)
        self.assertIn(f"{missing.image.name}: missing or not an image", err.getvalue())
        self.assertIn("Made 6 renditions.", out.getvalue())

    def test_renamed_old_photos_get_renditions_under_their_new_names(self):
        storage = self.photo.image.storage
        old = storage.save("photos/2023/05/Handshake in Tokyo.gif", ContentFile(factories.GIF_1PX))
        photo = add_photo(self.meeting, old, caption="Old")
        renditions.make_renditions([photo])
        old_renditions = renditions.rendition_names(old)
        call_command("rename_photos", stdout=StringIO())
        photo.refresh_from_db()
        self.assertHasRenditions(photo)
        for name in old_renditions:
            self.assertFalse(storage.exists(name), name)


class PhotoMarkupTests(TestCase):
    """What a reader's browser is given: a <picture> per photo, sized for the screen."""

    def setUp(self):
        self.meeting = factories.meeting()
        self.wide = add_photo(
            self.meeting,
            factories.uploaded_image(1600, 1000),
            caption="Handshake before the meeting",
            credit="Cabinet Public Affairs Office",
        )
        PhotoSession.objects.create(meeting=self.meeting, caption="Still waiting", position=2)
        self.narrow = add_photo(
            self.meeting,
            factories.uploaded_image(600, 400, format="PNG", mode="RGBA"),
            caption="The delegations",
            position=3,
        )
        self.response = self.client.get(self.meeting.get_absolute_url())
        self.page = lxml.html.fromstring(self.response.content)

    def figures(self):
        return self.page.xpath("//figure")

    def test_each_photo_is_a_picture_offering_webp_with_a_jpeg_fallback(self):
        for figure, photo in zip(self.figures(), (self.wide, self.narrow), strict=True):
            with self.subTest(photo.caption):
                # Descendants: lxml's HTML 4 parser does not know <source> is empty.
                [source] = figure.xpath(".//picture//source")
                [img] = figure.xpath(".//picture//img")
                self.assertEqual(source.get("type"), "image/webp")
                self.assertTrue(source.get("sizes"))
                self.assertEqual(img.get("sizes"), source.get("sizes"))
                self.assertEqual(img.get("src"), photo.jpeg_800.url)
                self.assertEqual(img.get("alt"), photo.alt_text)
                self.assertEqual(img.get("decoding"), "async")
                self.assertIn(f"{photo.webp_480.url} 480w", source.get("srcset"))
                self.assertIn(f"{photo.jpeg_480.url} 480w", img.get("srcset"))

    def test_only_widths_a_photo_has_are_listed_with_the_size_of_the_one_shown(self):
        wide, narrow = self.figures()
        for figure, widths in ((wide, ["480w", "800w", "1200w"]), (narrow, ["480w", "600w"])):
            self.assertEqual(srcset_widths(figure.xpath(".//source/@srcset")[0]), widths)
            self.assertEqual(srcset_widths(figure.xpath(".//img/@srcset")[0]), widths)
        self.assertEqual(wide.xpath(".//img/@width") + wide.xpath(".//img/@height"), ["800", "500"])
        self.assertEqual(
            narrow.xpath(".//img/@width") + narrow.xpath(".//img/@height"), ["600", "400"]
        )

    def test_the_first_photo_loads_at_once_and_the_others_when_scrolled_to(self):
        self.assertEqual(self.page.xpath("//figure//img/@loading"), ["eager", "lazy"])

    def test_every_listed_rendition_loads(self):
        srcsets = self.page.xpath("//figure//source/@srcset | //figure//img/@srcset")
        urls = {entry.split()[0] for srcset in srcsets for entry in srcset.split(", ")}
        self.assertEqual(len(urls), 10)
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                kind = "image/webp" if url.endswith(".webp") else "image/jpeg"
                self.assertEqual(response["Content-Type"], kind)

    def test_caption_and_credit_show_once(self):
        self.assertContains(self.response, "Handshake before the meeting", count=1)
        self.assertContains(self.response, "Cabinet Public Affairs Office", count=1)
        [caption] = self.figures()[0].xpath("./figcaption")
        self.assertIn("Photo: Cabinet Public Affairs Office", caption.text_content())

    def test_the_original_can_be_downloaded(self):
        links = self.page.xpath("//figure//a[@download]")
        self.assertEqual(
            [" ".join(link.text_content().split()) for link in links],
            ["Download original (JPEG, 1600 × 1000)", "Download original (PNG, 600 × 400)"],
        )
        self.assertEqual(links[0].get("href"), self.wide.image.url)
        response = self.client.get(links[0].get("href"))
        self.wide.image.open()
        self.assertEqual(b"".join(response.streaming_content), self.wide.image.read())

    def test_a_caption_still_waiting_for_its_image_shows_nothing(self):
        self.assertEqual(len(self.figures()), 2)
        self.assertNotContains(self.response, "Still waiting")

    def test_the_page_neither_makes_nor_looks_for_renditions(self):
        untouchable = mock.Mock(side_effect=AssertionError("the page touched a file"))
        with (
            mock.patch.object(FileSystemStorage, "exists", untouchable),
            mock.patch.object(FileSystemStorage, "open", untouchable),
            mock.patch.object(FileSystemStorage, "save", untouchable),
        ):
            response = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(response, "<picture>", count=2)
