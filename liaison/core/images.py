"""Uploaded images are checked by content (never by name), size-limited and re-encoded.

Re-encoding drops whatever else the file carried (EXIF location, XMP, IPTC, comments, the colour
profile once applied, scripts in a polyglot file) and bounds the stored size.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit


def reencode_image(data: bytes, *, max_side: int = 1200, max_bytes: int | None = None) -> bytes:
    """Return the image as a fresh JPEG, or raise ValidationError saying what is wrong."""
    max_bytes = max_bytes or settings.PHOTO_MAX_BYTES
    if len(data) > max_bytes:
        raise ValidationError(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)},
            code="photo_too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not an image we can read. Please upload a JPEG or PNG photo."),
            code="photo_not_image",
        ) from None
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Photos in %(format)s format are not accepted. Please upload a JPEG or PNG photo.")
            % {"format": image_format},
            code="photo_format",
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The photo has too many pixels (%(width)s × %(height)s).")
            % {"width": width, "height": height},
            code="photo_too_many_pixels",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = to_srgb(image)
            image.thumbnail((max_side, max_side))
            # Pillow carries some of what it read into the save (a JPEG comment, XMP): start
            # from an empty info so that only the pixels are written (EXIF, XMP, IPTC, COM, ICC).
            image.info = {}
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError):
        raise ValidationError(
            _("The photo is damaged and cannot be read."), code="photo_damaged"
        ) from None
    return out.getvalue()


def to_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB. An embedded colour profile (a phone's Display P3) is applied to the
    pixels rather than kept: the profile is dropped with the other metadata, and the colours
    stay right. A profile that cannot be read is ignored."""
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass
    return image.convert("RGB")


def reencoded_upload(uploaded, *, name_stem: str) -> ContentFile:
    """A form upload turned into a stored-ready JPEG file."""
    data = uploaded.read(settings.PHOTO_MAX_BYTES + 1)
    return ContentFile(reencode_image(data), name=f"{name_stem}.jpg")
