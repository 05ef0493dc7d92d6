import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from meetings import revisions, topics
from meetings.importing import Vocabulary, decode, parse_readout, save_readout
from meetings.management.commands.add_person import add_person
from meetings.models import Meeting, Topic
from relations.models import Region, RelationsPage

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PEOPLE_FILE = settings.BASE_DIR / ".demo-people"


class Command(BaseCommand):
    help = (
        "Load the demo regions, relations pages, topics and published readouts shipped in "
        "meetings/demo/. Does nothing when the database already has content."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            action="store_true",
            help="Also add a demo editor and a demo publisher, and print their logins "
            "(`make dev` does; for development, never on a site the public reaches).",
        )

    def handle(self, people=False, **options):
        if people:
            self.add_demo_people()
        if RelationsPage.objects.exists() or Meeting.objects.exists():
            self.stdout.write("Demo content not loaded: the database already has content.")
            return
        with transaction.atomic():
            pages = self.load_relations(json.loads((DEMO_DIR / "relations.json").read_text()))
            for topic in json.loads((DEMO_DIR / "topics.json").read_text()):
                topics.define_topic(topic["name"], "\n".join(topic["synonyms"]))
            japanese = json.loads((DEMO_DIR / "japanese.json").read_text())
            # Before the readouts, whose search documents copy these names.
            self.add_japanese_names(japanese)
            vocabulary = Vocabulary.from_database()
            readouts = sorted((DEMO_DIR / "readouts").glob("*.txt"))
            for path in readouts:
                parsed = parse_readout(decode(path.read_bytes()), vocabulary)
                meeting = save_readout(parsed, publish=True).meeting
                if path.stem in japanese["readouts"]:
                    self.add_japanese_readout(meeting, japanese["readouts"][path.stem])
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

    def add_demo_people(self):
        """An editor and a publisher to try the workflow with; their passwords are kept in
        .demo-people, so each run can print them again."""
        known = (
            dict(line.split(" ", 1) for line in DEMO_PEOPLE_FILE.read_text().splitlines() if line)
            if DEMO_PEOPLE_FILE.exists()
            else {}
        )
        for role in ("editor", "publisher"):
            username = f"demo-{role}"
            password, created = add_person(username, role)
            if created:
                known[username] = password
            password = known.get(username, "(unchanged; reset it with `manage.py changepassword`)")
            self.stdout.write(f"Demo {role}: user {username}  password: {password}")
        DEMO_PEOPLE_FILE.write_text("".join(f"{name} {pw}\n" for name, pw in known.items()))
        DEMO_PEOPLE_FILE.chmod(0o600)

    def add_japanese_names(self, japanese):
        for slug, name in japanese["regions"].items():
            Region.objects.filter(slug=slug).update(name_ja=name)
        for slug, fields in japanese["relations_pages"].items():
            RelationsPage.objects.filter(slug=slug).update(
                **{f"{name}_ja": value for name, value in fields.items()}
            )
        for name, label in japanese["topics"].items():
            Topic.objects.filter(tag__name=name).update(label_ja=label)

    def add_japanese_readout(self, meeting, text):
        """The Japanese version of a readout, beside its English, kept as a revision."""
        meeting.title_ja, meeting.lead_ja = text["title"], text["lead"]
        meeting.place_ja = text.get("place", "")
        meeting.save()
        for item, item_text in zip(meeting.agenda_items.all(), text["items"], strict=True):
            item.text_ja = item_text
            item.save(update_fields=["text_ja"])
        for photo, caption in zip(meeting.photo_sessions.all(), text["photos"], strict=False):
            photo.caption_ja = caption
            photo.save(update_fields=["caption_ja"])
        revisions.record(meeting, event="Demo content: the Japanese version added")
