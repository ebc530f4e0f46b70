"""Reading a roster file: size and type checks, .csv in any of the encodings Excel writes,
.xlsx (read-only, with a guard against zip bombs), and the header row found among title rows."""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .columns import header_lookup, norm
from .report import ImportFileError

MAX_ROWS = 50_000
MAX_ZIP_MEMBERS = 20_000
ROSTER_SUFFIXES = {".xlsx", ".csv"}
UPLOAD_SUFFIXES = ROSTER_SUFFIXES | {".zip"}


def max_unzipped_bytes() -> int:
    """How much a zip (an .xlsx is one too) may expand to before we refuse to open it."""
    return 4 * settings.IMPORT_MAX_BYTES


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
    known = header_lookup(kind)
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
        elif sum(norm(c) in known for c in cells) >= 2:
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


def read_csv(kind: str, data: bytes) -> Table:
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return _table(kind, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise ImportFileError(_("The .csv file cannot be read: %(error)s") % {"error": e}) from None


def check_zip_size(archive: zipfile.ZipFile) -> None:
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


def read_xlsx(kind: str, data: bytes) -> Table:
    import openpyxl  # only needed here; keeps the admin import cheap

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_zip_size(archive)
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
