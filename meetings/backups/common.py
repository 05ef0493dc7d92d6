"""What writing and restoring share: the archive's names, its manifest's counts, checksums."""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from taggit.models import Tag, TaggedItem

from meetings.models import ChangeNote, Meeting, MeetingRevision, PhotoSession, PublicationLogEntry
from relations.models import RelationsPage

FORMAT = "diplomatic-portal-backup"


FORMAT_VERSION = 1


MANIFEST = "manifest.json"


MEDIA = "media"


DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class BackupError(Exception):
    """A backup or restore that cannot be done; nothing was changed by it."""


@dataclass
class Restored:
    manifest: dict
    counts: dict
    media_files: int


def counted_models():
    """The models whose rows the manifest counts and a restore reports."""
    return [
        RelationsPage,
        Meeting,
        MeetingRevision,
        PublicationLogEntry,
        ChangeNote,
        PhotoSession,
        Tag,
        TaggedItem,
        get_user_model(),
    ]


def describe_counts(counts):
    """“meetings: 3, meeting revisions: 12, …” in the order of `counted_models`."""
    labels = {model._meta.label: model._meta.verbose_name_plural for model in counted_models()}
    return ", ".join(f"{labels.get(label, label)}: {count}" for label, count in counts.items())


def supported_vendor():
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def count_rows(cursor):
    """Rows per counted model, read through a plain DB-API cursor (any connection)."""
    counts = {}
    for model in counted_models():
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
        counts[model._meta.label] = cursor.fetchone()[0]
    return counts


def latest_migrations():
    """The last applied migration of each app, by name."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def media_files(storage, folder=""):
    """The name of every file in the storage (STORAGES["default"]: a folder or a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return []
    names = [f"{folder}{file}" for file in files]
    for child in folders:
        names += media_files(storage, f"{folder}{child}/")
    return sorted(names)


def file_sha256(path):
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def stored_sha256(storage, name):
    with storage.open(name, "rb") as file:
        digest = hashlib.sha256()
        while chunk := file.read(1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
