from pathlib import Path
from urllib.parse import urlparse

from django.core.management.base import BaseCommand, CommandError
from django.urls import Resolver404, resolve

from meetings.exporting import export_readout
from meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Write a meeting in the readout text shape that import_readout reads. Name the "
        "meeting by its id or by its public address."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", metavar="ID_OR_URL")
        parser.add_argument("--output", "-o", metavar="FILE", help="Write to FILE, not stdout.")

    def handle(self, meeting, output, **options):
        found = find_meeting(meeting)
        text, problems = export_readout(found)
        for problem in problems:
            self.stderr.write(f"warning: {problem}")
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{output}: cannot write ({error.strerror})") from None
        else:
            self.stdout.write(text, ending="")


def find_meeting(reference):
    meetings = Meeting.objects.select_related("relations_page").prefetch_related(
        "photo_sessions", "agenda_items"
    )
    # str.isdigit() is true of “²” and other digits int() refuses.
    if reference.isascii() and reference.isdigit():
        found = meetings.filter(pk=int(reference)).first()
    else:
        try:
            match = resolve(urlparse(reference).path)
        except Resolver404:
            raise CommandError(f"“{reference}” is not the address of a meeting") from None
        if match.view_name != "relations:meeting":
            raise CommandError(f"“{reference}” is not the address of a meeting")
        found = meetings.at_address(**match.kwargs).first()
    if found is None:
        raise CommandError(f"no meeting “{reference}”")
    return found
