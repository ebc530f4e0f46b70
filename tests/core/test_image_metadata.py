"""The photo re-encode keeps the pixels and nothing else: no EXIF, XMP, IPTC, comment or colour
profile segment survives (liaison/core/images.py)."""

import io
import struct

from PIL import Image, ImageCms

from liaison.core.images import reencode_image

SECRET = b"SECRET-30.2590N-120.1300E"


def segments(data: bytes) -> list[tuple[int, bytes]]:
    """The JPEG's marker segments before the image data: (marker, payload)."""
    assert data[:2] == b"\xff\xd8"
    found, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        found.append((marker, data[i + 4 : i + 2 + length]))
        i += 2 + length
    return found


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_everything() -> bytes:
    image = Image.new("RGB", (80, 60), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()  # Make
    exif[0x8825] = {2: (30.0, 15.0, 32.0)}  # GPSInfo
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=SECRET, icc_profile=icc)
    data = out.getvalue()
    xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + SECRET + b"</x:xmpmeta>")
    iptc = segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10" + SECRET)
    return data[:2] + xmp + iptc + data[2:]


def test_the_generated_file_carries_every_kind_of_metadata():
    # The test is only worth something if the input really has each segment.
    markers = {m for m, _ in segments(jpeg_with_everything())}
    assert {0xE1, 0xE2, 0xED, 0xFE} <= markers
    payloads = [p for _, p in segments(jpeg_with_everything())]
    assert any(p.startswith(b"Exif") for p in payloads)
    assert any(p.startswith(b"http://ns.adobe.com/xap") for p in payloads)


def test_the_reencoded_photo_has_no_metadata_segment():
    out = reencode_image(jpeg_with_everything())
    markers = {m for m, _ in segments(out)}
    # APP0 (JFIF) and the coding tables only: no APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC), COM.
    assert not markers & ({0xFE} | set(range(0xE1, 0xF0)))
    assert SECRET not in out
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (80, 60)
        assert not {"exif", "comment", "icc_profile", "xmp", "photoshop"} & set(image.info)
        red, green, _blue = image.getpixel((40, 30))
        assert red > 180 and green < 60  # the pixels survive


def test_an_unreadable_colour_profile_is_dropped_not_an_error():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "JPEG", icc_profile=b"not a profile" + SECRET)
    result = reencode_image(out.getvalue())
    assert SECRET not in result and 0xE2 not in {m for m, _ in segments(result)}
