from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from meetings import backups


class Command(BaseCommand):
    help = (
        "Bring an archive written by `backup` back onto an empty instance: the database, then "
        "the uploaded files into the media storage (MEDIA_ROOT or the bucket). Refuses, "
        "changing nothing, if the database already has content or the archive is damaged or "
        "of another database."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE")
        parser.add_argument("--yes", action="store_true", help="Do not ask before restoring.")

    def handle(self, archive, yes, **options):
        try:
            restored = backups.restore_backup(archive, confirm=None if yes else self.confirm)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {backups.describe_counts(restored.counts)}; "
            f"media files: {restored.media_files}."
        )
        if restored.counts != restored.manifest["counts"]:
            self.stderr.write(
                "warning: the archive's manifest counted "
                f"{backups.describe_counts(restored.manifest['counts'])}."
            )

    def confirm(self, manifest):
        self.stdout.write(
            f"The archive was made at {manifest['created_at']} and holds "
            f"{backups.describe_counts(manifest['counts'])}; "
            f"media files: {manifest['media_files']}."
        )
        self.stdout.write(
            f"Restore it into the database {connection.settings_dict['NAME']}? Type “yes”: ",
            ending="",
        )
        self.stdout.flush()
        try:
            return input().strip().lower() == "yes"
        except EOFError:
            return False
