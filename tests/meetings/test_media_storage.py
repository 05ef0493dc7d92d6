"""Photos work alike in any storage (STORAGES["default"]): nothing reads them by path.

The same round trip (upload, renditions, the public page, the media view, renaming,
backups) in Django's in-memory storage, and in an S3 bucket faked by moto when django-storages
and moto are installed (the `s3` and `dev` extras)."""

import importlib.util
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

import lxml.html
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from meetings.backups.common import file_sha256
from meetings.backups.restoring import copy_media, media_to_copy
from meetings.backups.writing import stage_media
from meetings.models import PhotoSession, renditions
from tests import factories

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HAS_S3 = all(importlib.util.find_spec(name) for name in ("storages", "boto3", "moto"))
BUCKET = "portal-photos"


def add_photo(meeting, image=None):
    return PhotoSession.objects.create(
        meeting=meeting,
        image=image or factories.uploaded_image(1000, 600),
        caption="The two ministers",
        alt_text="The two ministers shake hands",
        position=meeting.photo_sessions.count() + 1,
    )


def stored(name):
    with default_storage.open(name, "rb") as file:
        return file.read()


def page_addresses(response):
    """Every photo address the page links: the <img>, each srcset entry, the download."""
    page = lxml.html.fromstring(response.content)
    addresses = set(page.xpath("//figure//img/@src | //figure//a[@download]/@href"))
    for srcset in page.xpath("//figure//source/@srcset | //figure//img/@srcset"):
        addresses.update(entry.split()[0] for entry in srcset.split(", "))
    return addresses


