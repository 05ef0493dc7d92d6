import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from meetings import topics
from meetings.importing import Vocabulary, decode, parse_readout, save_readout
from meetings.models import Meeting
from relations.models import Region, RelationsPage

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo regions, relations pages, topics and published readouts shipped in "
        "meetings/demo/. Does nothing when the database already has content."
    )

    def handle(self, **options):
        if RelationsPage.objects.exists() or Meeting.objects.exists():
            self.stdout.write("Demo content not loaded: the database already has content.")
            return
        with transaction.atomic():
            pages = self.load_relations(json.loads((DEMO_DIR / "relations.json").read_text()))
            for topic in json.loads((DEMO_DIR / "topics.json").read_text()):
                topics.define_topic(topic["name"], "\n".join(topic["synonyms"]))
            vocabulary = Vocabulary.from_database()
            readouts = sorted((DEMO_DIR / "readouts").glob("*.txt"))
            for path in readouts:
                save_readout(parse_readout(decode(path.read_bytes()), vocabulary), publish=True)
        self.stdout.write(
            f"Demo content loaded: {pages} relations pages, {len(readouts)} published readouts."
        )

    def load_relations(self, regions):
        count = 0
        for position, region_data in enumerate(regions, start=1):
            region = Region.objects.create(
                name=region_data["name"], slug=region_data["slug"], position=position
            )
            for page in region_data["relations_pages"]:
                RelationsPage.objects.create(region=region, **page)
                count += 1
        return count
