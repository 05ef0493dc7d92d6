import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.archive_generator import readouts
from meetings.archive_generator.progress import Progress
from meetings.archive_generator.writing import write_archive
from meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Fill the database with a made-up archive of realistic readouts, to try the portal "
        "at scale: relations pages across regions, meetings over the years with agenda items "
        "and sub-items, topics, participants and photo captions, mostly published (back-filled "
        "at their own dates), a few drafts. The same --seed gives the same archive. With "
        "--files, only write the readouts as text files, as `import_readout` reads them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=1000, help="default: 1000")
        parser.add_argument(
            "--relations", type=int, default=20, help="relations pages (default: 20)"
        )
        parser.add_argument("--seed", type=int, default=2024, help="default: 2024")
        parser.add_argument(
            "--years", type=int, default=30, help="meetings dated over this many years to today"
        )
        parser.add_argument(
            "--published-share",
            type=float,
            default=0.98,
            help="the share of meetings published; the others are drafts (default: 0.98)",
        )
        parser.add_argument(
            "--files",
            metavar="DIR",
            help="write the readouts as text files in DIR (with topics.json beside them) "
            "instead of into the database",
        )
        parser.add_argument(
            "--add",
            action="store_true",
            help="add to a database that already has meetings (refused otherwise)",
        )
        parser.add_argument(
            "--yes-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="run with DEBUG off (refused otherwise: a made-up archive on a public site "
            "would be published)",
        )

    def handle(self, **options):
        if options["meetings"] < 1 or options["relations"] < 1 or options["years"] < 1:
            raise CommandError("--meetings, --relations and --years must be at least 1.")
        if not 0 <= options["published_share"] <= 1:
            raise CommandError("--published-share is a share: between 0 and 1.")
        if options["files"]:
            return self.write_files(options)
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "DEBUG is off: this may be a site the public reaches, and the made-up meetings "
                "would be published on it. Run with --yes-this-is-not-production if it is not."
            )
        if not options["add"] and Meeting.objects.exists():
            raise CommandError(
                "The database already has meetings: a made-up archive would mix into them. "
                "Give an empty database, or --add to add to it anyway."
            )
        progress = Progress(options["meetings"], self.stderr, enabled=options["verbosity"] > 0)
        started = time.monotonic()
        written = write_archive(
            meetings=options["meetings"],
            relations=options["relations"],
            seed=options["seed"],
            years=options["years"],
            published_share=options["published_share"],
            progress=progress,
        )
        progress.finish()
        seconds = time.monotonic() - started
        rows = sum(count for kind, count in written.items() if kind not in NOT_ROWS)
        self.stdout.write(
            f"Archive written in {seconds:.0f} s ({rows:,} rows, {rows / seconds:,.0f} rows/s):"
        )
        for kind, count in written.items():
            self.stdout.write(f"  {count:>9,} {kind}")

    def write_files(self, options):
        files = readouts.write_files(
            options["files"],
            options["meetings"],
            relations=options["relations"],
            seed=options["seed"],
            years=options["years"],
        )
        self.stdout.write(f"{len(files)} readouts written to {options['files']}.")


# Counted in the summary, but not rows of their own.
NOT_ROWS = {"published", "sub-items", "skipped"}
