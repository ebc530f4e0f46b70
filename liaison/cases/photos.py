"""The citizen's photos and the departments' result attachments as staff see them.

Who may see the photos is the permission table's "case.see_photos" row: whoever sees the case,
a department only with the citizen's consent to share their personal data. Every view of an
original is written to the audit log (like the full phone number); thumbnails are not, because
the case page shows them to everyone who may see the photos each time it is opened.

Thumbnails are small JPEGs made on demand with Pillow and kept under MEDIA_ROOT
(`cases/thumbs/`), which no public URL serves. Why not let the browser scale the originals: a
case page with 9 photos of up to 1200 px would load megabytes over a phone's data plan; a
thumbnail is a few kilobytes and is made once.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from liaison.core import audit
from liaison.core.permissions import may

from .models import Case, CasePhoto, ResultAttachment

THUMBNAIL_SIDE = 240  # px; shown at 120 CSS px, sharp on a phone's 2× screen
THUMBNAIL_FOLDER = "cases/thumbs"


def may_see_photos(user, case: Case) -> bool:
    return may(user, "case.see_photos", case)


def case_photos(case: Case) -> list[CasePhoto]:
    return list(case.photos.order_by("id"))


def case_attachments(case: Case) -> list[ResultAttachment]:
    return list(case.result_attachments.select_related("assignment__department").order_by("id"))


def thumbnail_name(photo: CasePhoto) -> str:
    # The original's random name: as unguessable, and one thumbnail per photo.
    return f"{THUMBNAIL_FOLDER}/{posixpath.basename(photo.image.name)}"


def _scaled(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()


def thumbnail(photo: CasePhoto) -> bytes | None:
    """The photo's thumbnail as JPEG bytes, made and stored on first use; None when the
    original is missing or unreadable (the page then shows no picture, never an error)."""
    storage = photo.image.storage
    name = thumbnail_name(photo)
    try:
        if storage.exists(name):
            with storage.open(name, "rb") as cached:
                return cached.read()
        with photo.image.open("rb") as original:
            data = _scaled(original.read())
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # made at the same moment by another request: keep one copy
        storage.delete(saved)
    return data


def open_original(photo: CasePhoto, user, *, surface: str):
    """The full-size photo, opened for `user` (who may see it: the caller checked), and the view
    written to the audit log. Raises OSError when the file is gone (the caller answers 404)."""
    handle = photo.image.open("rb")
    audit.record("case.photo_viewed", actor=user, obj=photo.case, photo=photo.pk, surface=surface)
    return handle


def delete_photos(case: Case) -> int:
    """Delete the citizen's photos of `case` (erasure, retention): the rows now, the files
    (original and thumbnail) once the transaction commits, so a rollback keeps them. Returns
    how many there were."""
    found = list(case.photos.all())
    names = [name for p in found for name in (p.image.name, thumbnail_name(p)) if name]
    storage = CasePhoto._meta.get_field("image").storage
    CasePhoto.objects.filter(pk__in=[p.pk for p in found]).delete()

    def remove_files():
        for name in names:
            storage.delete(name)  # a missing file is no error

    transaction.on_commit(remove_files)
    return len(found)
