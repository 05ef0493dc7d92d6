import re

from django.core.management.base import BaseCommand
from django.db import transaction

from meetings.caching import content_changed
from meetings.models import MeetingRevision, PhotoSession, photo_upload_path, renditions

UNGUESSABLE = re.compile(r"photos/[0-9a-f]{32}(\.[a-z]+)?")


class Command(BaseCommand):
    help = (
        "Give photos stored under the old, guessable names (photos/<yyyy>/<mm>/<file name>) "
        "unguessable ones, in photo sessions and in revisions alike, and delete the old files. "
        "Old names are protected by the media view anyway; this takes them out of sight. "
        "Run it when nobody is editing, once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the photos to rename; change nothing."
        )

    def handle(self, *, dry_run, **options):
        storage = PhotoSession._meta.get_field("image").storage
        renamed = {}
        for old in sorted(guessable_names()):
            if not storage.exists(old):
                self.stderr.write(f"missing, left as it is: {old}")
            elif dry_run:
                self.stdout.write(f"would rename {old}")
            else:
                with storage.open(old, "rb") as file:
                    renamed[old] = storage.save(photo_upload_path(None, old), file)
        replace_photo_files(renamed, storage, self.stdout)
        self.stdout.write(f"Renamed {len(renamed)} photos.")


def replace_photo_files(renamed, storage, stdout):
    """Point photo sessions and revisions at the new files ({old name: new name}) in one
    transaction, then delete the old files and their renditions and make the new ones'.
    If the transaction fails, the new files go and the old stay in use."""
    if not renamed:
        return
    try:
        with transaction.atomic():
            for old, new in renamed.items():
                PhotoSession.objects.filter(image=old).update(image=new)
            for revision in MeetingRevision.objects.iterator(chunk_size=500):
                if rename_in_revision(revision.data, renamed):
                    revision.save(update_fields=["data"])
            content_changed()
    except BaseException:
        for new in renamed.values():
            storage.delete(new)
        raise
    for old, new in renamed.items():
        storage.delete(old)
        for rendition in renditions.rendition_names(old):  # named after the old name
            storage.delete(rendition)
        stdout.write(f"{old} → {new}")
    renditions.make_renditions(PhotoSession.objects.filter(image__in=renamed.values()))


def photo_names():
    """Every photo name in use, by a photo session or a revision."""
    names = set(PhotoSession.objects.exclude(image="").values_list("image", flat=True))
    for data in MeetingRevision.objects.values_list("data", flat=True).iterator(chunk_size=500):
        names.update(photo.get("image") for photo in data.get("photo_sessions", []))
    names.discard("")
    names.discard(None)
    return names


def guessable_names():
    """Every photo name in use, by a photo session or a revision, not yet unguessable."""
    return {name for name in photo_names() if not UNGUESSABLE.fullmatch(name)}


def rename_in_revision(data, renamed):
    changed = False
    for photo in data.get("photo_sessions", []):
        if photo.get("image") in renamed:
            photo["image"] = renamed[photo["image"]]
            changed = True
    return changed
