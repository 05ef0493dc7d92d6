from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings import backups


class Command(BaseCommand):
    help = (
        "Write the database and every uploaded file into one archive (.tar.gz) that `restore` "
        "brings back onto a new instance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="The archive to write; by default portal-backup-<UTC time>.tar.gz here.",
        )

    def handle(self, output, **options):
        path = Path(output or backups.default_backup_name()).absolute()
        try:
            manifest = backups.write_backup(path)
        except (backups.BackupError, OSError) as error:
            raise CommandError(f"No backup written: {error}") from None
        self.stdout.write(
            f"Backed up {backups.describe_counts(manifest['counts'])}; "
            f"media files: {manifest['media_files']}."
        )
        self.stdout.write(str(path))
