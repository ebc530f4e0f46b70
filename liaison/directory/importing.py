"""Roster import (名册导入): regions, stations, deputies and departments from .xlsx / .csv.

Districts keep their rosters in spreadsheets, so that is what we read: Chinese or English headers,
Chinese choice labels (县(区), 联络站, 全国…), CSV in UTF-8 or GBK, optionally zipped together with
the deputies' photos. One engine serves the admin page and `liaison import_directory`:

    read the file → map the header → validate every row (no writes) → apply all rows in one
    transaction, or nothing at all.

Rows are keyed by code: a code already in the directory updates that row, so re-importing a
corrected roster works. Import never deletes or deactivates rows missing from the file.
"""

import codecs
import csv
import hashlib
import io
import re
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core import audit
from liaison.core.images import reencode_image
from liaison.core.models import AuditEvent

from .models import (
    Department,
    DepartmentLevel,
    Deputy,
    DeputyLevel,
    Region,
    RegionLevel,
    Station,
    StationKind,
)

MAX_ROWS = 50_000
BATCH = 500
MAX_ZIP_MEMBERS = 20_000
ROSTER_SUFFIXES = {".xlsx", ".csv"}
UPLOAD_SUFFIXES = ROSTER_SUFFIXES | {".zip"}
# Chinese names spreadsheets use in one cell to list several station codes (所在联络站).
LIST_SEPARATORS = re.compile(r"[、;,；，\s]+")


def max_unzipped_bytes() -> int:
    """How much a zip (an .xlsx is one too) may expand to before we refuse to open it."""
    return 4 * settings.IMPORT_MAX_BYTES


# --- the columns of each kind -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # model field, or region_code / parent_code / stations for references
    header: str  # the Chinese header of the template, as districts write it
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # lazily translated hint for the template's notes sheet


@dataclass(frozen=True)
class Kind:
    name: str  # the model name, as in ?kind=deputy
    model: type[models.Model]
    columns: tuple[Column, ...]

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name_plural


# Choice labels as districts write them; the first of each is the canonical one we show.
REGION_LEVEL_LABELS = {
    RegionLevel.PROVINCE: ("省", "省级", "自治区", "直辖市"),
    RegionLevel.CITY: ("市", "市级", "地级市", "地区", "州"),
    RegionLevel.COUNTY: ("县(区)", "县", "区", "县区", "县级", "县级市", "旗"),
    RegionLevel.TOWNSHIP: ("乡镇(街道)", "乡镇", "乡", "镇", "街道", "乡级"),
    RegionLevel.COMMUNITY: ("村(社区)", "村", "社区", "村委会", "居委会"),
}
STATION_KIND_LABELS = {
    StationKind.STATION: ("联络站", "代表联络站", "人大代表联络站"),
    StationKind.ROOM: ("联络室", "代表联络室", "人大代表联络室"),
    StationKind.HOME: ("代表之家", "人大代表之家"),
    StationKind.BUILDING: ("楼宇联络站", "楼宇代表联络站"),
    StationKind.ONLINE: ("网上联络站", "网上代表联络站", "线上联络站"),
}
DEPUTY_LEVEL_LABELS = {
    DeputyLevel.NATIONAL: ("全国", "全国人大", "national"),
    DeputyLevel.PROVINCIAL: ("省", "省级", "省人大", "provincial"),
    DeputyLevel.CITY: ("市", "市级", "市人大"),
    DeputyLevel.COUNTY: ("县(区)", "县", "区", "县区", "县级", "县人大", "区人大"),
    DeputyLevel.TOWNSHIP: ("乡镇", "乡", "镇", "乡镇人大", "township"),
}
DEPARTMENT_LEVEL_LABELS = {
    DepartmentLevel.CITY: ("市", "市级"),
    DepartmentLevel.COUNTY: ("县(区)", "县", "区", "县区", "县级"),
    DepartmentLevel.TOWNSHIP: ("乡镇(街道)", "乡镇", "乡", "镇", "街道"),
    DepartmentLevel.COMMUNITY: ("村(社区)", "村", "社区"),
}
CHOICES = {
    ("region", "level"): REGION_LEVEL_LABELS,
    ("station", "kind"): STATION_KIND_LABELS,
    ("deputy", "level"): DEPUTY_LEVEL_LABELS,
    ("department", "level"): DEPARTMENT_LEVEL_LABELS,
}


