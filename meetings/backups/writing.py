"""Writing one archive: the database snapshot, then the media, then a manifest of both."""

import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from .common import (
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    BackupError,
    file_sha256,
    latest_migrations,
    media_files,
    supported_vendor,
)
from .databases import dump_postgresql, dump_sqlite


def default_backup_name(now=None):
    return f"portal-backup-{(now or timezone.now()):%Y%m%dT%H%M%SZ}.tar.gz"


def write_backup(path):
    """Write the database and every stored file (photos, renditions) to the archive `path`.

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
        # After the dump: every photo it names is already stored.
        files = {member: dump} | stage_media(Path(staging) / MEDIA)
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


def stage_media(folder):
    """Copy every stored file into `folder`, through the storage (a folder or a bucket):
    the files are read once, and their checksums are those of exactly what is archived."""
    storage = default_storage
    staged = {}
    for name in media_files(storage):
        copy = folder / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(copy, "xb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        staged[f"{MEDIA}/{name}"] = copy
    return staged


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
