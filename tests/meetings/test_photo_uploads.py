"""Photos uploaded through the meeting's admin page are decoded and re-encoded by the server:
only pixels and the colour profile reach the storage, under a random name; a picture too
large to decode safely, and a file that is not really a photo, are refused at the field."""

import struct
import zlib
from io import BytesIO, StringIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase, override_settings
from PIL import Image, ImageCms, ImageOps

from meetings import photo_uploads, revisions
from meetings.models import Meeting, PhotoSession, renditions
from tests import factories
from tests.meetings.test_admin import meeting_form

PHOTO_ROW = {"caption": "The two ministers", "alt_text": "The two ministers shake hands"}
ICC_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def camera_exif():
    """What a phone writes into a photo: where it was taken, with what, by whom, and that
    the picture is stored turned on its side (orientation 6: show it turned 90° right)."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R5"  # Model
    exif[0x013B] = "Taro Yamada"  # Artist
    exif[0x0112] = 6  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (35.0, 40.0, 30.0)  # latitude: 35°40′30″ N
    gps[3], gps[4] = "E", (139.0, 44.0, 50.0)  # longitude: 139°44′50″ E
    return exif


def camera_photo(format="JPEG", name=None, size=(60, 40)):
    """A photo as a camera or phone leaves it: EXIF with GPS, camera and owner, a comment,
    XMP, and an sRGB colour profile; 60×40 as stored, 40×60 as its orientation shows it."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))  # left half red
    options = {"exif": camera_exif(), "icc_profile": ICC_PROFILE, "xmp": XMP}
    if format == "JPEG":
        options["comment"] = "Taken from the roof of the Ministry"
    file = BytesIO()
    image.save(file, format, **options)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(
        name or f"IMG_1234.{extension}", file.getvalue(), content_type=CONTENT_TYPES[format]
    )


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Taro Yamada</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def blank_png(width, height):
    """A black 1-bit PNG of that size, written chunk by chunk: a few kilobytes for 144
    megapixels, made without ever holding the picture in memory."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


class PhotoUploadTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.page = factories.relations_page("Atlantis")

    def setUp(self):
        self.client.force_login(self.user)

    def upload(self, upload):
        """A new meeting with one photo row, sent from its admin page as an editor sends it."""
        form = meeting_form(self.client, self.page, photos=[PHOTO_ROW])
        return form.submit(self.client, files={"photo_sessions-0-image": upload})

    def image_errors(self, response):
        self.assertEqual(response.status_code, 200)
        formsets = {
            inline.formset.prefix: inline.formset
            for inline in response.context["inline_admin_formsets"]
        }
        return formsets["photo_sessions"].forms[0].errors.get("image", [])

    def assertRefused(self, response, message):
        errors = self.image_errors(response)
        self.assertEqual(len(errors), 1, errors)
        self.assertIn(message, errors[0])
        self.assertFalse(PhotoSession.objects.exists())
        self.assertEqual(stored_files(), [])

    def stored_photo(self, response):
        if response.status_code != 302:
            self.fail(f"refused: {self.image_errors(response)}")
        photo = PhotoSession.objects.get()
        with photo.image.storage.open(photo.image.name) as file:
            data = file.read()
        return photo, data, Image.open(BytesIO(data))


class CleanPhotoTests(PhotoUploadTestCase):
    def test_a_camera_photo_keeps_its_pixels_and_colour_profile_and_nothing_else(self):
        _, data, image = self.stored_photo(self.upload(camera_photo()))
        self.assertEqual(image.format, "JPEG")
        self.assertEqual(image.info.get("icc_profile"), ICC_PROFILE)
        self.assertEqual(dict(image.getexif()), {})
        for key in ("exif", "xmp", "comment"):
            self.assertNotIn(key, image.info)
        for trace in (b"Canon", b"Taro Yamada", b"Ministry", b"xmpmeta", b"Exif"):
            self.assertNotIn(trace, data)

    def test_a_photo_stored_on_its_side_is_stored_upright(self):
        photo, _, image = self.stored_photo(self.upload(camera_photo()))
        self.assertEqual(image.size, (40, 60))
        self.assertEqual((photo.width, photo.height), (40, 60))
        # The red half, left as stored, is on top once turned as the camera said.
        red = [image.convert("RGB").getpixel((20, y))[0] for y in (5, 55)]
        self.assertGreater(red[0], 150)
        self.assertLess(red[1], 150)

    def test_the_stored_name_is_random_and_says_the_format_not_the_uploaders_name(self):
        photo, _, _ = self.stored_photo(self.upload(camera_photo(name="Yamada GPS Tokyo.JPEG")))
        self.assertRegex(photo.image.name, r"^photos/[0-9a-f]{32}\.jpg$")

    def test_renditions_are_made_from_the_clean_upright_photo(self):
        photo, _, _ = self.stored_photo(self.upload(camera_photo()))
        for file in renditions.rendition_files(photo):
            with file.storage.open(file.name) as stored:
                data = stored.read()
            rendition = Image.open(BytesIO(data))
            self.assertEqual(rendition.size, (40, 60), file.name)
            self.assertNotIn(b"Canon", data)
            self.assertEqual(dict(rendition.getexif()), {})

    def test_png_and_webp_stay_in_their_format_without_their_metadata(self):
        for format, extension in (("PNG", "png"), ("WEBP", "webp")):
            with self.subTest(format=format):
                photo, data, image = self.stored_photo(self.upload(camera_photo(format)))
                self.assertEqual(image.format, format)
                self.assertRegex(photo.image.name, rf"^photos/[0-9a-f]{{32}}\.{extension}$")
                self.assertEqual(image.info.get("icc_profile"), ICC_PROFILE)
                self.assertEqual(dict(image.getexif()), {})
                self.assertNotIn("xmp", image.info)
                self.assertNotIn(b"Canon", data)
                self.assertEqual(image.size, (40, 60))
                Meeting.objects.all().delete()  # the next upload adds it again

    def test_a_jpeg_is_stored_at_the_quality_it_came_with(self):
        upload = camera_photo(size=(400, 300))
        sent = Image.open(BytesIO(upload.read()))
        upload.seek(0)
        _, _, image = self.stored_photo(self.upload(upload))
        self.assertEqual(image.quantization, sent.quantization)

    def test_an_animated_gif_is_stored_as_its_first_frame(self):
        frames = [Image.new("P", (8, 8), colour) for colour in (1, 2, 3)]
        file = BytesIO()
        frames[0].save(file, "GIF", save_all=True, append_images=frames[1:], comment=b"Owner")
        upload = SimpleUploadedFile("wave.gif", file.getvalue(), content_type="image/gif")
        photo, data, image = self.stored_photo(self.upload(upload))
        self.assertEqual((image.format, getattr(image, "n_frames", 1)), ("GIF", 1))
        self.assertRegex(photo.image.name, r"^photos/[0-9a-f]{32}\.gif$")
        self.assertNotIn(b"Owner", data)

    def test_a_transparent_png_keeps_its_transparency(self):
        upload = factories.uploaded_image(60, 40, format="PNG", mode="RGBA")
        _, _, image = self.stored_photo(self.upload(upload))
        self.assertEqual(image.mode, "RGBA")
        self.assertEqual(image.getpixel((5, 5))[3], 0)


class TooManyPixelsTests(PhotoUploadTestCase):
    def test_a_144_megapixel_png_is_refused_at_the_field_and_not_stored(self):
        upload = SimpleUploadedFile("huge.png", blank_png(12000, 12000), content_type="image/png")
        self.assertLess(upload.size, 100_000)
        self.assertRefused(
            self.upload(upload),
            "The photo is 12,000 × 12,000 pixels (144 megapixels); the largest allowed is "
            "40 megapixels.",
        )

    @override_settings(PORTAL_PHOTO_MAX_PIXELS=200)
    def test_the_limit_is_a_setting(self):
        upload = SimpleUploadedFile("small.png", blank_png(20, 20), content_type="image/png")
        self.assertRefused(self.upload(upload), "the largest allowed is 0.0002 megapixels")

    @override_settings(PORTAL_PHOTO_MAX_PIXELS=10**10)
    def test_pillows_guard_against_decompression_bombs_caps_a_higher_limit(self):
        # Pillow warns above 89 megapixels and refuses twice that: either way the editor
        # reads a message, never a server error.
        for width, height, message in (
            (10_000, 10_000, "The photo is 10,000 × 10,000 pixels (100 megapixels)"),
            (20_000, 20_000, "The photo has more than 179 megapixels"),
        ):
            with self.subTest(size=(width, height)):
                upload = SimpleUploadedFile(
                    "bomb.png", blank_png(width, height), content_type="image/png"
                )
                response = self.upload(upload)
                self.assertRefused(response, message)
                self.assertRefused(response, "the largest allowed is 89 megapixels")


class NotAPhotoTests(PhotoUploadTestCase):
    SVG = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
        b'height="10"><script>alert(document.cookie)</script></svg>'
    )
    HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"

    def test_an_svg_drawing_named_jpg_is_refused(self):
        upload = SimpleUploadedFile("photo.jpg", self.SVG, content_type="image/jpeg")
        self.assertRefused(self.upload(upload), "The file is text (an SVG drawing or a web page)")

    def test_a_web_page_named_jpg_is_refused(self):
        upload = SimpleUploadedFile("photo.jpg", self.HTML, content_type="image/jpeg")
        self.assertRefused(self.upload(upload), "The file is text (an SVG drawing or a web page)")

    def test_an_svg_file_is_refused_by_its_name(self):
        upload = SimpleUploadedFile("drawing.svg", self.SVG, content_type="image/svg+xml")
        self.assertRefused(self.upload(upload), "Upload a JPEG, PNG, GIF or WebP photo.")

    def test_a_picture_that_is_also_a_web_page_is_refused(self):
        # A real JPEG, and a page to a browser that sniffs it: the markup rides in a comment.
        file = BytesIO()
        Image.new("RGB", (8, 8)).save(
            file, "JPEG", comment=b"<html><script>alert(document.cookie)</script></html>"
        )
        self.assertIsNotNone(Image.open(BytesIO(file.getvalue())).load())
        upload = SimpleUploadedFile("photo.jpg", file.getvalue(), content_type="image/jpeg")
        self.assertRefused(self.upload(upload), "The file carries web-page markup (“<html”)")

    def test_a_gif_with_a_script_appended_is_refused(self):
        data = factories.GIF_1PX + b"<script src=//evil.example/x.js></script>"
        upload = SimpleUploadedFile("photo.gif", data, content_type="image/gif")
        self.assertRefused(self.upload(upload), "The file carries web-page markup (“<script”)")

    def test_a_png_named_jpg_is_refused_with_what_it_is(self):
        upload = factories.uploaded_image(60, 40, format="PNG", name="photo.jpg")
        self.assertRefused(
            self.upload(upload), "The file is a PNG image, but its name ends in “.jpg”"
        )

    def test_a_jpeg_sent_as_png_is_refused_with_what_it_is(self):
        upload = camera_photo()
        upload.content_type = "image/png"
        self.assertRefused(
            self.upload(upload), "The file is a JPEG image, but it was sent as “image/png”"
        )

    def test_a_picture_of_another_format_is_refused(self):
        file = BytesIO()
        Image.new("RGB", (8, 8)).save(file, "BMP")
        upload = SimpleUploadedFile("photo.jpg", file.getvalue(), content_type="image/jpeg")
        self.assertRefused(self.upload(upload), "Upload a valid image")

    def test_a_truncated_photo_is_refused(self):
        data = camera_photo(size=(400, 300)).read()
        upload = SimpleUploadedFile("photo.jpg", data[: len(data) // 2], content_type="image/jpeg")
        self.assertRefused(self.upload(upload), "Upload a valid image")


def test_the_test_photo_carries_what_a_camera_writes():
    """The fixture itself: without this, the tests above could pass on a bare photo."""
    data = camera_photo().read()
    image = Image.open(BytesIO(data))
    exif = image.getexif()
    assert exif[0x010F] == "Canon"
    assert exif.get_ifd(0x8825)[1] == "N"
    assert image.info["icc_profile"] == ICC_PROFILE
    assert b"xmpmeta" in data and "comment" in image.info
    assert ImageOps.exif_transpose(image).size == (40, 60)
    assert b"Taro Yamada" in data


def jpeg_bytes(**options):
    file = BytesIO()
    Image.effect_noise((64, 64), 80).convert("RGB").save(file, "JPEG", **options)
    return file.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class WhereMarkupIsLookedForTests(SimpleTestCase):
    """Compressed pixels look random, so a large photo's spell “<svg ” now and then by
    chance: markup is looked for everywhere in a file but there."""

    def assertMarkupFound(self, data, found=True):
        regions = b"".join(photo_uploads.outside_pixels(data))
        self.assertEqual(b"<svg " in regions, found)

    def test_a_tag_spelled_by_a_jpegs_compressed_pixels_is_not_markup(self):
        data = jpeg_bytes()
        scan = data.index(b"\xff\xda")
        scan_data = scan + 2 + int.from_bytes(data[scan + 2 : scan + 4], "big")
        data = data[: scan_data + 10] + b"<svg " + data[scan_data + 10 :]
        self.assertMarkupFound(data, found=False)

    def test_markup_in_a_jpeg_comment_after_a_scan_or_after_the_end_is_found(self):
        comment = b"\xff\xfe" + struct.pack(">H", 2 + 9) + b"<svg x/>!"
        progressive = jpeg_bytes(progressive=True)
        second_scan = progressive.index(b"\xff\xda", progressive.index(b"\xff\xda") + 2)
        self.assertMarkupFound(progressive[:second_scan] + comment + progressive[second_scan:])
        self.assertMarkupFound(jpeg_bytes() + b"<svg onload=alert(1)>")

    def test_a_tag_in_a_pngs_pixel_chunk_is_not_markup_but_in_a_text_chunk_it_is(self):
        file = BytesIO()
        Image.new("L", (4, 4)).save(file, "PNG")
        data = file.getvalue()
        end = data.index(b"IEND") - 4
        with_pixels = data[:end] + png_chunk(b"IDAT", b"<svg ") + data[end:]
        self.assertMarkupFound(with_pixels, found=False)
        with_text = data[:end] + png_chunk(b"tEXt", b"Comment\x00<svg ") + data[end:]
        self.assertMarkupFound(with_text)

    def test_a_webp_is_read_by_its_chunks(self):
        file = BytesIO()
        Image.new("RGB", (4, 4)).save(file, "WEBP")
        data = file.getvalue()
        self.assertMarkupFound(data + b"<svg ")
        self.assertEqual(b"".join(photo_uploads.outside_pixels(data))[:12], data[:12])


class CleaningStoredPhotosTests(TestCase):
    """`manage.py clean_photos`: photos stored before uploads were cleaned lose their
    metadata in place, under a new name, in photo sessions and revisions alike."""

    def test_a_stored_camera_photo_is_cleaned_everywhere_and_a_clean_one_left_alone(self):
        meeting = factories.meeting()
        storage = PhotoSession._meta.get_field("image").storage
        old = storage.save("photos/IMG_1234.jpg", ContentFile(camera_photo().read()))
        clean = storage.save("photos/clean.png", ContentFile(clean_png()))
        carrying = PhotoSession.objects.create(
            meeting=meeting, image=old, caption="Handshake", alt_text="Two ministers"
        )
        already_clean = PhotoSession.objects.create(
            meeting=meeting, image=clean, caption="Talks", alt_text="The table", position=2
        )
        revisions.record(meeting, event="Saved")

        dry_run = StringIO()
        call_command("clean_photos", "--dry-run", stdout=dry_run)
        self.assertIn(f"would clean {old}", dry_run.getvalue())
        self.assertNotIn(clean, dry_run.getvalue())
        self.assertTrue(storage.exists(old))

        call_command("clean_photos", stdout=StringIO())

        carrying.refresh_from_db()
        already_clean.refresh_from_db()
        self.assertRegex(carrying.image.name, r"^photos/[0-9a-f]{32}\.jpg$")
        self.assertFalse(storage.exists(old))
        self.assertEqual(already_clean.image.name, clean)
        revision = meeting.revisions.get()
        self.assertEqual(revision.data["photo_sessions"][0]["image"], carrying.image.name)
        with storage.open(carrying.image.name) as file:
            data = file.read()
        image = Image.open(BytesIO(data))
        self.assertFalse(image.getexif())
        self.assertNotIn(b"Taro Yamada", data)
        self.assertEqual(image.info["icc_profile"], ICC_PROFILE)
        self.assertEqual(image.size, (40, 60))  # upright

        again = StringIO()
        call_command("clean_photos", stdout=again)
        self.assertIn("Cleaned 0 photos.", again.getvalue())

    def test_an_unreadable_stored_file_is_named_and_left_as_it_is(self):
        meeting = factories.meeting()
        storage = PhotoSession._meta.get_field("image").storage
        broken = storage.save("photos/broken.gif", ContentFile(factories.GIF_1PX))
        PhotoSession.objects.create(meeting=meeting, image=broken, caption="c", alt_text="a")
        storage.delete(broken)  # damaged on the disk since
        self.assertEqual(storage.save(broken, ContentFile(b"not a picture")), broken)
        errors = StringIO()
        call_command("clean_photos", stdout=StringIO(), stderr=errors)
        self.assertIn(f"{broken}: Upload a valid image", errors.getvalue())
        self.assertTrue(storage.exists(broken))


def clean_png():
    file = BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(file, "PNG")
    return file.getvalue()
