from django.core.management.base import BaseCommand

from meetings.models import PhotoSession, renditions


class Command(BaseCommand):
    help = (
        "Make the renditions the public pages show of every uploaded photo (WebP and JPEG, "
        f"{', '.join(map(str, renditions.WIDTHS))} pixels wide) where they are missing: for "
        "photos uploaded before renditions existed, or media restored without them. "
        "Photos saved since are given theirs when they are saved. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make every rendition again, also those that exist (after their sizes or "
            "quality changed).",
        )

    def handle(self, *, force, **options):
        photos = PhotoSession.objects.with_image().order_by("pk")
        made, unreadable = renditions.make_renditions(photos.iterator(), force=force)
        for name in unreadable:
            self.stderr.write(f"{name}: missing or not an image, no renditions made")
        self.stdout.write(f"Made {made} renditions.")
