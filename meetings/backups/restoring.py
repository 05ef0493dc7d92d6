"""Restoring an archive onto an empty instance, after checking all of it."""

import hashlib
import json
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from meetings import caching
from meetings.models import Meeting
from relations.models import RelationsPage

from .common import (
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    VENDOR_NAMES,
    BackupError,
    Restored,
    count_rows,
    stored_sha256,
    supported_vendor,
)
from .databases import restore_postgresql, restore_sqlite


def restore_backup(path, *, confirm=None):
    """Bring the archive at `path` back onto this instance, which must be empty.

    Everything is checked before anything changes; `confirm(manifest)` is asked last and
    may say no. Media are copied before the database, so a restore that fails part-way
    leaves at most unreferenced files, and can simply be run again."""
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as staging:
        staging = Path(staging)
        manifest = unpack_archive(Path(path), staging)
        check_vendor(manifest)
        check_migrations_known(manifest)
        check_instance_empty(manifest)
        media = media_to_copy(manifest, staging)
        if confirm is not None and not confirm(manifest):
            raise BackupError("Nothing restored.")
        copy_media(media)
        database = staging / DATABASE_MEMBERS[manifest["vendor"]]
        if manifest["vendor"] == "postgresql":
            restore_postgresql(database)
        else:
            restore_sqlite(database)
    # An archive from older code is brought up to this code's migrations.
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        caching.content_changed()
    with connection.cursor() as cursor:
        counts = count_rows(cursor)
    return Restored(manifest=manifest, counts=counts, media_files=manifest["media_files"])


def not_ours(path, why):
    return BackupError(f"{path} is not a backup of this portal: {why}.")


def unpack_archive(path, staging):
    """Extract every member into `staging`, checking names and checksums; the manifest."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    digests = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = member.name
                if not (member.isfile() and is_member_name(name)) or name in digests:
                    raise not_ours(path, f"unexpected member “{name}”")
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, open(target, "xb") as copy:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        copy.write(chunk)
                digests[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise not_ours(path, f"not a complete .tar.gz archive ({error})") from None
    manifest = read_manifest(path, staging / MANIFEST if MANIFEST in digests else None)
    digests.pop(MANIFEST)
    expected = manifest["files"]
    damaged = sorted(
        name for name in expected.keys() | digests.keys() if expected.get(name) != digests.get(name)
    )
    if damaged:
        raise BackupError(
            f"{path} is damaged or was altered: the checksum of {', '.join(damaged)} does not "
            "match its manifest. Nothing was restored."
        )
    return manifest


def is_member_name(name):
    parts = PurePosixPath(name).parts
    if name != PurePosixPath(name).as_posix() or not parts or ".." in parts:
        return False
    if parts[0] == MEDIA:
        return len(parts) > 1
    return len(parts) == 1 and name in {MANIFEST, *DATABASE_MEMBERS.values()}


def read_manifest(path, file):
    if file is None:
        raise not_ours(path, f"it has no {MANIFEST}")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise not_ours(path, f"its {MANIFEST} is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise not_ours(path, f"its {MANIFEST} is not a portal backup's")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in backup format {manifest.get('format_version')}; this version of the "
            f"portal reads format {FORMAT_VERSION}."
        )
    vendor = manifest.get("vendor")
    keys = {"files", "migrations", "counts", "media_files"}
    if vendor not in DATABASE_MEMBERS or not keys <= manifest.keys():
        raise not_ours(path, f"its {MANIFEST} is incomplete")
    return manifest


def check_vendor(manifest):
    ours = supported_vendor()
    if manifest["vendor"] != ours:
        theirs = VENDOR_NAMES[manifest["vendor"]]
        raise BackupError(
            f"This archive holds a {theirs} database, but this instance is configured for "
            f"{VENDOR_NAMES[ours]}: restore it onto a {theirs} instance (DATABASE_URL)."
        )


def check_migrations_known(manifest):
    """Refuse an archive made by newer code: this code could not run its database."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    installed = {app for app, _ in known}
    unknown = [
        f"{app} {name}"
        for app, name in manifest["migrations"].items()
        if app in installed and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "This archive was made by a newer version of the portal (its database has "
            f"migrations this code lacks: {', '.join(unknown)}). Restore it with that version."
        )


def check_instance_empty(manifest):
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return  # a new database file; connecting would create it
    tables = set(connection.introspection.table_names())
    held = []
    for model in (Meeting, RelationsPage):
        count = model.objects.count() if model._meta.db_table in tables else 0
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            held.append(f"{count} {name}")
    if held:
        raise BackupError(
            f"The database already holds {' and '.join(held)}. A restore goes only onto an "
            "empty instance, so that nothing is overwritten: create a new database first."
        )
    if MigrationRecorder.Migration._meta.db_table not in tables:
        return
    archived = manifest["migrations"]
    ahead = sorted(
        f"{app} {name}"
        for app, name in MigrationRecorder(connection).applied_migrations()
        if name > archived.get(app, "")
    )
    if ahead:
        raise BackupError(
            "This database was migrated further than the archive (" + ", ".join(ahead) + "): "
            "restore into a new database with no tables."
        )


def media_to_copy(manifest, staging):
    """(staged file, name in the storage) pairs; refuses to overwrite a different file."""
    storage = default_storage
    pairs = []
    for member, digest in sorted(manifest["files"].items()):
        if not member.startswith(f"{MEDIA}/"):
            continue
        name = member.removeprefix(f"{MEDIA}/")
        if storage.exists(name):
            if stored_sha256(storage, name) != digest:
                raise BackupError(
                    f"{name} already exists in the media storage with other content: restore "
                    "only onto an empty MEDIA_ROOT or bucket."
                )
            continue
        pairs.append((staging / member, name))
    return pairs


def copy_media(pairs):
    storage = default_storage
    for source, name in pairs:
        with open(source, "rb") as file:
            try:
                saved = storage.save(name, File(file, name=name))
            except BaseException:
                # A file half written would make the next run refuse it as different.
                if storage.exists(name):
                    storage.delete(name)
                raise
        if saved != name:  # written meanwhile by someone else: the storage chose another name
            storage.delete(saved)
            raise BackupError(f"{name} appeared in the media storage during the restore.")
