"""Backups: the database and every uploaded file in one archive, and bringing one back.

An archive is a .tar.gz holding `manifest.json`, the database and `media/` (every file in
the media storage, STORAGES["default"]: MEDIA_ROOT or a bucket, read and written through the
storage). The database is PostgreSQL's own `pg_dump` (custom format) or, on SQLite, a
copy made with SQLite's online backup API: either way one snapshot. The media are copied
after it, so every photo the dump names is in the archive (photos are only ever added,
under new unguessable names, never changed in place).

`restore_backup` brings an archive back onto an empty instance only. It checks the whole
archive (ours, every checksum, the database vendor, migrations this code knows) and the
instance (no meetings or relations pages) before it changes anything.
"""

from .common import (
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    VENDOR_NAMES,
    BackupError,
    Restored,
    describe_counts,
)
from .restoring import restore_backup
from .writing import default_backup_name, write_backup

__all__ = [
    "DATABASE_MEMBERS",
    "FORMAT",
    "FORMAT_VERSION",
    "VENDOR_NAMES",
    "BackupError",
    "Restored",
    "default_backup_name",
    "describe_counts",
    "restore_backup",
    "write_backup",
]
