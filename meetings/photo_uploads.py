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


def clean_copy(data):
    """A stored photo's clean copy, as `cleaned` would store it (the bytes and their Format),
    or None when the photo carries nothing that copy would not: for photos stored before
    uploads were cleaned. Raises ValidationError for a file that cannot be read or has too
    many pixels to decode; markup needs no refusal here, as re-encoding leaves none."""
    image = opened(data)
    format = FORMATS[DECODED_AS.get(image.format, image.format)]
    refuse_too_many_pixels(*image.size)
    carried = set(image.info)
    has_exif = bool(image.getexif()) or getattr(image, "n_frames", 1) > 1
    content = reencoded(image, format)
    if not has_exif and carried <= set(opened(content).info):
        return None
    return content, format


def refuse_markup(data):
    if TEXT_START.match(data):
        raise ValidationError(
            "The file is text (an SVG drawing or a web page), not a photo. Upload a JPEG, "
            "PNG, GIF or WebP photo."
        )
    if match := next(filter(None, map(MARKUP.search, outside_pixels(data))), None):
        tag = "<" + match[1].decode("ascii").lower()
        raise ValidationError(
            f"The file carries web-page markup (“{tag}”) besides a picture, as a file made "
            "to pass for a photo does. Export the photo again from a photo program and "
            "upload that."
        )


def outside_pixels(data):
    """The parts of a file that are not compressed pixels: where a polyglot hides its page
    (a comment, a metadata block, bytes after the end). Compressed pixels are left out
    because, being random to the eye, a large photo's now and then spell a tag by chance.
    A file of another format is read whole."""
    if data.startswith(b"\xff\xd8"):
        return jpeg_outside_pixels(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return chunks_outside_pixels(data, 8, PNG_PIXEL_CHUNKS, length_first=True)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return [data[:12], *chunks_outside_pixels(data, 12, WEBP_PIXEL_CHUNKS, length_first=False)]
    return [data]


PNG_PIXEL_CHUNKS = {b"IDAT", b"fdAT"}
WEBP_PIXEL_CHUNKS = {b"VP8 ", b"VP8L", b"ALPH", b"ANMF"}


def chunks_outside_pixels(data, position, pixel_chunks, *, length_first):
    """PNG's chunks (length, type, data, CRC) or RIFF's (type, length, data, a pad byte to
    an even length), those holding pixels left out; and whatever follows the last."""
    parts = []
    while position + 8 <= len(data):
        if length_first:
            length, kind = (
                int.from_bytes(data[position : position + 4], "big"),
                data[position + 4 : position + 8],
            )
            end = position + 12 + length
        else:
            kind, length = (
                data[position : position + 4],
                int.from_bytes(data[position + 4 : position + 8], "little"),
            )
            end = position + 8 + length + length % 2
        parts.append(data[position : position + 8] if kind in pixel_chunks else data[position:end])
        position = end
    parts.append(data[position:])
    return parts


def jpeg_outside_pixels(data):
    """A JPEG's segments, walked marker by marker, without the entropy-coded data after
    each start of scan (in which 0xFF is always followed by 0x00 or a restart marker)."""
    parts, position = [], 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:  # not a marker: the walk lost its way; read the rest
            break
        marker = data[position + 1]
        if marker == 0xD9:  # end of image
            position += 2
            break
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill, restarts
            position += 1 if marker == 0xFF else 2
            continue
        end = position + 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        parts.append(data[position:end])
        position = end
        if marker == 0xDA:  # start of scan: skip its pixels to the next real marker
            while position + 1 < len(data) and not (
                data[position] == 0xFF and data[position + 1] not in JPEG_IN_SCAN
            ):
                position = data.find(b"\xff", position + 1)
                if position == -1:
                    return parts
    parts.append(data[position:])
    return parts


# After 0xFF inside a scan: a stuffed zero byte, a restart marker, or fill.
JPEG_IN_SCAN = {0x00, 0xFF, *range(0xD0, 0xD8)}


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
