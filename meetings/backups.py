"""Backups: the database and every uploaded file in one archive, and bringing one back.

An archive is a .tar.gz holding `manifest.json`, the database and `media/` (every file under
MEDIA_ROOT). The database is PostgreSQL's own `pg_dump` (custom format) or, on SQLite, a
copy made with SQLite's online backup API: either way one snapshot. The media are copied
after it, so every photo the dump names is in the archive (photos are only ever added,
under new unguessable names, never changed in place).

`restore_backup` brings an archive back onto an empty instance only. It checks the whole
archive (ours, every checksum, the database vendor, migrations this code knows) and the
instance (no meetings or relations pages) before it changes anything.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from glob import glob
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from relations.models import RelationsPage

from . import caching
from .models import ChangeNote, Meeting, MeetingRevision, PhotoSession, PublicationLogEntry

FORMAT = "diplomatic-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}

# libpq reads these from the environment; the password must never be on a command line.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
}


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


def default_backup_name(now=None):
    return f"portal-backup-{(now or timezone.now()):%Y%m%dT%H%M%SZ}.tar.gz"


# Backing up


def write_backup(path):
    """Write the database and every file under MEDIA_ROOT to the archive `path`.

    The archive appears under its name only once complete. Returns the manifest."""
    path = Path(path).absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if path.is_relative_to(media_root):
        raise BackupError(f"{path}: write the backup outside MEDIA_ROOT ({media_root}).")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent}: no such folder.")
    vendor = supported_vendor()
    member = DATABASE_MEMBERS[vendor]
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".portal-backup-") as staging:
        dump = Path(staging) / member
        counts = dump_postgresql(dump) if vendor == "postgresql" else dump_sqlite(dump)
        # After the dump: every photo it names is already on disk.
        files = {member: dump} | {
            f"{MEDIA}/{file.relative_to(media_root).as_posix()}": file
            for file in media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "vendor": vendor,
            "django_version": django.get_version(),
            "migrations": latest_migrations(),
            "counts": counts,
            "media_files": len(files) - 1,
            "files": {name: file_sha256(file) for name, file in files.items()},
        }
        write_archive(path, manifest, files)
    return manifest


def supported_vendor():
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def dump_postgresql(target):
    """pg_dump into `target`; returns the row counts of the very snapshot it dumped."""
    pg_dump = find_pg_tool("pg_dump")
    # The counts are read in a transaction whose snapshot pg_dump then takes over.
    reader = connection.get_new_connection(connection.get_connection_params())
    try:
        with reader.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            counts = count_rows(cursor)
            run_pg_tool(
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={connection.settings_dict['NAME']}",
            )
    finally:
        reader.close()
    return counts


def dump_sqlite(target):
    """Copy the database into `target` with SQLite's online backup API, in one step."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return count_rows(copy.cursor())
    finally:
        copy.close()


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


def media_files(root):
    if not root.is_dir():
        return []
    return sorted(file for file in root.rglob("*") if file.is_file())


def file_sha256(path):
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def write_archive(path, manifest, files):
    """Write the archive to a temporary file beside `path`, then rename it into place."""
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
    ) as temporary:
        try:
            with tarfile.open(fileobj=temporary, mode="w:gz") as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                archive.addfile(info, io.BytesIO(data))
                for name, file in files.items():
                    archive.add(file, arcname=name, recursive=False)
            temporary.flush()
            os.fsync(temporary.fileno())
        except BaseException:
            os.unlink(temporary.name)
            raise
    os.replace(temporary.name, path)


# PostgreSQL's tools


def find_pg_tool(name):
    """The newest `pg_dump`/`pg_restore` on PATH or in Debian's /usr/lib/postgresql/*/bin."""
    candidates = {shutil.which(name), *glob(f"/usr/lib/postgresql/*/bin/{name}")} - {None}
    versions = {path: pg_tool_version(path) for path in sorted(candidates)}
    found = {path: version for path, version in versions.items() if version}
    if not found:
        raise BackupError(
            f"{name} not found: install PostgreSQL's client tools (Debian: postgresql-client)."
        )
    return max(found, key=found.get)


def pg_tool_version(path):
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)(?:\.(\d+))?", result.stdout)
    return tuple(int(part or 0) for part in match.groups()) if match else None


def pg_environment(settings_dict):
    """The environment that points libpq at the configured database, password included."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for variable, value in [
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        *((variable, options.get(option)) for option, variable in PG_OPTION_VARIABLES.items()),
    ]:
        if value:
            env[variable] = str(value)
    return env


def run_pg_tool(*args):
    result = subprocess.run(
        args, env=pg_environment(connection.settings_dict), capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")
    return result


# Restoring


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
    """(staged file, destination) pairs; refuses to overwrite a different file."""
    media_root = Path(settings.MEDIA_ROOT)
    pairs = []
    for name, digest in sorted(manifest["files"].items()):
        if not name.startswith(f"{MEDIA}/"):
            continue
        destination = media_root / name.removeprefix(f"{MEDIA}/")
        if destination.exists():
            if file_sha256(destination) != digest:
                raise BackupError(
                    f"{destination} already exists with other content: restore only onto an "
                    "empty MEDIA_ROOT."
                )
            continue
        pairs.append((staging / name, destination))
    return pairs


def copy_media(pairs):
    for source, destination in pairs:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial")
        shutil.copyfile(source, partial)
        os.replace(partial, destination)


def restore_postgresql(dump):
    """pg_restore in one transaction; --clean replaces whatever `migrate` may have made."""
    pg_restore = find_pg_tool("pg_restore")
    connection.close()
    run_pg_tool(
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(dump),
    )


def restore_sqlite(copy):
    """SQLite's backup API from the archived copy over the configured database file."""
    connection.close()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
