"""Backups: one archive holds the database and every uploaded file; restoring it onto an
empty instance gives back every row and every photo, and anything else is refused with
nothing changed.

A restore is tested as it is done on a new server: `manage.py restore` in another process,
against a new database (a new PostgreSQL database, or a new SQLite file) and an empty
media folder, which the test then reads back row by row."""

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import SimpleTestCase, TransactionTestCase

from meetings import backups, workflow
from meetings.models import PhotoSession, renditions
from meetings.search import indexing
from tests import factories

POSTGRESQL = connection.vendor == "postgresql"
# Bumped by every restore, to retire cached pages; compared on its own.
CONTENT_VERSION_TABLE = "meetings_publiccontentversion"


def build_meetings_with_their_whole_history():
    """A meeting written, reviewed, approved and then corrected (a major correction with a
    public change note), with people, photo sessions, an uploaded photo, agenda items and
    tags; and a second meeting beside it."""
    erin = factories.member_of("Editors", "erin")
    paul = factories.member_of("Publishers", "paul")
    meeting = factories.full_meeting(published=False)
    PhotoSession.objects.create(
        meeting=meeting, image=factories.uploaded_gif(), caption="c", alt_text="a", position=9
    )
    workflow.submit_for_review(meeting, by=erin)
    workflow.approve(meeting, by=paul)
    correction = workflow.start_correction(meeting, by=erin)
    workflow.submit_for_review(correction, by=erin)
    workflow.approve(
        correction, by=paul, major=True, change_note="The place of the meeting was corrected."
    )
    factories.full_meeting()
    # Factories write rows as no editor does: give it the search document a save would.
    indexing.index_missing()
    return meeting


def open_database(settings_dict):
    """A plain DB-API connection: both sides of a comparison are read the same way."""
    if POSTGRESQL:
        import psycopg

        parameters = {
            "dbname": settings_dict["NAME"],
            "user": settings_dict["USER"],
            "password": settings_dict["PASSWORD"],
            "host": settings_dict["HOST"],
            "port": settings_dict["PORT"],
        }
        return psycopg.connect(**{k: v for k, v in parameters.items() if v}, autocommit=True)
    return sqlite3.connect(settings_dict["NAME"], uri=True)


def table_rows(database, table):
    cursor = database.cursor()
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
    return cursor.fetchall()


def files_under(root):
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        file.relative_to(root).as_posix(): file.read_bytes()
        for file in root.rglob("*")
        if file.is_file()
    }