def _choices_note(labels) -> str:
    return ", ".join(f"{names[0]} ({member.value})" for member, names in labels.items())


_REGION_CODE = Column(
    "region_code",
    "所属区划代码",
    ("region_code", "区划代码", "region"),
    required=True,
    note=gettext_lazy("Division code of a region already in the directory."),
)

KINDS = {
    "region": Kind(
        "region",
        Region,
        (
            Column(
                "code",
                "区划代码",
                ("code", "代码", "区划编码"),
                True,
                gettext_lazy("Statistical division code, digits only (e.g. 330106001000)."),
            ),
            Column("name", "名称", ("name", "区划名称"), True),
            Column("level", "级别", ("level", "层级"), True, _choices_note(REGION_LEVEL_LABELS)),
            Column(
                "parent_code",
                "上级代码",
                ("parent_code", "上级区划代码", "parent"),
                note=gettext_lazy("In the directory already or earlier in this file."),
            ),
        ),
    ),
    "station": Kind(
        "station",
        Station,
        (
            Column("code", "站点编号", ("code", "编号", "联络站编号"), True),
            Column("name", "名称", ("name", "站点名称", "联络站名称"), True),
            Column(
                "kind",
                "类型",
                ("kind", "type", "站点类型"),
                True,
                _choices_note(STATION_KIND_LABELS),
            ),
            _REGION_CODE,
            Column("address", "地址", ("address",)),
            Column("longitude", "经度", ("longitude", "lng", "lon"), note="-180 … 180"),
            Column("latitude", "纬度", ("latitude", "lat"), note="-90 … 90"),
            Column("opening_hours", "开放时间", ("opening_hours",)),
            Column("reception_days", "接待日", ("reception_days",)),
            Column("phone", "联系电话", ("phone", "电话")),
            Column("rules", "制度", ("rules", "工作制度")),
            Column("process", "工作流程", ("process", "流程")),
        ),
    ),
    "deputy": Kind(
        "deputy",
        Deputy,
        (
            Column("code", "代表编号", ("code", "编号"), True),
            Column("name", "姓名", ("name", "代表姓名"), True),
            Column(
                "level",
                "层级",
                ("level", "级别", "代表层级"),
                True,
                _choices_note(DEPUTY_LEVEL_LABELS),
            ),
            Column("term", "届次", ("term",), True),
            _REGION_CODE,
            Column("constituency", "选区", ("constituency",)),
            Column(
                "contact_blocks",
                "联系区块",
                ("contact_blocks", "联系网格"),
                note=gettext_lazy("Several blocks: one per line, or separated by ；"),
            ),
            # Only a column that says "public": a roster's 联系电话 may be a private number.
            Column("public_phone", "公开电话", ("public_phone", "公开联系电话")),
            Column("occupation", "职务", ("occupation", "工作单位及职务")),
            Column("bio", "简介", ("bio", "个人简介")),
            Column(
                "stations",
                "所在联络站",
                ("stations", "station_codes", "联络站编号"),
                note=gettext_lazy("Station codes separated by 、 or ; or ,"),
            ),
            Column(
                "photo",
                "照片",
                ("photo",),
                note=gettext_lazy("File name of the photo in the .zip (or the --photos folder)."),
            ),
        ),
    ),
    "department": Kind(
        "department",
        Department,
        (
            Column("code", "单位代码", ("code", "代码"), True),
            Column("name", "名称", ("name", "单位名称"), True),
            _REGION_CODE,
            Column(
                "level", "层级", ("level", "级别"), True, _choices_note(DEPARTMENT_LEVEL_LABELS)
            ),
            Column("phone", "联系电话", ("phone", "电话")),
        ),
    ),
}
# Model fields the reference columns fill; and the columns that are not a model field to set.
REFERENCE_FIELDS = {"region_code": "region", "parent_code": "parent"}
NOT_FIELDS = {"code", "parent_code", "stations", "photo"}


