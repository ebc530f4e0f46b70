"""Open data (公开数据): each ended month's public figures per region as a CSV file (UTF-8 with a
byte order mark, for Excel) and a JSON file, written by the worker into media storage under
`open-data/` and listed on /stats/open-data/ (docs/open-data.md is the schema).

The figures are those of the public page (`figures.compute` over `selectors.public_rows`, and
the stations' totals of the overview, `workfigures.totals` over the work rollup), with
its rule: a count from 1 to 4 is "<5" in the CSV and null in the JSON, a rate with such a count in
it is empty / null. No name, phone or text of a message is read. A file once written is not
rewritten: others may already hold it (a rebuild of the rollup changes the pages, not the files).
"""

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from liaison.cases.models import Channel
from liaison.core import audit
from liaison.directory.models import Region, RegionLevel

from . import figures, legislation, selectors, workfigures
from .counted import STEPS
from .models import CaseFigure, WorkFigure
from .templatetags.stats import SMALLEST_SHOWN

FOLDER = "open-data"
NAME = re.compile(r"^liaison-(stats|legislation)-([0-9]{4})-([0-9]{2})\.(csv|json)$")
# The legislative contact points' file (liaison-legislation-YYYY-MM.csv): one row per station
# and per region with comments received in the month (stats/legislation.py).
LEGISLATION_COLUMNS = [
    "row_kind",
    "code",
    "name",
    "comments",
    "comments_online",
    "comments_offline",
    "people_offline",
    "adopted",
]
# Regions with a file row: down to townships (a community has no committee of its own).
DEEPEST_LEVEL = RegionLevel.TOWNSHIP
SMALL = object()  # a count from 1 to 4, hidden


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Region, figures.Figures], object]  # an int, a Rate, or text
    meaning: str
    denominator: str = ""
    counted: bool = True  # False: a description of the row (code, name), never hidden
    work: Callable[[workfigures.WorkFigures], int] | None = None  # read from the work rollup


def _count(metric: str):
    return lambda region, f: f.totals.get(metric, 0)


def _channel(position: int):
    return lambda region, f: f.channels[position][1]


def _step(name: str, part: str):
    def value(region, f):
        step = next(s for s in f.steps if s.name == name)
        return step.on_time if part == "rate" else getattr(step.on_time, part)

    return value


COLUMNS: list[Column] = [
    Column("month", lambda r, f: f.start.strftime("%Y-%m"), "The month, YYYY-MM.", counted=False),
    Column(
        "region_code",
        lambda r, f: r.code,
        "The region's division code (统计用区划代码).",
        counted=False,
    ),
    Column("region_name", lambda r, f: r.name, "The region's name.", counted=False),
    Column(
        "region_level",
        lambda r, f: r.level,
        "1 province, 2 city, 3 county / district, 4 township / street.",
        counted=False,
    ),
    Column(
        "parent_code",
        lambda r, f: r.parent.code if r.parent_id else "",
        "The division code of the region above; empty for the top.",
        counted=False,
    ),
    Column("received", _count("received"), "Messages received (every verified message)."),
    *[
        Column(
            f"received_{value}",
            _channel(position),
            f"Messages received through the channel `{value}`.",
        )
        for position, value in enumerate(Channel.values)
    ],
    Column("accepted", _count("accepted"), "Messages accepted at review."),
    Column("referred", _count("referred"), "Messages referred to another channel."),
    Column("rejected", _count("rejected"), "Messages not accepted."),
    Column("merged", _count("merged"), "Messages merged into another case."),
    Column("withdrawn", _count("withdrawn"), "Messages withdrawn by the citizen."),
    Column("replied", _count("replied"), "Replies by the deputy."),
    Column("settled", _count("settled"), "Replies by the deputy that settled the matter."),
    Column("assigned", _count("assigned"), "Assignments to a department (交办)."),
    Column("answered", _count("answered"), "Answers to the citizen."),
    Column("resolved", _count("resolved"), "Cases resolved (办结), rated or closed without."),
    Column("rated", _count("rated"), "Ratings given by citizens."),
    Column("satisfied", _count("satisfied"), "Ratings 满意 or 基本满意."),
    Column(
        "satisfaction_rate",
        lambda r, f: f.rates["satisfaction"],
        "satisfied / rated, 0 to 1.",
        "rated",
    ),
    Column(
        "rating_coverage_rate",
        lambda r, f: f.rates["rating_coverage"],
        "rated / answered, 0 to 1.",
        "answered",
    ),
    Column("rehandled", _count("rehandled"), "Ratings of 不满意 that sent the case back (重办)."),
    *[
        column
        for step in STEPS
        for column in (
            Column(f"due_{step}", _step(step, "denominator"), f"Steps `{step}` that ended."),
            Column(
                f"ontime_{step}",
                _step(step, "numerator"),
                f"Steps `{step}` that ended on time.",
            ),
            Column(
                f"ontime_rate_{step}",
                _step(step, "rate"),
                f"ontime_{step} / due_{step}, 0 to 1.",
                f"due_{step}",
            ),
        )
    ],
    # Added in issue 13 (the overview's work figures): only ever at the end.
    Column(
        "visitors",
        None,
        "Visitors received at the stations (接待人次), an attended booking once.",
        work=lambda w: w.visitors,
    ),
    Column(
        "visitors_booked",
        None,
        "Of `visitors`: came with an online booking that was attended.",
        work=lambda w: w.visitors_booked,
    ),
    Column(
        "reception_days",
        None,
        "Reception days held: station-days with a deputy on duty who came.",
        work=lambda w: w.reception_days,
    ),
    Column("activities", None, "Activities held at the stations.", work=lambda w: w.activities),
    Column(
        "participants",
        None,
        "People who took part in those activities (checked in).",
        work=lambda w: w.participants,
    ),
]


