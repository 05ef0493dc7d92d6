"""Renditions: smaller copies of an uploaded photo for the public page, in WebP and JPEG.

django-imagekit makes them once, when their photo is saved (the Optimistic strategy in
settings): a page only writes their addresses, without looking at the files or the database.
A rendition is named after its photo, `photos/renditions/<photo's name>/<width>.<ext>`
(`photos/renditions/1c9e….jpg/800.webp`), so that `meetings.media` can tell which photo it
shows and serve it by the same rule; and a correction or a restored revision, which share
the photo's file, share its renditions too.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from imagekit.models import ImageSpecField
from imagekit.specs import ImageSpec
from pilkit.processors import ResizeToFit, Transpose

WIDTHS = (480, 800, 1200)
EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg"}
OPTIONS = {"WEBP": {"quality": 80}, "JPEG": {"quality": 82, "progressive": True}}
FOLDER = "photos/renditions/"
RENDITION_NAME = re.compile(
    rf"{FOLDER}(?P<photo>.+)/(?:{'|'.join(map(str, WIDTHS))})\.(?:{'|'.join(EXTENSIONS.values())})"
)
ORIGINAL_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}


class Rendition(ImageSpec):
    """The photo upright (as its camera says) and fitted to `width`, never enlarged.

    Converting to JPEG puts a transparent photo on white (imagekit's autoconvert)."""

    width = None

    @property
    def processors(self):
        return [Transpose(), ResizeToFit(width=self.width, upscale=False)]

    @property
    def cachefile_name(self):
        return rendition_name(self.source.name, self.width, self.format) if self.source else None


def rendition(width, format):
    """A PhotoSession field: the rendition of its image at that width and in that format."""
    spec = type(
        f"Rendition{width}{format.title()}",
        (Rendition,),
        {"width": width, "format": format, "options": OPTIONS[format]},
    )
    return ImageSpecField(spec=spec, source="image")


def rendition_name(photo_name, width, format):
    return f"{FOLDER}{photo_name.removeprefix('photos/')}/{width}.{EXTENSIONS[format]}"


def rendition_names(photo_name):
    return [rendition_name(photo_name, width, format) for width in WIDTHS for format in EXTENSIONS]


def address(name):
    """The address of a stored photo or rendition: meetings.media's, which decides who may
    have it. Never the storage's own (`file.url`): a bucket's would bypass that decision."""
    return reverse("photo", kwargs={"path": name.removeprefix("photos/")})


def photo_name_of(name):
    """The name of the photo the file `name` is a rendition of; None if it is not one."""
    match = RENDITION_NAME.fullmatch(name)
    return f"photos/{match['photo']}" if match else None


def fitted(width, photo_width, photo_height):
    """The size of the rendition `width` wide: pilkit's ResizeToFit arithmetic, in advance
    (with upscale=False it leaves the photo as it is unless both sides shrink)."""
    height = round(photo_height * (width / photo_width))
    if width < photo_width and height < photo_height:
        return width, height
    return photo_width, photo_height


@dataclass
class Size:
    width: int
    height: int
    jpeg: str
    webp: str


@dataclass
class Picture:
    """What the page's <picture> says of one photo: its renditions that differ in size,
    narrowest first; the one browsers without srcset show (800 wide, or the photo's own
    width if narrower), with its size; and the original, with its format."""

    sizes: list
    src: str
    width: int
    height: int
    original: str
    original_format: str

    @property
    def webp_srcset(self):
        return ", ".join(f"{size.webp} {size.width}w" for size in self.sizes)

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{size.jpeg} {size.width}w" for size in self.sizes)


def picture_of(photo, query=""):
    """The photo's Picture; `query` ends every address (a shared preview's `?preview=…`).

    A photo narrower than a width is not enlarged: a 600-pixel-wide photo has its 480, and
    its own 600 (its 800 and 1200 renditions are both that one size, listed once)."""
    sizes = {}
    for width in WIDTHS:
        actual_width, height = fitted(width, photo.width, photo.height)
        sizes.setdefault(
            actual_width,
            Size(
                actual_width,
                height,
                jpeg=address(rendition_name(photo.image.name, width, "JPEG")) + query,
                webp=address(rendition_name(photo.image.name, width, "WEBP")) + query,
            ),
        )
    width, height = fitted(800, photo.width, photo.height)
    return Picture(
        sizes=list(sizes.values()),
        src=address(rendition_name(photo.image.name, 800, "JPEG")) + query,
        width=width,
        height=height,
        original=address(photo.image.name) + query,
        original_format=original_format(photo.image.name),
    )


def original_format(name):
    """How the photo's file is known to readers, from its name: JPEG, PNG, GIF, WebP."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ORIGINAL_FORMATS.get(extension, "image")


def rendition_files(photo):
    """imagekit's files of the photo's renditions (naming them does not make them)."""
    return [
        getattr(photo, f"{format.lower()}_{width}") for width in WIDTHS for format in EXTENSIONS
    ]


def make_renditions(photos, *, force=False):
    """Make the missing renditions of these photos (all of them again, with `force`).

    For the ways a photo session gets its image without being saved with it (bulk copies
    in corrections and restored revisions, renames) and for photos uploaded before
    renditions existed. Returns how many were made, and the photos that could not be read."""
    made, unreadable, seen = 0, [], set()
    for photo in photos:
        if not photo.image or photo.image.name in seen:
            continue
        seen.add(photo.image.name)
        try:
            made += _make_renditions_of(photo, force)
        except OSError:  # no file, or not an image
            unreadable.append(photo.image.name)
    return made, unreadable


def _make_renditions_of(photo, force):
    made = 0
    for file in rendition_files(photo):
        exists = file.storage.exists(file.name)
        if exists and not force:
            continue
        if exists:
            file.storage.delete(file.name)  # else the storage would save it under another name
        file.generate(force=True)
        made += 1
    return made
