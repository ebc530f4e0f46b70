"""Deputies' photos: from a .zip that also holds the roster, or from a folder (--photos DIR)."""

import io
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .files import ROSTER_SUFFIXES, check_upload, check_zip_size
from .report import ImportFileError


def _photo_key(name: str) -> str:
    return unicodedata.normalize("NFC", name.replace("\\", "/")).strip().lstrip("./").lower()


def _too_large(size: int) -> ValidationError:
    # Same message as liaison.core.images, but with the real size (we refuse to read it all).
    return ValidationError(
        _("The photo is too large (%(size)s); the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)}
    )


class ZipPhotos:
    """Photos packed in the same .zip as the roster, looked up by path or by unique file name."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]):
        self.archive = archive
        self.by_path = members
        names = Counter(PurePosixPath(key).name for key in members)
        self.by_name = {
            PurePosixPath(key).name: info
            for key, info in members.items()
            if names[PurePosixPath(key).name] == 1
        }

    def read(self, name: str) -> bytes | None:
        key = _photo_key(name)
        info = self.by_path.get(key) or self.by_name.get(PurePosixPath(key).name)
        if info is None:
            return None
        if info.file_size > settings.PHOTO_MAX_BYTES:
            raise _too_large(info.file_size)
        with self.archive.open(info) as f:
            data = f.read(settings.PHOTO_MAX_BYTES + 1)
        if len(data) > settings.PHOTO_MAX_BYTES:  # the header lied about the size
            raise _too_large(len(data))
        return data


class FolderPhotos:
    """Photos in a folder given on the command line (--photos DIR)."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def read(self, name: str) -> bytes | None:
        path = (self.folder / name.replace("\\", "/").strip()).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        size = path.stat().st_size
        if size > settings.PHOTO_MAX_BYTES:
            raise _too_large(size)
        return path.read_bytes()


def _member_name(info: zipfile.ZipInfo) -> str:
    """Windows zips store Chinese names in GBK without saying so; zipfile reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def open_bundle(data: bytes) -> tuple[str, bytes, ZipPhotos]:
    """A .zip with one roster and the photos it names: (roster format, roster bytes, photos)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_zip_size(archive)
        members: dict[str, zipfile.ZipInfo] = {}
        rosters = []
        for info in archive.infolist():
            name = _member_name(info).replace("\\", "/")
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                raise ImportFileError(
                    _("The archive contains an unsafe path: “%(name)s”.") % {"name": name}
                )
            leaf = PurePosixPath(name).name
            if info.is_dir() or parts[0] == "__MACOSX" or leaf.startswith(("._", "~$")):
                continue
            if PurePosixPath(leaf).suffix.lower() in ROSTER_SUFFIXES:
                rosters.append(info)
            else:
                members[_photo_key(name)] = info
        if len(rosters) != 1:
            raise ImportFileError(
                _("The archive must hold exactly one .xlsx or .csv roster (it holds %(count)s).")
                % {"count": len(rosters)}
            )
        roster = rosters[0]
        if roster.file_size > settings.IMPORT_MAX_BYTES:
            raise ImportFileError(_("The roster in the archive is too large."))
        roster_bytes = archive.read(roster)
        return (
            check_upload(roster_bytes, roster.filename),
            roster_bytes,
            ZipPhotos(archive, members),
        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        # RuntimeError: encrypted members; NotImplementedError: exotic compression.
        raise ImportFileError(_("The .zip archive is damaged or encrypted.")) from None
