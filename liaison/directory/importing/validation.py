"""Checking every row before anything is written: codes, choices, coordinates, references to
regions and stations, photos; the database is queried in bulk, never once per row."""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from liaison.core.images import reencode_image

from ..models import Deputy, GridCell, Region, Station
from ..services import EntryChange
from .columns import (
    CHOICES,
    LIST_SEPARATORS,
    NOT_FIELDS,
    REFERENCE_FIELDS,
    Kind,
    choice_lookup,
    choices_note,
    header_lookup,
    norm,
)
from .files import Table
from .report import Problem, Report


@dataclass(kw_only=True)
class Entry(EntryChange):
    """One valid row, ready to write: what the directory services write, and where it came from.

    `stations` is set when the file has the column, `photo` is a re-encoded JPEG waiting in a
    temporary folder (never on a dry run).
    """

    row: int  # as the spreadsheet shows it
    parent_code: str = ""  # regions: linked once every row is read


class Rows:
    """Cells by column key, and problems reported against the header the user wrote."""

    def __init__(self, kind: Kind, table: Table, report: Report):
        self.kind = kind
        self.table = table
        self.report = report
        self.index: dict[str, int] = {}
        self.failed: set[str] = set()  # keys with a problem in the current row

    def map_header(self) -> bool:
        lookup = header_lookup(self.kind.name)
        unknown, duplicated = [], []
        for i, header in enumerate(self.table.headers):
            if not header:
                if any(i < len(cells) and cells[i] for _n, cells in self.table.rows):
                    unknown.append(_("(column %(number)s, no header)") % {"number": i + 1})
                continue
            column = lookup.get(norm(header))
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
    choice = choice_lookup(rows.kind.name, key).get(norm(value))
    if choice is None:
        rows.error(
            number,
            key,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": choices_note(CHOICES[rows.kind.name, key])},
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
        if self.kind.name == "gridcell":
            self._prefetch_grid(data)
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
            elif key == "station_code":
                continue  # once the region is known: _cell_station
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
        if kind.name == "gridcell":
            self._cell_station(number, cells, obj)
        self._full_clean(number, obj)
        changed = [
            f for f, a, old in zip(fields, attnames, before, strict=True) if old != getattr(obj, a)
        ]
        entry = Entry(obj, changed, row=number, parent_code=rows.get(cells, "parent_code"))
        if kind.name == "deputy":
            self._deputy_extras(number, cells, entry)
        if kind.name == "gridcell" and rows.has("deputies"):
            self._cell_deputies(number, cells, entry)
        if not rows.failed:
            self.entries.append(entry)

    def _region(self, number: int, key: str, code: str):
        if not code:
            self.rows.error(number, key, _("This field is required."))
            return None
        region = self.regions.get(code)
        if region is None and self.kind.name == "gridcell":
            named = self.regions_named.get(code, [])
            if len(named) > 1:
                self.rows.error(
                    number,
                    key,
                    _(
                        "Several regions are called “%(name)s” (%(codes)s): write the division "
                        "code instead."
                    )
                    % {"name": code, "codes": "、".join(sorted(r.code for r in named))},
                )
                return None
            region = named[0] if named else None
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
        exclude = ["region", "parent", "path", "photo", "public_code", "station"]
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

    # --- grid cells (网格导入) ----------------------------------------------------------------

    def _prefetch_grid(self, data) -> None:
        """Regions also by name, the stations named or covering the regions, the deputies named,
        and the deputies of the cells already in the directory."""
        get = self.rows.get
        names = [get(cells, "region_code") for _n, cells in data]
        missing = [n for n in filter(None, names) if n not in self.regions]
        self.regions_named: dict[str, list[Region]] = {}
        for chunk in _chunks(set(missing)):
            for region in Region.objects.filter(name__in=chunk):
                self.regions_named.setdefault(region.name, []).append(region)
        found = [*self.regions.values(), *(r for rs in self.regions_named.values() for r in rs)]
        # Every region on the paths of the cells' regions: where a covering station may be.
        above = {code for region in found for code in region.path.strip("/").split("/")}
        station_codes = [get(cells, "station_code") for _n, cells in data]
        stations = Station.objects.select_related("region")
        self.stations = _by_code(stations, filter(None, station_codes))
        self.stations_in: dict[str, list[Station]] = {}
        for chunk in _chunks(above):
            for station in stations.filter(is_active=True, region__code__in=chunk):
                self.stations_in.setdefault(station.region.code, []).append(station)
        self.deputies: dict[str, models.Model] = {}
        if self.rows.has("deputies"):
            wanted = [
                code for _n, cells in data for code in LIST_SEPARATORS.split(get(cells, "deputies"))
            ]
            self.deputies = _by_code(Deputy.objects.all(), filter(None, wanted))
            through = GridCell.deputies.through.objects
            for chunk in _chunks(obj.pk for obj in self.existing.values()):
                for cell_id, deputy_id in through.filter(gridcell_id__in=chunk).values_list(
                    "gridcell_id", "deputy_id"
                ):
                    self.links.setdefault(cell_id, set()).add(deputy_id)

    def _cell_station(self, number: int, cells: list[str], cell: GridCell) -> None:
        """The station named in the row, or, for a new cell, the one station of the nearest
        region above; it must lie on the path of the cell's region."""
        rows = self.rows
        if "region_code" in rows.failed:
            return
        code = rows.get(cells, "station_code")
        region = cell.region
        if code:
            station = self.stations.get(code)
            if station is None:
                rows.error(
                    number,
                    "station_code",
                    _("Unknown station code “%(code)s”: import the stations first.")
                    % {"code": code},
                )
            elif not station.is_active:
                rows.error(
                    number,
                    "station_code",
                    _("The station “%(code)s” is deactivated.") % {"code": code},
                )
            elif region is not None and not region.path.startswith(station.region.path):
                rows.error(
                    number,
                    "station_code",
                    _(
                        "The station “%(code)s” is in %(station_region)s and cannot cover a cell "
                        "in %(region)s: choose a station of the cell's region or a region above "
                        "it."
                    )
                    % {
                        "code": code,
                        "station_region": station.region.name,
                        "region": region.name,
                    },
                )
            else:
                cell.station = station
            return
        if cell.pk is not None or region is None:
            return  # an existing cell keeps its station
        for region_code in reversed(region.path.strip("/").split("/")):
            candidates = self.stations_in.get(region_code, [])
            if len(candidates) == 1:
                cell.station = candidates[0]
                return
            if len(candidates) > 1:
                rows.error(
                    number,
                    "station_code",
                    _(
                        "Several stations could cover this cell (%(codes)s): write the station "
                        "code in this column."
                    )
                    % {"codes": "、".join(sorted(s.code for s in candidates))},
                )
                return
        rows.error(
            number,
            "station_code",
            _("No active station covers %(region)s: write the station code in this column.")
            % {"region": region.name},
        )

    def _cell_deputies(self, number: int, cells: list[str], entry: Entry) -> None:
        rows = self.rows
        codes = [c for c in LIST_SEPARATORS.split(rows.get(cells, "deputies")) if c]
        unknown = [c for c in dict.fromkeys(codes) if c not in self.deputies]
        if unknown:
            rows.error(
                number,
                "deputies",
                _("Unknown deputy codes: %(codes)s. Import the deputies first.")
                % {"codes": "、".join(unknown)},
            )
        entry.deputies = [self.deputies[c] for c in dict.fromkeys(codes) if c in self.deputies]
        current = self.links.get(entry.obj.pk, set()) if entry.obj.pk else set()
        if current != {d.pk for d in entry.deputies}:
            entry.changed.append("deputies")

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
