from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.importing import ReadoutError, decode, parse_readout, save_readout
from relations.models import Region


class Command(BaseCommand):
    help = (
        "Import readouts written in the ministry's text shape. Each file becomes one meeting "
        "(a draft unless --publish), under the relations page its first line names."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the meetings now (default: drafts)."
        )
        parser.add_argument(
            "--region",
            metavar="SLUG",
            help="Region for relations pages this import creates (default: none yet).",
        )
        parser.add_argument(
            "--base-url",
            default=settings.PORTAL_BASE_URL,
            help="Site address the printed meeting URLs start with (default: PORTAL_BASE_URL).",
        )

    def handle(self, files, publish, region, base_url, **options):
        if region is not None and not Region.objects.filter(slug=region).exists():
            raise CommandError(f"--region: no region with the slug “{region}”")
        failures = 0
        for name in files:
            try:
                result = self.import_file(Path(name), publish=publish, region=region)
            except ReadoutError as error:
                self.stderr.write(error.located(name))
                failures += 1
                continue
            meeting = result.meeting
            self.stdout.write(f"imported: {base_url.rstrip('/')}{meeting.get_absolute_url()}")
        if failures:
            raise CommandError(f"{failures} of {len(files)} file(s) could not be imported")

    def import_file(self, path, *, publish, region):
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise ReadoutError("this is a folder, not a readout file") from None
        except OSError as error:
            raise ReadoutError(f"cannot read the file ({error.strerror})") from None
        parsed = parse_readout(decode(data))
        for warning in parsed.warnings:
            self.stderr.write(f"{path}:{warning.line}: warning: {warning.message}")
        try:
            return save_readout(parsed, publish=publish, region=region)
        except ValidationError as error:
            messages = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()
            )
            raise ReadoutError(f"the readout does not fit a meeting: {messages}") from None
