"""The database half of an archive: PostgreSQL's own tools, or SQLite's online backup API."""

import os
import re
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from django.db import connection

from .common import BackupError, count_rows

# libpq reads these from the environment; the password must never be on a command line.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
}


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
