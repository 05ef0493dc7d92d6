"""What a meeting's page shows besides the meeting: participants, photos, the overview.

The rows name their meeting as "Meeting" so that `meetings.py` can import them."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from taggit.managers import TaggableManager

from .renditions import rendition


class OrderedRowQuerySet(models.QuerySet):
    """Child rows of a meeting, ordered by a position that is unique per meeting."""

    def make_room(self):
        """Move these rows past every position in use, so they can be renumbered freely."""
        return self.update(position=F("position") + 1_000_000)


class AgendaItemQuerySet(OrderedRowQuerySet):
    def anchors(self, meeting_ids):
        """{item pk: its anchor} for every agenda item of these meetings, in one query."""
        rows = (
            self.filter(meeting_id__in=meeting_ids)
            .order_by("meeting_id", "position", "pk")
            .values_list("meeting_id", "pk", "is_sub_item")
        )
        anchors, meeting_items = {}, {}
        for meeting_id, pk, is_sub_item in rows:
            meeting_items.setdefault(meeting_id, []).append((pk, is_sub_item))
        for items in meeting_items.values():
            anchors.update(numbered_anchors(items))
        return anchors


def group_sub_items(items, is_sub_item):
    """[(item, [sub_item, …]), …] in order: each sub-item under the nearest item above it.
    A sub-item with no item above it stands as an item, as the page shows it."""
    groups = []
    for item in items:
        if is_sub_item(item) and groups:
            groups[-1][1].append(item)
        else:
            groups.append((item, []))
    return groups


def numbered_anchors(items):
    """[(key, is_sub_item), …] in order → {key: "item-2", …, sub-items "item-2-1"}.

    Anchors come from the numbers the page shows, not from database ids, so a link to
    item 2 (1) survives every correction that does not renumber the overview."""
    anchors = {}
    groups = group_sub_items(items, lambda entry: entry[1])
    for number, ((key, _), sub_items) in enumerate(groups, start=1):
        anchors[key] = f"item-{number}"
        for sub_number, (sub_key, _) in enumerate(sub_items, start=1):
            anchors[sub_key] = f"item-{number}-{sub_number}"
    return anchors


def anchor_label(anchor):
    """How the page numbers the item an anchor names: "item-2-1" → "2 (1)"."""
    number, _, sub_number = anchor.removeprefix("item-").partition("-")
    return f"{number} ({sub_number})" if sub_number else number


class Participant(models.Model):
    class Side(models.TextChoices):
        HOME = "home", "Our side"
        COUNTERPART = "counterpart", "Counterpart"

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(max_length=20, choices=Side, default=Side.HOME)
    name = models.CharField(
        max_length=200, help_text="As written, with honorific: “Mr. HAYASHI Yoshimasa”."
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="E.g. “Minister for Foreign Affairs of Japan”."
    )
    position = models.PositiveIntegerField(default=0)

    objects = OrderedRowQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="participant_position_unique_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


def validate_photo(image):
    if image.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            f"The photo is {image.size / 1_048_576:.1f} MB; the largest allowed is "
            f"{settings.PHOTO_MAX_BYTES / 1_048_576:.0f} MB."
        )
    name = image.name.rsplit(".", 1)[-1].lower() if "." in image.name else ""
    if name not in {"jpg", "jpeg", "png", "gif", "webp"}:
        raise ValidationError("Upload a JPEG, PNG, GIF or WebP photo.")


def photo_upload_path(instance, filename):
    """An unguessable name, so a photo cannot be found before its meeting is public.

    Neither the uploaded file's name nor the date shows in it; only the extension is kept
    (lower-cased, and only a photo's), for the content type the file is served with."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = f".{extension}" if extension in {"jpg", "jpeg", "png", "gif", "webp"} else ""
    return f"photos/{uuid.uuid4().hex}{suffix}"


class PhotoSessionQuerySet(OrderedRowQuerySet):
    def with_image(self):
        return self.exclude(image="")

    def waiting_for_image(self):
        """Captions whose image has not come yet (imports bring captions alone): the public
        page leaves them out until it comes (`Meeting.photos_to_show`)."""
        return self.filter(image="")


CREDIT_PREFIX = re.compile(
    r"^\s*(?:(?:photo(?:graph)?(?:\s+credit)?|写真)\s*[:：]|photo(?:graph)?\s+by\s)\s*", re.I
)


def without_credit_prefix(credit):
    """“Photo: Cabinet Public Affairs Office” → “Cabinet Public Affairs Office”: the page
    says “Photo:” itself."""
    return CREDIT_PREFIX.sub("", credit or "", count=1) if credit else credit


class PhotoSession(models.Model):
    """A photo of the meeting with its caption; the image may come later than the caption."""

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="photo_sessions")
    image = models.ImageField(
        upload_to=photo_upload_path,
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_photo],
        help_text="JPEG, PNG, GIF or WebP. Until one is uploaded, the public page leaves the "
        "photo out.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(max_length=500)
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. Required with an image.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who took it, e.g. “Cabinet Public Affairs Office”; the page adds “Photo:”.",
    )
    position = models.PositiveIntegerField(default=0)

    # Smaller copies of the image for the public page, made when it is saved (renditions.py).
    jpeg_480 = rendition(480, "JPEG")
    jpeg_800 = rendition(800, "JPEG")
    jpeg_1200 = rendition(1200, "JPEG")
    webp_480 = rendition(480, "WEBP")
    webp_800 = rendition(800, "WEBP")
    webp_1200 = rendition(1200, "WEBP")

    objects = PhotoSessionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "photo session"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="photo_session_position_unique_per_meeting"
            )
        ]

    def __str__(self):
        return self.caption

    def clean(self):
        self.credit = without_credit_prefix(self.credit)
        self.credit_ja = without_credit_prefix(self.credit_ja)
        if self.image and not self.alt_text.strip():
            raise ValidationError(
                {"alt_text": "Describe what the photo shows, for readers who cannot see it."}
            )


class AgendaItem(models.Model):
    """One point of a meeting's overview.

    Items are kept flat and in order; a sub-item belongs to the nearest top-level item
    above it. Numbers are derived from that order, so they can never skip or repeat, and
    sub-items can only be one level deep.
    """

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    is_sub_item = models.BooleanField(
        default=False,
        verbose_name="sub-item",
        help_text="Numbered (1), (2), … under the item above it.",
    )
    text = models.TextField()
    tags = TaggableManager(blank=True, help_text="Topics of this item, separated by commas.")

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "agenda item"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique_per_meeting"
            )
        ]

    def __str__(self):
        return self.text[:80]