class RoundTrip:
    """The round trip, for a storage each subclass configures."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.member_of("Editors", "editor")
        cls.published = factories.meeting(title="A published readout")
        cls.draft = factories.meeting(published=False)

    def test_a_photo_and_its_renditions_are_stored_in_the_storage_not_on_disk(self):
        photo = add_photo(self.published)
        for name in [photo.image.name, *renditions.rendition_names(photo.image.name)]:
            self.assertTrue(default_storage.exists(name), name)
        self.assertFalse(Path(settings.MEDIA_ROOT).exists())

    def test_the_page_links_the_media_view_and_every_address_answers_with_the_stored_file(self):
        photo = add_photo(self.published)
        response = self.client.get(self.published.get_absolute_url())
        addresses = page_addresses(response)
        self.assertEqual(len(addresses), 7)  # the original, and six renditions
        prefix = f"{settings.MEDIA_URL}photos/"
        for address in addresses:
            with self.subTest(address):
                self.assertTrue(address.startswith(prefix))
                answer = self.client.get(address)
                self.assertEqual(answer.status_code, 200)
                name = "photos/" + address.removeprefix(prefix)
                self.assertEqual(b"".join(answer.streaming_content), stored(name))
        self.assertIn(renditions.address(photo.image.name), addresses)

    def test_a_photo_of_a_draft_is_not_found_but_staff_see_it_uncached(self):
        address = renditions.address(add_photo(self.draft).image.name)
        self.assertEqual(self.client.get(address).status_code, 404)
        self.client.force_login(self.editor)
        response = self.client.get(address)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_photo_answers_not_modified_when_the_browser_has_it(self):
        address = renditions.address(add_photo(self.published).image.name)
        last_modified = self.client.get(address)["Last-Modified"]
        response = self.client.get(address, headers={"if-modified-since": last_modified})
        self.assertEqual(response.status_code, 304)

    def test_a_missing_file_and_a_folder_are_not_found(self):
        photo = add_photo(self.published)
        default_storage.delete(photo.image.name)
        self.client.force_login(self.editor)
        for address in (
            renditions.address(photo.image.name),
            reverse("photo", kwargs={"path": "renditions"}),
        ):
            with self.subTest(address):
                self.assertEqual(self.client.get(address).status_code, 404)

    def test_the_command_makes_renditions_that_went_missing(self):
        photo = add_photo(self.published)
        missing = renditions.rendition_names(photo.image.name)[:2]
        for name in missing:
            default_storage.delete(name)
        call_command("make_renditions", stdout=StringIO())
        for name in missing:
            self.assertTrue(default_storage.exists(name), name)

    def test_renaming_an_old_photo_deletes_its_files_from_the_storage(self):
        old = default_storage.save("photos/2023/05/handshake.gif", ContentFile(factories.GIF_1PX))
        photo = add_photo(self.published, image=old)
        renditions.make_renditions([photo])
        call_command("rename_photos", stdout=StringIO())
        photo.refresh_from_db()
        self.assertNotEqual(photo.image.name, old)
        self.assertFalse(default_storage.exists(old))
        self.assertFalse(default_storage.exists(renditions.rendition_names(old)[0]))
        self.assertTrue(default_storage.exists(renditions.rendition_names(photo.image.name)[0]))

    def test_a_backup_holds_every_stored_file_and_a_restore_writes_them_back(self):
        photo = add_photo(self.published)
        names = [photo.image.name, *renditions.rendition_names(photo.image.name)]
        folder = Path(settings.MEDIA_ROOT).parent / "staging"  # this test's own (conftest)
        staged = stage_media(folder / "media")
        self.assertEqual(sorted(staged), sorted(f"media/{name}" for name in names))
        for name in names:
            self.assertEqual(staged[f"media/{name}"].read_bytes(), stored(name))
        # Onto an empty storage: every file is written back, under its own name.
        manifest = {"files": {member: file_sha256(file) for member, file in staged.items()}}
        for name in names:
            default_storage.delete(name)
        copy_media(media_to_copy(manifest, folder))
        for name in names:
            self.assertEqual(stored(name), staged[f"media/{name}"].read_bytes())
        # Run again, the files already there and the same are left alone.
        self.assertEqual(media_to_copy(manifest, folder), [])


@override_settings(STORAGES=IN_MEMORY)
class InMemoryStorageTests(RoundTrip, TestCase):
    pass


def s3_storages(**options):
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 900,
                "signature_version": "s3v4",
                **options,
            },
        },
        "staticfiles": IN_MEMORY["staticfiles"],
    }


class FakeBucket:
    """An S3 bucket faked in memory by moto, with made-up credentials (never real ones)."""

    def setUp(self):
        import boto3
        from moto import mock_aws

        self.enterContext(
            mock.patch.dict(
                os.environ,
                {
                    "AWS_ACCESS_KEY_ID": "testing",
                    "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing",
                    "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_CONFIG_FILE": os.devnull,
                    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                },
            )
        )
        self.enterContext(mock_aws())
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        super().setUp()


if HAS_S3:

    @override_settings(STORAGES=s3_storages())
    class S3StorageTests(FakeBucket, RoundTrip, TestCase):
        def test_objects_are_private_and_the_page_never_links_the_bucket(self):
            import boto3

            photo = add_photo(self.published)
            acl = boto3.client("s3").get_object_acl(Bucket=BUCKET, Key=photo.image.name)
            self.assertEqual([grant["Permission"] for grant in acl["Grants"]], ["FULL_CONTROL"])
            page = self.client.get(self.published.get_absolute_url()).content.decode()
            self.assertNotIn("amazonaws", page)
            self.assertNotIn(BUCKET, page)

    @override_settings(STORAGES=s3_storages(), PORTAL_MEDIA_REDIRECT=True)
    class S3RedirectTests(FakeBucket, TestCase):
        """With PORTAL_MEDIA_REDIRECT the view decides and the bucket sends the file."""

        @classmethod
        def setUpTestData(cls):
            cls.editor = factories.member_of("Editors", "editor")
            cls.published = factories.meeting(title="A published readout")
            cls.draft = factories.meeting(published=False)

        def signed(self, response, name):
            self.assertEqual(response.status_code, 302)
            self.assertRegex(
                response["Location"],
                rf"^https://{BUCKET}\.s3\.amazonaws\.com/{re.escape(name)}\?.*X-Amz-Signature=",
            )
            self.assertIn("X-Amz-Expires=900", response["Location"])

        def test_a_public_photo_is_a_cacheable_redirect_to_a_signed_address(self):
            name = add_photo(self.published).image.name
            for file in (name, renditions.rendition_names(name)[0]):
                with self.subTest(file), self.assertNumQueries(1):
                    response = self.client.get(renditions.address(file))
                self.signed(response, file)
                self.assertEqual(response["Cache-Control"], "public, max-age=300")

        def test_a_draft_photo_is_not_found_and_staff_get_a_private_redirect(self):
            name = add_photo(self.draft).image.name
            self.assertEqual(self.client.get(renditions.address(name)).status_code, 404)
            self.client.force_login(self.editor)
            response = self.client.get(renditions.address(name))
            self.signed(response, name)
            self.assertIn("no-store", response["Cache-Control"])


def settings_under(**environment):
    """The default storage and whether boto3 was imported, by settings read in a new process
    with only these variables (and a secret key) set."""
    script = (
        "import json, sys, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.STORAGES['default'], 'boto3' in sys.modules]))"
    )
    keep = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    keep = {key: value for key, value in keep.items() if not key.startswith("PORTAL_MEDIA")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_SECRET_KEY": "x",
            **environment,
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    if result.returncode:
        return result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout)


def test_photos_are_on_disk_unless_a_bucket_is_named():
    assert settings_under() == [
        {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        False,
    ]


def test_a_bucket_is_configured_from_the_environment_without_importing_boto3():
    storage, boto3_imported = settings_under(
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL="https://minio.example:9000",
        AWS_S3_REGION_NAME="auto",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 900,
            "signature_version": "s3v4",
            "endpoint_url": "https://minio.example:9000",
            "region_name": "auto",
            "addressing_style": "path",
        },
    }
    assert not boto3_imported


def test_settings_refuse_what_would_leak_or_loop():
    refused = {
        "needs PORTAL_MEDIA_STORAGE=s3": {"PORTAL_MEDIA_REDIRECT": "1"},
        "needs AWS_STORAGE_BUCKET_NAME": {"PORTAL_MEDIA_STORAGE": "s3"},
        "may be 'filesystem' or 's3'": {"PORTAL_MEDIA_STORAGE": "gcs"},
        "AWS_S3_CUSTOM_DOMAIN": {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_CUSTOM_DOMAIN": "photos.example",
            "PORTAL_MEDIA_REDIRECT": "1",
        },
        "at least 600": {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_QUERYSTRING_EXPIRE": "60",
            "PORTAL_MEDIA_REDIRECT": "1",
        },
    }
    for message, environment in refused.items():
        answer = settings_under(**environment)
        assert isinstance(answer, str), environment
        assert "ImproperlyConfigured" in answer and message in answer, answer