def _small(n) -> bool:
    return isinstance(n, int) and 0 < n < SMALLEST_SHOWN


def public_value(value):
    """A cell under the public rule: SMALL for a small count, None for a rate not shown."""
    if isinstance(value, figures.Rate):
        if _small(value.numerator) or _small(value.denominator) or value.value is None:
            return None
        return round(value.value, 4)
    if isinstance(value, bool):  # pragma: no cover - no column is a bool
        return value
    return SMALL if _small(value) else value


def _shown(column: Column, value):
    return public_value(value) if column.counted else value


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return start, following - timedelta(days=1)


def regions_with_figures(start: date, end: date) -> list[Region]:
    """The regions (down to townships) with a rollup row in the period: the paths found and every
    region above them."""
    paths = {
        path
        for model in (CaseFigure, WorkFigure)
        for path in model.objects.filter(day__gte=start, day__lte=end)
        .values_list("region_path", flat=True)
        .distinct()
    }
    codes = {code for path in paths for code in path.strip("/").split("/") if code}
    return list(
        Region.objects.filter(code__in=codes, level__lte=DEEPEST_LEVEL)
        .select_related("parent")
        .order_by("path")
    )


def rows(start: date, end: date) -> list[dict]:
    """One dict per region: column name → public value."""
    found = []
    for region in regions_with_figures(start, end):
        computed = figures.compute(figures.RegionRows(region.pk), start, end)
        done = workfigures.totals(selectors.public_work_rows(region, None), start, end)
        found.append(
            {
                column.name: _shown(
                    column,
                    column.work(done) if column.work else column.value(region, computed),
                )
                for column in COLUMNS
            }
        )
    return found


def _csv_bytes(table: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for row in table:
        writer.writerow(
            [f"<{SMALLEST_SHOWN}" if row[c.name] is SMALL else _text(row[c.name]) for c in COLUMNS]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _text(value) -> str:
    return "" if value is None else str(value)


def _json_bytes(start: date, end: date, table: list[dict]) -> bytes:
    document = {
        "month": start.strftime("%Y-%m"),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "schema": "docs/open-data.md",
        "columns": [column.name for column in COLUMNS],
        "rows": [
            {name: (None if value is SMALL else value) for name, value in row.items()}
            for row in table
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def filename(year: int, month: int, fmt: str, kind: str = "stats") -> str:
    return f"liaison-{kind}-{year:04d}-{month:02d}.{fmt}"


def legislation_rows(start: date, end: date) -> list[list]:
    """The public legislation figures of the period: stations (the online comments without a
    station on a row of their own, code and name empty), then regions."""
    found = legislation.compute(legislation.public_comments(), start, end)
    table = []
    for kind, lines in (("station", found.stations), ("region", found.regions)):
        for line in lines:
            counts = [line.comments, line.online, line.offline, line.people, line.adopted]
            table.append([kind, line.code, line.name, *(public_value(n) for n in counts)])
    return table


def _legislation_csv(table: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LEGISLATION_COLUMNS)
    for row in table:
        writer.writerow([f"<{SMALLEST_SHOWN}" if v is SMALL else _text(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def write_month(year: int, month: int) -> int:
    """Write both files of one month (replacing them if present); answers the regions written."""
    start, end = month_bounds(year, month)
    table = rows(start, end)
    contents = {
        filename(year, month, "csv"): _csv_bytes(table),
        filename(year, month, "json"): _json_bytes(start, end, table),
        filename(year, month, "csv", "legislation"): _legislation_csv(legislation_rows(start, end)),
    }
    for name, content in contents.items():
        path = f"{FOLDER}/{name}"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(content))
    audit.record("opendata.written", month=start.strftime("%Y-%m"), regions=len(table))
    return len(table)


def months_due(today: date) -> list[tuple[int, int]]:
    """Every ended month since the first day in the rollup whose files are not written yet."""
    first = CaseFigure.objects.order_by("day").values_list("day", flat=True).first()
    if first is None:
        return []
    due = []
    year, month = first.year, first.month
    while (year, month) < (today.year, today.month):
        if not all(
            default_storage.exists(f"{FOLDER}/{filename(year, month, fmt)}")
            for fmt in ("csv", "json")
        ):
            due.append((year, month))
        year, month = year + (month == 12), month % 12 + 1
    return due


def write_due(today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    written = []
    for year, month in months_due(today):
        write_month(year, month)
        written.append(f"{year:04d}-{month:02d}")
    return written


@dataclass(frozen=True)
class Published:
    month: str  # YYYY-MM
    files: dict[str, str]  # format → file name


def published() -> list[Published]:
    """The months with files, newest first."""
    if not default_storage.exists(FOLDER):
        return []
    months: dict[str, dict[str, str]] = {}
    for name in default_storage.listdir(FOLDER)[1]:
        match = NAME.match(name)
        if match:
            fmt = match[4] if match[1] == "stats" else f"{match[1]} {match[4]}"
            months.setdefault(f"{match[2]}-{match[3]}", {})[fmt] = name
    return [Published(month, files) for month, files in sorted(months.items(), reverse=True)]


def open_file(name: str):
    """The stored file of that name, or None (an unknown or malformed name)."""
    path = f"{FOLDER}/{name}"
    if not NAME.match(name) or not default_storage.exists(path):
        return None
    return default_storage.open(path, "rb")
