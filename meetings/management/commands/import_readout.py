import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.importing import ReadoutError, Vocabulary, decode, parse_readout, save_readout
from meetings.importing.preview import describe
from relations.models import Region


class Command(BaseCommand):
    help = (
        "Import readouts written in the ministry's text shape: files, or folders of .txt "
        "files. Each file becomes one meeting (a draft unless --publish) under the relations "
        "page its first line names, in a transaction of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the meetings now (default: drafts)."
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

    def handle(self, paths, publish, dry_run, region, base_url, **options):
        if region is not None and not Region.objects.filter(slug=region).exists():
            raise CommandError(f"--region: no region with the slug “{region}”")
        files = list(readout_files(paths))
        if not files:
            raise CommandError("no readout files found in " + ", ".join(paths))
        vocabulary = Vocabulary.from_database()
        created, updated, failed, previews = 0, 0, [], []
        progress = Progress(len(files), self.stderr)
        for path in files:
            progress.step(path)
            try:
                parsed = self.parse(path, vocabulary)
                if dry_run:
                    previews.append({"file": str(path), **describe(parsed)})
                    continue
                result = self.save(parsed, publish=publish, region=region)
            except ReadoutError as error:
                failed.append(error.located(path))
                progress.write(failed[-1])
                continue
            except Exception as error:
                # Parsing and the limits should leave nothing to reach this; if something
                # does, that one file is rolled back and reported, and the batch goes on.
                message = " ".join(str(error).split())
                failed.append(f"{path}: could not be imported: {type(error).__name__}: {message}")
                progress.write(failed[-1])
                continue
            if result.created:
                created += 1
            else:
                updated += 1
            progress.write_out(
                self.stdout, f"imported: {base_url.rstrip('/')}{result.meeting.get_absolute_url()}"
            )
        progress.done()
        if dry_run:
            self.stdout.write(json.dumps(previews, ensure_ascii=False, indent=2))
        self.stderr.write(
            f"{len(files)} readout(s): "
            + (
                f"{len(previews)} parsed (dry run, nothing written)"
                if dry_run
                else f"{created} created, {updated} updated"
            )
            + f", {len(failed)} failed"
        )
        for failure in failed:
            self.stderr.write(f"  failed: {failure}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} readout(s) could not be imported")

    def parse(self, path, vocabulary):
        try:
            with path.open("rb") as file:
                # One byte past the limit is enough to refuse the file without reading it all.
                data = file.read(settings.PORTAL_IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise ReadoutError(f"cannot read the file ({error.strerror})") from None
        parsed = parse_readout(decode(data), vocabulary)
        for warning in parsed.warnings:
            self.stderr.write(f"{path}:{warning.line}: warning: {warning.message}")
        return parsed

    def save(self, parsed, *, publish, region):
        try:
            return save_readout(parsed, publish=publish, region=region)
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


class Progress:
    """A one-line progress bar on a terminal; silent when the output is a file or a pipe."""

    width = 30

    def __init__(self, total, stream):
        self.total, self.count, self.stream = total, 0, stream
        self.live = hasattr(stream, "isatty") and stream.isatty() and total > 1

    def step(self, path):
        self.count += 1
        if self.live:
            filled = self.width * self.count // self.total
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.count}/{self.total} {path.name[:40]:40}", ending="")
            self.stream.flush()

    def write(self, line):
        self.clear()
        self.stream.write(line)

    def write_out(self, stream, line):
        self.clear()
        stream.write(line)

    def clear(self):
        if self.live:
            self.stream.write("\r" + " " * (self.width + 60) + "\r", ending="")

    def done(self):
        self.clear()
