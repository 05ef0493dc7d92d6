from django.core.management.base import BaseCommand
from django.db import transaction

from meetings.models import Meeting
from meetings.search import indexing


class Command(BaseCommand):
    help = (
        "Rewrite every meeting's search document (or, with --missing, only those of meetings "
        "without one). Saves, imports and workflow steps keep documents current by "
        "themselves, and `migrate` writes the missing ones: run this after changing how "
        "documents are written, or after changing meetings' rows by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="only meetings without a search document"
        )

    def handle(self, *, missing, **options):
        meetings = Meeting.objects.order_by("pk")
        if missing:
            meetings = meetings.filter(search_document__isnull=True)
        with transaction.atomic():
            written = indexing.index_meetings(meetings)
        self.stdout.write(f"{written} search documents written.")