def _norm(text: str) -> str:
    """Compare headers and labels the way people see them: full-width = half-width, no spaces."""
    text = unicodedata.normalize("NFKC", text).strip().strip("*").lower()
    return re.sub(r"\s+", "", text)


@cache
def _choice_lookup(kind: str, key: str) -> dict[str, object]:
    lookup: dict[str, object] = {}
    for member, names in CHOICES[kind, key].items():
        with translation.override("en"):
            english = str(member.label)
        for name in (str(member.value), member.name, english, *names):
            lookup[_norm(name)] = member.value
    return lookup


@cache
def _header_lookup(kind: str) -> dict[str, Column]:
    return {_norm(alias): c for c in KINDS[kind].columns for alias in (c.header, *c.aliases)}


# --- results ----------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None  # as the spreadsheet shows it: the header is row 1
    column: str  # the header as written in the file ("" for the whole file)
    message: str


@dataclass
class Report:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def file_problem(self, message: str) -> None:
        self.problems.append(Problem(None, "", message))


class ImportFileError(Exception):
    """The upload as a whole cannot be read: wrong type, damaged, too large."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- reading files ----------------------------------------------------------------------------


@dataclass
class Table:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes and phone numbers typed into number cells
    return str(value).replace("\u3000", " ").strip()


def _table(kind: str, raw_rows) -> Table:
    """The header is the first row naming two known columns: a title row may come before it."""
    known = _header_lookup(kind)
    header_row, headers = 0, []
    skipped: list[tuple[int, list[str]]] = []
    rows: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(raw_rows, start=1):
        cells = [_cell(v) for v in raw]
        if not any(cells):
            continue
        if header_row:
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows; please split it.") % {"max": MAX_ROWS}
                )
        elif sum(_norm(c) in known for c in cells) >= 2:
            header_row, headers = number, cells
        else:
            skipped.append((number, cells))
            if len(skipped) >= 10:
                break
    if not header_row and skipped:
        header_row, headers = skipped[0]  # not a roster of this kind: report its columns
    return Table(header_row, headers, rows)


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), or GB18030 (which covers
    GBK, what Chinese Excel writes for "CSV")."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(
        _("The .csv file is not readable text. Save it from Excel as “CSV UTF-8” or as .xlsx.")
    )


def _read_csv(kind: str, data: bytes) -> Table:
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return _table(kind, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise ImportFileError(_("The .csv file cannot be read: %(error)s") % {"error": e}) from None


def _check_zip_size(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ImportFileError(
            _("The archive holds more than %(max)s files.") % {"max": MAX_ZIP_MEMBERS}
        )
    if sum(info.file_size for info in infos) > max_unzipped_bytes():
        raise ImportFileError(
            _("The archive would unpack to more than %(limit)s.")
            % {"limit": filesizeformat(max_unzipped_bytes())}
        )


def _read_xlsx(kind: str, data: bytes) -> Table:
    import openpyxl  # only needed here; keeps the admin import cheap

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_zip_size(archive)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportFileError(_("The .xlsx workbook is damaged and cannot be read.")) from None
    try:
        return _table(kind, workbook.worksheets[0].iter_rows(min_row=1, values_only=True))
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("The .xlsx workbook is damaged and cannot be read.")) from None
    finally:
        workbook.close()


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def check_upload(data: bytes, filename: str) -> str:
    """Check size, extension and content agree; return the format (xlsx, csv or zip)."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {
                "size": filesizeformat(len(data)),
                "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
            }
        )
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(_("Old .xls workbooks are not supported: save the file as .xlsx."))
    if suffix not in UPLOAD_SUFFIXES:
        raise ImportFileError(
            _("Please choose an .xlsx, .csv or .zip file (this one is “%(name)s”).")
            % {"name": filename}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if suffix == ".xlsx" and not _is_xlsx(data):
        raise ImportFileError(_("The file is not an .xlsx workbook, whatever its name says."))
    if suffix == ".zip" and (not zipfile.is_zipfile(io.BytesIO(data)) or _is_xlsx(data)):
        raise ImportFileError(_("The file is not a .zip archive, whatever its name says."))
    if suffix == ".csv":
        if zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError(_("The file is not a .csv text file, whatever its name says."))
        _decode_text(data)
    return suffix[1:]


# --- photos -----------------------------------------------------------------------------------


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


def _open_bundle(data: bytes) -> tuple[str, bytes, ZipPhotos]:
    """A .zip with one roster and the photos it names: (roster format, roster bytes, photos)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_zip_size(archive)
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


# --- validation -------------------------------------------------------------------------------


@dataclass
class Entry:
    """One valid row, ready to write."""

    row: int
    obj: models.Model
    is_new: bool
    changed: list[str]
    stations: list[Station] | None = None  # deputies: when the file has the column
    photo: Path | None = None  # deputies: re-encoded JPEG waiting in a temp folder
    parent_code: str = ""  # regions: linked once every row is read

    @property
    def level(self) -> int:
        return getattr(self.obj, "level", 0)


class Rows:
    """Cells by column key, and problems reported against the header the user wrote."""

    def __init__(self, kind: Kind, table: Table, report: Report):
        self.kind = kind
        self.table = table
        self.report = report
        self.index: dict[str, int] = {}
        self.failed: set[str] = set()  # keys with a problem in the current row

    def map_header(self) -> bool:
        lookup = _header_lookup(self.kind.name)
        unknown, duplicated = [], []
        for i, header in enumerate(self.table.headers):
            if not header:
                if any(i < len(cells) and cells[i] for _n, cells in self.table.rows):
                    unknown.append(_("(column %(number)s, no header)") % {"number": i + 1})
                continue
            column = lookup.get(_norm(header))
            if column is None:
                unknown.append(header)
            elif column.key in self.index:
                duplicated.append(header)
            else:
                self.index[column.key] = i
        missing = [c for c in self.kind.columns if c.required and c.key not in self.index]
        row = self.table.header_row or 1
        if unknown:
            self.report.problems.append(
                Problem(
                    row,
                    "",
                    _("Unknown columns: %(unknown)s. The columns of this roster are: %(known)s.")
                    % {
                        "unknown": "、".join(unknown),
                        "known": "、".join(c.header for c in self.kind.columns),
                    },
                )
            )
        if missing:
            self.report.problems.append(
                Problem(
                    row,
                    "",
                    _("Required columns are missing: %(missing)s.")
                    % {"missing": "、".join(f"{c.header} ({c.key})" for c in missing)},
                )
            )
        for header in duplicated:
            self.report.problems.append(
                Problem(row, header, _("This column appears more than once."))
            )
        return not (unknown or missing or duplicated)

    def has(self, key: str) -> bool:
        return key in self.index

    def get(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    def header(self, key: str) -> str:
        if key in self.index:
            return self.table.headers[self.index[key]]
        return next((c.header for c in self.kind.columns if c.key == key), "")

    def error(self, row: int, key: str, message: str) -> None:
        self.failed.add(key)
        self.report.problems.append(Problem(row, self.header(key), str(message)))


def _chunks(values, size=500):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _by_code(queryset, codes) -> dict[str, models.Model]:
    found = {}
    for chunk in _chunks(set(codes)):
        found.update({obj.code: obj for obj in queryset.filter(code__in=chunk)})
    return found


def _parse_choice(rows: Rows, number: int, key: str, value: str):
    if not value:
        rows.error(number, key, _("This field is required."))
        return None
    choice = _choice_lookup(rows.kind.name, key).get(_norm(value))
    if choice is None:
        rows.error(
            number,
            key,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": _choices_note(CHOICES[rows.kind.name, key])},
        )
    return choice


def _parse_coordinate(rows: Rows, number: int, key: str, value: str, limit: int):
    if not value:
        return None
    try:
        number_value = Decimal(value.rstrip("°"))
        if not number_value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        rows.error(number, key, _("“%(value)s” is not a number.") % {"value": value})
        return None
    if not -limit <= number_value <= limit:
        rows.error(
            number,
            key,
            _("%(value)s is out of range: it must be between -%(limit)s and %(limit)s.")
            % {"value": value, "limit": limit},
        )
        return None
    return number_value.quantize(Decimal("0.000001"))


def _check_code(rows: Rows, number: int, code: str) -> bool:
    if not code:
        rows.error(number, "code", _("The code is missing."))
        return False
    if rows.kind.name == "region" and not (code.isascii() and code.isdigit()):
        rows.error(number, "code", _("A division code has digits only (e.g. 330106001000)."))
        return False
    if LIST_SEPARATORS.search(code) or "/" in code:
        rows.error(
            number, "code", _("A code cannot contain spaces, slashes, commas or semicolons.")
        )
        return False
    return True


class Validator:
    """Validates every row of one table, querying the database in bulk, never per row."""

    def __init__(self, rows: Rows, photos, photo_dir: Path | None):
        self.rows = rows
        self.kind = rows.kind
        self.photos = photos
        self.photo_dir = photo_dir  # None on a dry run: photos are checked, not kept
        self.entries: list[Entry] = []

    def run(self) -> list[Entry]:
        data = self.rows.table.rows
        self.rows_of: dict[str, list[int]] = {}
        for number, cells in data:
            self.rows_of.setdefault(self.rows.get(cells, "code"), []).append(number)
        self.file_codes = set(self.rows_of)
        self._prefetch(data)
        for number, cells in data:
            self._row(number, cells, self.rows.get(cells, "code"))
        if self.kind.name == "region":
            self._link_regions()
        return self.entries

    def _prefetch(self, data) -> None:
        get = self.rows.get
        codes = [get(cells, "code") for _n, cells in data]
        self.existing = _by_code(self.kind.model.objects.all(), codes)
        referenced = [get(cells, "region_code") for _n, cells in data]
        referenced += [get(cells, "parent_code") for _n, cells in data]
        self.regions = _by_code(Region.objects.all(), filter(None, referenced))
        self.stations: dict[str, models.Model] = {}
        self.links: dict[int, set[int]] = {}
        if self.kind.name == "deputy" and self.rows.has("stations"):
            wanted = [
                code for _n, cells in data for code in LIST_SEPARATORS.split(get(cells, "stations"))
            ]
            self.stations = _by_code(Station.objects.all(), filter(None, wanted))
            through = Deputy.stations.through.objects
            for chunk in _chunks(obj.pk for obj in self.existing.values()):
                for deputy_id, station_id in through.filter(deputy_id__in=chunk).values_list(
                    "deputy_id", "station_id"
                ):
                    self.links.setdefault(deputy_id, set()).add(station_id)

    def _row(self, number: int, cells: list[str], code: str) -> None:
        rows, kind = self.rows, self.kind
        rows.failed = set()
        # A bad or repeated code is reported, and the rest of the row is still checked, so
        # that one dry run shows every problem.
        if _check_code(rows, number, code) and len(self.rows_of[code]) > 1:
            rows.error(
                number,
                "code",
                _("The code “%(code)s” appears more than once in the file (rows %(rows)s).")
                % {"code": code, "rows": ", ".join(map(str, self.rows_of[code]))},
            )
        if "code" in rows.failed:
            code = ""  # never update a row of the directory from a row that is in error
        existing = self.existing.get(code) if code else None
        obj = existing or kind.model(code=code)
        keys = [c.key for c in kind.columns if rows.has(c.key)]
        # Model fields this file sets (the parent is linked once every row is read).
        fields = [REFERENCE_FIELDS.get(k, k) for k in keys if k not in NOT_FIELDS]
        attnames = [kind.model._meta.get_field(f).attname for f in fields]
        before = [getattr(obj, a) for a in attnames]

        for key in keys:
            value = rows.get(cells, key)
            if (kind.name, key) in CHOICES:
                setattr(obj, key, _parse_choice(rows, number, key, value))
            elif key == "region_code":
                obj.region = self._region(number, key, value)
            elif key in ("latitude", "longitude"):
                limit = 90 if key == "latitude" else 180
                setattr(obj, key, _parse_coordinate(rows, number, key, value, limit))
            elif key == "contact_blocks":
                blocks = (b.strip() for b in re.split(r"[\n;；]+", value))
                obj.contact_blocks = "\n".join(b for b in blocks if b)
            elif key not in NOT_FIELDS:
                setattr(obj, key, value)
        if kind.name == "station":
            self._check_coordinates(number, obj)
        self._full_clean(number, obj)
        changed = [
            f for f, a, old in zip(fields, attnames, before, strict=True) if old != getattr(obj, a)
        ]
        entry = Entry(
            number, obj, existing is None, changed, parent_code=rows.get(cells, "parent_code")
        )
        if kind.name == "deputy":
            self._deputy_extras(number, cells, entry)
        if not rows.failed:
            self.entries.append(entry)

    def _region(self, number: int, key: str, code: str):
        if not code:
            self.rows.error(number, key, _("This field is required."))
            return None
        region = self.regions.get(code)
        if region is None:
            self.rows.error(
                number,
                key,
                _("Unknown region code “%(code)s”: import the regions first.") % {"code": code},
            )
        return region

    def _check_coordinates(self, number: int, station: Station) -> None:
        if self.rows.failed & {"latitude", "longitude"}:
            return
        if (station.latitude is None) != (station.longitude is None):
            missing = "latitude" if station.latitude is None else "longitude"
            self.rows.error(number, missing, _("Give both latitude and longitude, or neither."))

    def _full_clean(self, number: int, obj: models.Model) -> None:
        # References and uniqueness are checked in bulk; full_clean would query once per row.
        columns = {REFERENCE_FIELDS.get(c.key, c.key): c.key for c in self.kind.columns}
        exclude = ["region", "parent", "path", "photo", "public_code"]
        exclude += [f for f, key in columns.items() if key in self.rows.failed]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            for field_name, messages in e.message_dict.items():
                for message in messages:
                    self.rows.error(number, columns.get(field_name, field_name), message)

    def _deputy_extras(self, number: int, cells: list[str], entry: Entry) -> None:
        rows = self.rows
        if rows.has("stations"):
            codes = [c for c in LIST_SEPARATORS.split(rows.get(cells, "stations")) if c]
            unknown = [c for c in dict.fromkeys(codes) if c not in self.stations]
            if unknown:
                rows.error(
                    number,
                    "stations",
                    _("Unknown station codes: %(codes)s. Import the stations first.")
                    % {"codes": "、".join(unknown)},
                )
            entry.stations = [self.stations[c] for c in dict.fromkeys(codes) if c in self.stations]
            current = self.links.get(entry.obj.pk, set()) if entry.obj.pk else set()
            if current != {s.pk for s in entry.stations}:
                entry.changed.append("stations")
        name = rows.get(cells, "photo")
        if not name:
            return  # an empty cell keeps the photo the deputy has
        try:
            data = self.photos.read(name) if self.photos else None
            if data is None:
                raise ValidationError(
                    _("The photo file “%(name)s” is not in the upload.") % {"name": name}
                    if self.photos
                    else _(
                        "The photo file “%(name)s” was not provided: import a .zip holding the "
                        "roster and the photos."
                    )
                    % {"name": name}
                )
            jpeg = reencode_image(data)
        except ValidationError as e:
            for message in e.messages:
                rows.error(number, "photo", message)
            return
        if _same_photo(entry.obj, jpeg):
            return
        entry.changed.append("photo")
        if self.photo_dir is not None:
            entry.photo = self.photo_dir / f"{number}.jpg"
            entry.photo.write_bytes(jpeg)

    def _link_regions(self) -> None:
        """Parents may be in the directory or anywhere in this file."""
        in_file = {entry.obj.code: entry.obj for entry in self.entries}
        linked = []
        for entry in self.entries:
            region, code = entry.obj, entry.parent_code
            parent = (in_file.get(code) or self.regions.get(code)) if code else None
            problem = None
            if code and parent is None:
                if code in self.file_codes:
                    continue  # the parent's own row has a problem, reported there
                problem = _(
                    "Unknown parent region code “%(code)s”: it is neither in the directory nor "
                    "in this file."
                ) % {"code": code}
            elif parent is not None and parent.level >= region.level:
                problem = _("The parent region must be at a higher level than this region.")
            elif (
                not entry.is_new
                and self.rows.has("parent_code")
                and (parent.pk if parent else None) != region.parent_id
            ):
                problem = _("The parent of a region cannot be changed once it is created.")
            if problem:
                self.rows.error(entry.row, "parent_code", problem)
                continue
            if entry.is_new:
                region.parent = parent
            linked.append(entry)
        self.entries = linked


def _same_photo(deputy: Deputy, jpeg: bytes) -> bool:
    """Re-encoding is deterministic, so an unchanged photo re-imports as unchanged."""
    if not deputy.pk or not deputy.photo:
        return False
    try:
        with deputy.photo.open("rb") as f:
            return hashlib.sha256(f.read()).digest() == hashlib.sha256(jpeg).digest()
    except OSError:
        return False


# --- applying ---------------------------------------------------------------------------------
#
# Rows were validated above; here they are written in bulk (a few queries per 500 rows, not a few
# per row: save_entry's per-row full_clean made 3000 stations take 16 s on PostgreSQL). Each row
# still gets its own audit event, with the same verbs and data as directory.services writes.


def _write_rows(kind: Kind, entries: list[Entry], actor, filename: str) -> list[AuditEvent]:
    model, name = kind.model, kind.name
    new = [e for e in entries if e.is_new]
    if name == "region":
        # Parents first, level by level, so that each level's parents have their pk and path.
        for level in sorted({e.level for e in new}):
            batch = [e.obj for e in new if e.level == level]
            for region in batch:
                # The same path Region.save() derives (bulk_create does not call save()).
                parent = region.parent
                region.path = (parent.path if parent else "/") + f"{region.code}/"
            model.objects.bulk_create(batch, batch_size=BATCH)
    else:
        model.objects.bulk_create([e.obj for e in new], batch_size=BATCH)

    changed = [e for e in entries if not e.is_new and set(e.changed) - {"stations"}]
    if changed:
        now = timezone.now()
        fields = {f for e in changed for f in e.changed if f != "stations"}
        for entry in changed:
            entry.obj.updated_at = now  # bulk_update does not apply auto_now
        model.objects.bulk_update(
            [e.obj for e in changed], [*sorted(fields), "updated_at"], batch_size=BATCH
        )

    events = [
        audit.build(
            f"{name}.{'created' if e.is_new else 'updated'}",
            actor=actor,
            obj=e.obj,
            fields=sorted(f for f in e.changed if f != "stations"),
            imported_from=filename,
        )
        for e in entries
        if e.is_new or set(e.changed) - {"stations"}
    ]
    if name == "deputy":
        events += _write_stations([e for e in entries if "stations" in e.changed], actor)
    return events


def _write_stations(entries: list[Entry], actor) -> list[AuditEvent]:
    through = Deputy.stations.through
    before: dict[int, set[int]] = {}
    for chunk in _chunks(e.obj.pk for e in entries):
        for deputy_id, station_id in through.objects.filter(deputy_id__in=chunk).values_list(
            "deputy_id", "station_id"
        ):
            before.setdefault(deputy_id, set()).add(station_id)
        through.objects.filter(deputy_id__in=chunk).delete()
    through.objects.bulk_create(
        [through(deputy_id=e.obj.pk, station_id=s.pk) for e in entries for s in e.stations],
        batch_size=BATCH,
    )
    events = []
    for entry in entries:
        old, new = before.get(entry.obj.pk, set()), {s.pk for s in entry.stations}
        events.append(
            audit.build(
                "deputy.stations_changed",
                actor=actor,
                obj=entry.obj,
                added=sorted(new - old),
                removed=sorted(old - new),
            )
        )
    return events


def _apply(kind: Kind, entries: list[Entry], report: Report, actor) -> None:
    stored, written = [], False
    try:
        with transaction.atomic():
            for entry in entries:
                if entry.photo is not None:
                    obj = entry.obj
                    content = ContentFile(entry.photo.read_bytes())
                    obj.photo.save(f"{obj.public_code}.jpg", content, save=False)
                    stored.append(obj.photo.name)
            events = _write_rows(kind, entries, actor, report.filename)
            AuditEvent.objects.bulk_create(events, batch_size=BATCH)
            audit.record(
                "directory.imported",
                actor=actor,
                kind=kind.name,
                filename=report.filename,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
            )
        written = True
    except IntegrityError:
        # Someone changed the directory between our checks and our writes.
        report.file_problem(
            _("The directory changed while importing; nothing was imported. Please try again.")
        )
    finally:
        if not written:  # the rows are rolled back: so are the photo files
            for name in stored:
                Deputy._meta.get_field("photo").storage.delete(name)


# --- the entry point --------------------------------------------------------------------------


def import_roster(
    kind: str,
    data: bytes,
    *,
    filename: str,
    actor=None,
    dry_run: bool = True,
    photos_dir: Path | None = None,
) -> Report:
    """Validate a roster and, unless `dry_run`, import it — entirely or, on any problem, not at all.

    `data` is an .xlsx, .csv or .zip (roster plus photos); `photos_dir` is where the photos are
    for a plain roster on the command line.
    """
    spec = KINDS[kind]
    report = Report(kind, filename, dry_run)
    try:
        fmt = check_upload(data, filename)
        photos = FolderPhotos(photos_dir) if photos_dir else None
        if fmt == "zip":
            fmt, data, photos = _open_bundle(data)
        table = _read_xlsx(kind, data) if fmt == "xlsx" else _read_csv(kind, data)
    except ImportFileError as e:
        report.file_problem(e.message)
        return report
    if not table.headers:
        report.file_problem(_("The file has no header row."))
        return report
    rows = Rows(spec, table, report)
    if not rows.map_header():
        return report
    if not table.rows:
        report.file_problem(_("The file has a header but no rows to import."))
        return report
    report.rows = len(table.rows)
    with tempfile.TemporaryDirectory(prefix="liaison-import-") as temp:
        entries = Validator(rows, photos, None if dry_run else Path(temp)).run()
        if report.problems:
            return report
        report.created = sum(e.is_new for e in entries)
        report.updated = sum(not e.is_new and bool(e.changed) for e in entries)
        report.unchanged = len(entries) - report.created - report.updated
        if not dry_run:
            _apply(spec, entries, report, actor)
    return report


# --- blank templates --------------------------------------------------------------------------


def _sheet_title(text) -> str:
    return re.sub(r"[\\/?*\[\]:]", " ", str(text))[:31]  # Excel's rules for sheet names


def template_workbook(kind: str) -> bytes:
    """A blank roster for one kind: the header row, and a sheet explaining each column."""
    import openpyxl
    from openpyxl.styles import Font

    spec = KINDS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(spec.label)
    sheet.append([c.header for c in spec.columns])
    for cell, column in zip(sheet[1], spec.columns, strict=True):
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = max(12, 3 * len(column.header))
        if column.key in (
            "code",
            "region_code",
            "parent_code",
            "stations",
            "phone",
            "public_phone",
        ):
            # Text cells, so that Excel keeps leading zeros of codes and phone numbers.
            for row in range(2, 1001):
                sheet.cell(row=row, column=cell.column).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_sheet_title(_("Notes")))
    notes.append([_("Column"), _("Also accepted"), _("Required"), _("What to write")])
    for c in spec.columns:
        notes.append([c.header, ", ".join(c.aliases), _("yes") if c.required else "", str(c.note)])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (16, 36, 8, 60), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