def archive_members(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def write_members(archive, members):
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


class FreshInstance:
    """A new server: a database with no tables and an empty media folder, used the way an
    operator would, through manage.py in another process."""

    def __init__(self, folder):
        self.media_root = folder / "restored-media"
        self.settings_dict = dict(connection.settings_dict)
        if POSTGRESQL:
            base = connection.settings_dict["NAME"].removeprefix("test_")
            self.settings_dict["NAME"] = f"{base}_restored_{uuid.uuid4().hex[:8]}"
            self._on_server(f'CREATE DATABASE "{self.settings_dict["NAME"]}"')
        else:
            self.settings_dict["NAME"] = str(folder / "restored.sqlite3")

    def _on_server(self, statement):
        with closing(open_database(connection.settings_dict)) as server:
            server.execute(statement)

    def drop(self):
        if POSTGRESQL:
            self._on_server(f'DROP DATABASE IF EXISTS "{self.settings_dict["NAME"]}"')

    @property
    def database_url(self):
        if not POSTGRESQL:
            return f"sqlite:///{self.settings_dict['NAME']}"
        s = self.settings_dict
        login = f"{quote(s['USER'], safe='')}:{quote(s['PASSWORD'] or '', safe='')}"
        return f"postgres://{login}@{s['HOST']}:{s['PORT']}/{s['NAME']}"

    def manage(self, *args):
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "DJANGO_SECRET_KEY": "x",
            "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def restore(self, archive):
        return self.manage("restore", str(archive), "--yes")

    def tables(self):
        if not POSTGRESQL and not Path(self.settings_dict["NAME"]).exists():
            return set()
        query = (
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            if POSTGRESQL
            else "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        with closing(open_database(self.settings_dict)) as database:
            cursor = database.cursor()
            cursor.execute(query)
            return {table for (table,) in cursor.fetchall()}

    def rows(self, table):
        with closing(open_database(self.settings_dict)) as database:
            return table_rows(database, table)

    def everything(self):
        """Every row of every table, and every media file: to show nothing changed."""
        return {table: self.rows(table) for table in self.tables()}, files_under(self.media_root)


class InstanceTestCase(TransactionTestCase):
    """Committed data (pg_dump reads what is committed) and a fresh instance to restore to."""

    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path):
        self.folder = tmp_path

    def fresh_instance(self):
        instance = FreshInstance(self.folder)
        self.addCleanup(instance.drop)
        return instance

    def backup(self, name="backup.tar.gz"):
        archive = self.folder / name
        call_command("backup", "-o", str(archive), stdout=io.StringIO())
        return archive

    def source_rows(self, table):
        with closing(open_database(connection.settings_dict)) as database:
            return table_rows(database, table)

    def assertRefusedChangingNothing(self, instance, archive, message):
        before = instance.everything()
        result = instance.restore(archive)
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn(message, result.stderr)
        self.assertEqual(instance.everything(), before)


class RestoreTests(InstanceTestCase):
    def test_a_restore_onto_an_empty_instance_brings_back_every_row_and_every_photo(self):
        meeting = build_meetings_with_their_whole_history()
        archive = self.backup()
        instance = self.fresh_instance()

        result = instance.restore(archive)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("meetings: 2,", result.stdout)
        tables = set(connection.introspection.table_names())
        self.assertEqual(instance.tables(), tables)
        for table in sorted(tables - {CONTENT_VERSION_TABLE}):
            with self.subTest(table):
                self.assertEqual(instance.rows(table), self.source_rows(table))
        self.assertEqual(files_under(instance.media_root), files_under(settings.MEDIA_ROOT))
        [photo] = meeting.photo_sessions.exclude(image="")
        self.assertEqual(
            (instance.media_root / photo.image.name).read_bytes(),
            factories.GIF_1PX,
            "the photo's bytes",
        )
        for rendition in renditions.rendition_files(photo):
            with self.subTest(rendition.name):
                self.assertTrue((instance.media_root / rendition.name).is_file())

    def test_the_restored_data_set_holds_the_whole_history(self):
        """What the comparison above covers is not empty: a guard on its data set."""
        meeting = build_meetings_with_their_whole_history()
        self.assertEqual(meeting.change_notes.count(), 1)
        self.assertGreaterEqual(meeting.revisions.count(), 4)
        self.assertGreaterEqual(meeting.publication_log.count(), 3)
        self.assertEqual(meeting.tags.count(), 2)
        self.assertTrue(meeting.photo_sessions.exclude(image="").exists())

    def test_a_restore_retires_the_cached_pages_of_the_new_instance(self):
        workflow.publish(factories.full_meeting(published=False), by=workflow.SITE)
        archive = self.backup()
        [(_, backed_up_version, *_)] = self.source_rows(CONTENT_VERSION_TABLE)
        instance = self.fresh_instance()

        self.assertEqual(instance.restore(archive).returncode, 0)

        [(_, restored_version, *_)] = instance.rows(CONTENT_VERSION_TABLE)
        self.assertGreater(restored_version, backed_up_version)

    def test_a_restore_replaces_what_migrate_made_on_a_new_server(self):
        factories.full_meeting()
        archive = self.backup()
        instance = self.fresh_instance()
        self.assertEqual(instance.manage("migrate", "--noinput").returncode, 0)

        result = instance.restore(archive)

        self.assertEqual(result.returncode, 0, result.stderr)
        for table in ("meetings_meeting", "taggit_taggeditem", "auth_group", "django_migrations"):
            with self.subTest(table):
                self.assertEqual(instance.rows(table), self.source_rows(table))


class RestoreRefusalTests(InstanceTestCase):
    def setUp(self):
        meeting = factories.full_meeting()
        self.photo = PhotoSession.objects.create(
            meeting=meeting, image=factories.uploaded_gif(), caption="c", alt_text="a", position=9
        )
        self.archive = self.backup()

    def test_a_database_that_already_holds_meetings_is_refused(self):
        instance = self.fresh_instance()
        self.assertEqual(instance.restore(self.archive).returncode, 0)
        self.assertRefusedChangingNothing(
            instance, self.archive, "The database already holds 1 meeting and 1 relations page"
        )

    def test_an_archive_whose_contents_do_not_match_their_checksums_is_refused(self):
        members = archive_members(self.archive)
        photo = f"media/{self.photo.image.name}"
        members[photo] = members[photo] + b"tampered"
        tampered = write_members(self.folder / "tampered.tar.gz", members)

        self.assertRefusedChangingNothing(
            self.fresh_instance(), tampered, f"the checksum of {photo} does not match"
        )

    def test_an_archive_of_the_other_database_is_refused(self):
        members = archive_members(self.archive)
        manifest = json.loads(members.pop("manifest.json"))
        ours, other = ("postgresql", "sqlite") if POSTGRESQL else ("sqlite", "postgresql")
        ours_name, other_name = backups.DATABASE_MEMBERS[ours], backups.DATABASE_MEMBERS[other]
        manifest["vendor"] = other
        manifest["files"][other_name] = manifest["files"].pop(ours_name)
        members[other_name] = members.pop(ours_name)
        other_archive = write_members(
            self.folder / "other.tar.gz",
            {"manifest.json": json.dumps(manifest).encode(), **members},
        )

        self.assertRefusedChangingNothing(
            self.fresh_instance(),
            other_archive,
            f"This archive holds a {backups.VENDOR_NAMES[other]} database",
        )


class BackupTests(InstanceTestCase):
    def test_the_archive_holds_a_manifest_the_database_and_every_media_file(self):
        meeting = factories.full_meeting()
        photo = PhotoSession.objects.create(
            meeting=meeting, image=factories.uploaded_gif(), caption="c", alt_text="a", position=9
        )
        database = backups.DATABASE_MEMBERS[connection.vendor]
        media = [photo.image.name, *(file.name for file in renditions.rendition_files(photo))]

        members = archive_members(self.backup())

        manifest = json.loads(members.pop("manifest.json"))
        self.assertEqual(set(members), {database, *(f"media/{name}" for name in media)})
        self.assertEqual(
            manifest["files"],
            {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
        )
        self.assertEqual(manifest["vendor"], connection.vendor)
        self.assertEqual(manifest["counts"]["meetings.Meeting"], 1)
        self.assertEqual(manifest["counts"]["meetings.PhotoSession"], 3)
        self.assertEqual(manifest["media_files"], 7)  # the photo and its six renditions
        newest_on_disk = max(
            name for app, name in MigrationLoader(None).disk_migrations if app == "meetings"
        )
        self.assertEqual(manifest["migrations"]["meetings"], newest_on_disk)

    def test_by_default_the_archive_is_named_after_the_time_and_its_path_printed_last(self):
        out, here = io.StringIO(), os.getcwd()
        os.chdir(self.folder)
        try:
            call_command("backup", stdout=out)
        finally:
            os.chdir(here)
        printed = out.getvalue().splitlines()[-1]
        self.assertRegex(printed, r"/portal-backup-\d{8}T\d{6}Z\.tar\.gz$")
        self.assertEqual(Path(printed).parent, self.folder)
        self.assertTrue(Path(printed).is_file())

    def test_a_failed_backup_leaves_no_archive_and_no_temporary_file(self):
        factories.full_meeting()
        with (
            mock.patch.object(tarfile.TarFile, "add", side_effect=OSError("No space left")),
            self.assertRaisesMessage(CommandError, "No backup written: No space left"),
        ):
            self.backup()
        self.assertEqual([path.name for path in self.folder.iterdir()], [])


class RefusedBeforeTheDatabaseTests(SimpleTestCase):
    """Archives refused before the database is even opened (a SimpleTestCase fails on any
    query)."""

    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path):
        self.folder = tmp_path

    def assertRefused(self, archive, message):
        with self.assertRaisesMessage(CommandError, message):
            call_command("restore", str(archive), "--yes")
        self.assertEqual(files_under(settings.MEDIA_ROOT), {})

    def test_a_file_that_is_not_an_archive_is_refused(self):
        text = self.folder / "readout.txt"
        text.write_text("Japan-Canada Relations\n")
        self.assertRefused(text, "is not a backup of this portal: not a complete .tar.gz")

    def test_an_archive_without_our_manifest_is_refused(self):
        archive = write_members(self.folder / "other.tar.gz", {"media/x.gif": b"GIF"})
        self.assertRefused(archive, "is not a backup of this portal: it has no manifest.json")

    def test_an_archive_with_another_programs_manifest_is_refused(self):
        archive = write_members(
            self.folder / "other.tar.gz", {"manifest.json": b'{"format": "something-else"}'}
        )
        self.assertRefused(archive, "its manifest.json is not a portal backup's")

    def test_an_archive_made_by_a_newer_version_of_the_portal_is_refused(self):
        database = backups.DATABASE_MEMBERS[connection.vendor]
        manifest = {
            "format": backups.FORMAT,
            "format_version": backups.FORMAT_VERSION,
            "vendor": connection.vendor,
            "migrations": {"meetings": "9999_from_the_future"},
            "counts": {},
            "media_files": 0,
            "files": {database: hashlib.sha256(b"").hexdigest()},
        }
        archive = write_members(
            self.folder / "newer.tar.gz",
            {"manifest.json": json.dumps(manifest).encode(), database: b""},
        )
        self.assertRefused(archive, "migrations this code lacks: meetings 9999_from_the_future")

    def test_an_archive_with_files_outside_its_folders_is_refused(self):
        archive = write_members(self.folder / "evil.tar.gz", {"../etc/cron.d/x": b"* * * * *"})
        self.assertRefused(archive, "unexpected member “../etc/cron.d/x”")


def test_a_missing_archive_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"), "--yes")


def test_a_backup_is_not_written_inside_media_root(settings):
    with pytest.raises(backups.BackupError, match="outside MEDIA_ROOT"):
        backups.write_backup(Path(settings.MEDIA_ROOT) / "backup.tar.gz")


def test_the_default_name_carries_the_utc_time():
    name = backups.default_backup_name(datetime(2026, 11, 30, 22, 5, 9, tzinfo=UTC))
    assert name == "portal-backup-20261130T220509Z.tar.gz"
    assert re.fullmatch(r"portal-backup-\d{8}T\d{6}Z\.tar\.gz", backups.default_backup_name())
