"""Uploaded photos, decoded and re-encoded by the server before anything is stored.

Only the pixels survive, with the colour profile that says what they mean: EXIF (the GPS
position, the camera, its owner), XMP, comments and any other block a file can carry are
left behind. The camera's orientation is applied first, so photos stay upright. JPEG stays
JPEG (with the quantization it came with, so no quality is lost or file size added), PNG
stays PNG, WebP stays WebP; a GIF keeps its first frame only: a readout's photo is a still,
its renditions show that frame anyway, and every further frame is more to decode.

Refused with a message saying what is wrong, before anything is stored: a file that is not
a JPEG, PNG, GIF or WebP picture (an SVG drawing, a web page), one that is a picture and a
web page at once (a polyglot, which a browser sniffing it could run), one whose name or
content type says another format than its bytes, and one with more pixels than
PORTAL_PHOTO_MAX_PIXELS. Decoding is what costs memory, a few bytes each pixel whatever
the file's size: a decompression bomb packs a billion pixels into a few kilobytes.
"""

import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, JpegImagePlugin

from .models import validate_photo


@dataclass(frozen=True)
class Format:
    pillow: str  # Pillow's name of the format
    name: str  # as editors know it
    extension: str  # of the stored file
    extensions: frozenset  # an upload's name may end in
    content_types: frozenset  # a browser may send it as


FORMATS = {
    "JPEG": Format("JPEG", "JPEG", "jpg", frozenset({"jpg", "jpeg"}), frozenset({"image/jpeg"})),
    "PNG": Format("PNG", "PNG", "png", frozenset({"png"}), frozenset({"image/png"})),
    "GIF": Format("GIF", "GIF", "gif", frozenset({"gif"}), frozenset({"image/gif"})),
    "WEBP": Format("WEBP", "WebP", "webp", frozenset({"webp"}), frozenset({"image/webp"})),
}
# Cameras write JPEGs holding a second, smaller picture, which Pillow calls MPO.
DECODED_AS = {"MPO": "JPEG"}
# Other names for the same types, from old browsers and some programs; and a browser that
# does not know a file's type sends it as octet-stream, which says nothing either way.
CONTENT_TYPE_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
}
UNSAID_CONTENT_TYPES = {"", "application/octet-stream"}

INVALID_IMAGE = (
    "Upload a valid image: the file is not a JPEG, PNG, GIF or WebP picture, or it is damaged."
)
# Tags that make a browser treat bytes as a page or a drawing. Long enough (with what must
# follow them) not to turn up by chance in a photo's compressed pixels, unlike a bare “<”.
MARKUP = re.compile(
    rb"<(script|html|svg|iframe|object|embed|body|!doctype|\?php)[\s/>]", re.IGNORECASE
)
TEXT_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")  # an optional UTF-8 byte-order mark


def cleaned(upload):
    """The uploaded photo as the server stores it, a new file named for its format (the
    storage gives it a random name: models.photo_upload_path). Raises ValidationError."""
    validate_photo(upload)  # its size and its name's extension, before reading it
    upload.seek(0)
    data = upload.read()
    refuse_markup(data)
    image = opened(data)
    format = FORMATS[DECODED_AS.get(image.format, image.format)]
    refuse_disagreement(format, upload)
    refuse_too_many_pixels(*image.size)
    content = reencoded(image, format)
    return SimpleUploadedFile(
        f"photo.{format.extension}", content, content_type=sorted(format.content_types)[0]
    )


def refuse_markup(data):
    if TEXT_START.match(data):
        raise ValidationError(
            "The file is text (an SVG drawing or a web page), not a photo. Upload a JPEG, "
            "PNG, GIF or WebP photo."
        )
    if match := MARKUP.search(data):
        tag = "<" + match[1].decode("ascii").lower()
        raise ValidationError(
            f"The file carries web-page markup (“{tag}”) besides a picture, as a file made "
            "to pass for a photo does. Export the photo again from a photo program and "
            "upload that."
        )


def opened(data):
    """The picture, its header read but its pixels not decoded yet."""
    try:
        with warnings.catch_warnings():
            # Pillow warns of a picture it thinks too large to decode (pixel_limit() refuses
            # it), and refuses one twice as large.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(BytesIO(data), formats=list(FORMATS))
    except Image.DecompressionBombError as error:
        raise ValidationError(
            f"The photo has more than {megapixels(2 * Image.MAX_IMAGE_PIXELS)} megapixels; "
            f"the largest allowed is {megapixels(pixel_limit())} megapixels. Save a smaller "
            "copy and upload that."
        ) from error
    except Exception as error:  # Pillow's readers raise many kinds on bad input
        raise ValidationError(INVALID_IMAGE, code="invalid_image") from error


def refuse_disagreement(format, upload):
    """A file is what its bytes are: its name and content type must say the same."""
    extension = upload.name.rsplit(".", 1)[-1].lower()
    if extension not in format.extensions:
        raise ValidationError(
            f"The file is a {format.name} image, but its name ends in “.{extension}”. "
            f"Rename it “.{format.extension}”."
        )
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    content_type = CONTENT_TYPE_ALIASES.get(content_type, content_type)
    if content_type not in UNSAID_CONTENT_TYPES | format.content_types:
        raise ValidationError(
            f"The file is a {format.name} image, but it was sent as “{content_type}”."
        )


def pixel_limit():
    """The setting, up to Pillow's own guard against decompression bombs (89 megapixels)."""
    return min(settings.PORTAL_PHOTO_MAX_PIXELS, Image.MAX_IMAGE_PIXELS)


def refuse_too_many_pixels(width, height):
    limit = pixel_limit()
    if width * height > limit:
        raise ValidationError(
            f"The photo is {width:,} × {height:,} pixels ({megapixels(width * height)} "
            f"megapixels); the largest allowed is {megapixels(limit)} megapixels. Save a "
            "smaller copy and upload that."
        )


def megapixels(pixels):
    return f"{pixels / 1_000_000:.4g}" if pixels < 1_000_000 else f"{pixels / 1_000_000:.0f}"


def reencoded(image, format):
    """The picture's pixels (its first frame), upright, in `format` with its colour
    profile and no other metadata."""
    try:
        image.load()
        icc_profile = image.info.get("icc_profile")
        options = encoding_options(image, format)
        ImageOps.exif_transpose(image, in_place=True)
        # Whatever stays in `info` some encoders write again (a JPEG's comment, a GIF's);
        # transparency is part of the pixels.
        image.info = {key: value for key, value in image.info.items() if key == "transparency"}
        if icc_profile and format.name != "GIF":  # GIF has no colour profile
            options["icc_profile"] = icc_profile
        file = BytesIO()
        image.save(file, format.pillow, **options)
    except Exception as error:  # a truncated or damaged file fails while decoding
        raise ValidationError(INVALID_IMAGE, code="invalid_image") from error
    return file.getvalue()


def encoding_options(image, format):
    if format.name == "JPEG":
        sampling = JpegImagePlugin.get_sampling(image)
        # Its own tables: re-encoded at the quality it was saved with, neither worse nor larger.
        options = {"qtables": image.quantization} if image.quantization else {"quality": 90}
        return options | ({"subsampling": sampling} if sampling != -1 else {})
    if format.name == "WebP":
        return {"quality": 90}
    return {}
