import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from meetings import caching
from meetings.importing import ReadoutError, Vocabulary, decode, parse_readout, save_readout
from meetings.importing.preview import describe
from relations.models import Region


class Command(BaseCommand):
    help = (
        "Import readouts written in the ministry's text shape: files, or folders of .txt "
        "files. Each file becomes one meeting (a draft unless --publish or --backfill) under "
        "the relations page its first line names, in a transaction of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
        publication = parser.add_mutually_exclusive_group()
        publication.add_argument(
            "--publish", action="store_true", help="Publish the meetings now (default: drafts)."
        )
        publication.add_argument(
            "--backfill",
            action="store_true",
            help="Archive back-fill: publish each new meeting at its own date (the end of the "
            "meeting, or noon, in the ministry's time zone), without announcing it as new; "
            "skip meetings already on the portal, refuse ones dated in the future.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what each readout would become, as JSON, and write nothing.",
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

    def handle(self, paths, publish, backfill, dry_run, region, base_url, **options):
        if region is not None and not Region.objects.filter(slug=region).exists():
            raise CommandError(f"--region: no region with the slug “{region}”")
        files = list(readout_files(paths))
        if not files:
            raise CommandError("no readout files found in " + ", ".join(paths))
        self.vocabulary = Vocabulary.from_database()
        self.base_url = base_url.rstrip("/")
        self.created, self.updated, self.skipped, self.failed, self.previews = 0, 0, 0, [], []
        with caching.one_retirement_per_batch():
            for path in progress_bar(files, self.stderr):
                result = self.import_file(
                    path, publish=publish, backfill=backfill, dry_run=dry_run, region=region
                )
                if result:
                    self.report(path, result, backfill=backfill)
        if dry_run:
            self.stdout.write(json.dumps(self.previews, ensure_ascii=False, indent=2))
        self.summarise(len(files), dry_run, backfill)

    def import_file(self, path, *, publish, backfill, dry_run, region):
        """Parse (and unless a dry run, save) one file, counting how it went; what it became."""
        try:
            parsed = self.parse(path, self.vocabulary)
            if dry_run:
                self.previews.append({"file": str(path), **describe(parsed, backfill=backfill)})
                return None
            result = self.save(parsed, publish=publish, backfill=backfill, region=region)
        except ReadoutError as error:
            self.fail(error.located(path))
            return None
        except Exception as error:
            # Parsing and the limits should leave nothing to reach this; if something
            # does, that one file is rolled back and reported, and the batch goes on.
            message = " ".join(str(error).split())
            self.fail(f"{path}: could not be imported: {type(error).__name__}: {message}")
            return None
        if result.skipped:
            self.skipped += 1
        elif result.created:
            self.created += 1
        else:
            self.updated += 1
        return result

    def report(self, path, result, *, backfill):
        meeting = result.meeting
        url = f"{self.base_url}{meeting.get_absolute_url()}"
        if result.skipped:
            line = (
                f"skipped: {path}: “{meeting.title}” is already on the portal "
                f"({meeting.get_state_display().lower()}), left as it is: {url}"
            )
        elif backfill:
            since = timezone.localtime(meeting.published_at)
            line = f"back-filled: {url} (public since {since:%Y-%m-%d %H:%M %Z})"
        else:
            line = f"imported: {url}"
        self.say(self.stdout, line)

    def fail(self, message):
        self.failed.append(message)
        self.say(self.stderr, message)

    def summarise(self, total, dry_run, backfill):
        if dry_run:
            done = f"{len(self.previews)} parsed (dry run, nothing written)"
        elif backfill:
            done = (
                f"{self.created} back-filled, published at their meeting dates and not "
                f"announced; {self.skipped} skipped (already on the portal)"
            )
        else:
            done = f"{self.created} created, {self.updated} updated"
        self.stderr.write(f"{total} readout(s): {done}, {len(self.failed)} failed")
        for failure in self.failed:
            self.stderr.write(f"  failed: {failure}")
        if self.failed:
            raise CommandError(f"{len(self.failed)} of {total} readout(s) could not be imported")

    def say(self, stream, line):
        """Write a line, moving the progress bar (if one is drawn) below it."""
        with tqdm.external_write_mode(file=sys.stderr):
            stream.write(line)

    def parse(self, path, vocabulary):
        try:
            with path.open("rb") as file:
                # One byte past the limit is enough to refuse the file without reading it all.
                data = file.read(settings.PORTAL_IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise ReadoutError(f"cannot read the file ({error.strerror})") from None
        parsed = parse_readout(decode(data), vocabulary)
        for warning in parsed.warnings:
            self.say(self.stderr, f"{path}:{warning.line}: warning: {warning.message}")
        return parsed

    def save(self, parsed, *, publish, backfill, region):
        try:
            return save_readout(parsed, publish=publish, backfill=backfill, region=region)
        except ValidationError as error:
            messages = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()
            )
            raise ReadoutError(f"the readout does not fit a meeting: {messages}") from None


def readout_files(paths):
    """The files named, and the .txt files anywhere under the folders named, in order."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def progress_bar(files, stderr):
    """The files, with a progress bar on a terminal; silent when stderr is a file or a pipe."""
    live = hasattr(stderr, "isatty") and stderr.isatty() and sys.stderr.isatty()
    # tqdm redraws its line with "\r", so it writes to the terminal itself rather than
    # through Django's OutputWrapper, which ends every write with a newline.
    return tqdm(
        files,
        file=sys.stderr,
        disable=not live or len(files) < 2,
        leave=False,
        unit="file",
        dynamic_ncols=True,
    )
