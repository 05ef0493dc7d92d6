from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from meetings import photo_uploads
from meetings.models import PhotoSession, photo_upload_path

from .rename_photos import photo_names, replace_photo_files


class Command(BaseCommand):
    help = (
        "Re-encode the photos stored before uploads were cleaned, so that only their pixels "
        "and colour profile stay: EXIF (GPS position, camera, owner), XMP and comments go, "
        "and an animated GIF keeps its first frame. Each cleaned photo gets a new random "
        "name in photo sessions and revisions alike, and new renditions; the old file is "
        "deleted. Photos already clean are left as they are, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the photos to clean; change nothing."
        )

    def handle(self, *, dry_run, **options):
        storage = PhotoSession._meta.get_field("image").storage
        cleaned = {}
        for name in sorted(photo_names()):
            if not storage.exists(name):
                self.stderr.write(f"missing, left as it is: {name}")
                continue
            with storage.open(name, "rb") as file:
                data = file.read()
            try:
                copy = photo_uploads.clean_copy(data)
            except ValidationError as error:
                self.stderr.write(f"{name}: {' '.join(error.messages)} Left as it is.")
                continue
            if copy is None:
                continue
            if dry_run:
                self.stdout.write(f"would clean {name}")
                continue
            content, format = copy
            new_name = photo_upload_path(None, f"photo.{format.extension}")
            cleaned[name] = storage.save(new_name, ContentFile(content))
        replace_photo_files(cleaned, storage, self.stdout)
        self.stdout.write(f"Cleaned {len(cleaned)} photos.")
