"""The coarse rollup `RegionFigure` (docs/statistics.md, "Two rollup tables"): the fine
`CaseFigure` rows summed per region at every level and per month (and per day, for the edge days
of a period), in slices of one dimension at a time — what a committee's or the public page groups
by. At a province's scale (≈ 200 M fine rows for 10 M cases) summing the fine rows per request
cannot be fast; these rows are a few hundred per region and month.

Kept current by `rollup._apply` (`add`, the same transaction and upsert as the fine rows) and
rebuilt from the fine rows by `rebuild()` at the end of `rollup.rebuild()`: one
`INSERT … SELECT … GROUP BY` per place and slice for the day rows, then the month rows from the
day rows, so it does not care how the fine rows were made.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Q

from .models import Grain, RegionFigure

EVERYTHING = 0  # the region id of the rows that sum every region (an administrator, /stats/)
# The levels with coarse rows: those a committee works at (province … township). A community's
# pages read its fine rows, which are few; rows per community would be nearly as many as the
# fine rows themselves (20,000 stations, most in a community of their own).
DEEPEST = 4  # RegionLevel.TOWNSHIP


def has_rows(region) -> bool:
    """Whether `region` (None: everything) has coarse rows."""
    return region is None or region.level <= DEEPEST


# The slices a page groups by, and the metrics each needs (figures.py reads exactly these).
BY_RECEIVED = ("channel", "category")  # the intake by channel and by category (and rising)
DEPARTMENT_METRICS = (
    "assigned",
    "due.sign",
    "ontime.sign",
    "due.handle",
    "ontime.handle",
    "extended",
    "returned",
    "rated",
    "satisfied",
)


DEPUTY_METRICS = ("replied", "answered")  # the deputies' work table: messages per deputy


def slices(metric: str, channel: str, category_id: int, department_id: int, deputy_id: int = 0):
    """The (dimension, value) slices a fine row of this metric is counted in."""
    yield "", ""
    if deputy_id > 0 and metric in DEPUTY_METRICS:
        yield "deputy", str(deputy_id)
    if metric == "received":
        yield "channel", channel
        yield "category", str(category_id)
    if department_id > 0 and metric in DEPARTMENT_METRICS:
        yield "department", str(department_id)


def region_ids(paths: Iterable[str]) -> dict[str, list[int]]:
    """Each region path → the ids of the regions with coarse rows it lies in (itself included)
    and EVERYTHING."""
    from liaison.directory.models import Region, path_prefixes

    paths = set(paths)
    wanted = {prefix for path in paths for prefix in path_prefixes(path)}
    ids = dict(Region.objects.filter(path__in=wanted, level__lte=DEEPEST).values_list("path", "pk"))
    return {
        path: [EVERYTHING] + [ids[p] for p in path_prefixes(path) if p in ids] for path in paths
    }


KEY = ("region_id", "dimension", "grain", "day", "value", "metric", "bucket")
UPSERT_ROWS = 1000


def add(counts: dict[tuple, int], paths: dict[int, str]) -> int:
    """Add fine-row counts ({rollup.KEY tuple: n}, `paths`: station id → region path) to the
    coarse rows, with the same multi-row INSERT … ON CONFLICT as the fine rows."""
    regions = region_ids(paths.values())
    coarse: dict[tuple, int] = defaultdict(int)
    for (
        day,
        station_id,
        deputy_id,
        department_id,
        category_id,
        channel,
        metric,
        bucket,
    ), n in counts.items():
        days = ((Grain.MONTH.value, day.replace(day=1)), (Grain.DAY.value, day))
        for dimension, value in slices(metric, channel, category_id, department_id, deputy_id):
            for region_id in regions[paths[station_id]]:
                for grain, first in days:
                    coarse[(region_id, dimension, grain, first, value, metric, bucket)] += n
    if not coarse:
        return 0
    table = connection.ops.quote_name(RegionFigure._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(name) for name in KEY)
    row = "(" + ", ".join(["%s"] * (len(KEY) + 1)) + ")"
    items = list(coarse.items())
    with connection.cursor() as cursor:
        for first in range(0, len(items), UPSERT_ROWS):
            chunk = items[first : first + UPSERT_ROWS]
            params: list = []
            for key, n in chunk:
                params.extend(key)
                params.append(n)
            cursor.execute(
                f"INSERT INTO {table} ({quoted}, count) "
                f"VALUES {', '.join([row] * len(chunk))} "
                f"ON CONFLICT ({quoted}) DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )
    return len(coarse)


PATHS_TABLE = "stats_coarse_paths"  # a temporary table of the connection, for the rebuild


def rebuild() -> int:
    """Empty the coarse rows and sum them again from the fine rows (call it in the transaction
    that filled CaseFigure). Answers how many coarse rows."""
    from liaison.directory.models import Region

    from .models import CaseFigure

    RegionFigure.objects.all().delete()
    fine = connection.ops.quote_name(CaseFigure._meta.db_table)
    coarse = connection.ops.quote_name(RegionFigure._meta.db_table)
    if connection.vendor == "postgresql":
        month = "CAST(date_trunc('month', f.day) AS date)"
    else:
        month = "date(f.day, 'start of month')"
    slice_sql = [
        ("''", "''", "1 = 1"),
        ("'channel'", "f.channel", "f.metric = 'received'"),
        ("'category'", "CAST(f.category_id AS TEXT)", "f.metric = 'received'"),
        (
            "'department'",
            "CAST(f.department_id AS TEXT)",
            "f.department_id > 0 AND f.metric IN ("
            + ", ".join(f"'{m}'" for m in DEPARTMENT_METRICS)
            + ")",
        ),
        (
            "'deputy'",
            "CAST(f.deputy_id AS TEXT)",
            "f.deputy_id > 0 AND f.metric IN (" + ", ".join(f"'{m}'" for m in DEPUTY_METRICS) + ")",
        ),
    ]
    paths = region_ids(Region.objects.values_list("path", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PATHS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {PATHS_TABLE} (path VARCHAR(255), region_id INT)")
        cursor.executemany(
            f"INSERT INTO {PATHS_TABLE} (path, region_id) VALUES (%s, %s)",
            [(path, pk) for path, ids in paths.items() for pk in ids if pk != EVERYTHING],
        )
        # EVERYTHING from every fine row (a path no region has any more still counts there);
        # each region from the rows whose path lies in it.
        places = [
            (str(EVERYTHING), ""),
            ("p.region_id", f"JOIN {PATHS_TABLE} p ON p.path = f.region_path"),
        ]
        day = Grain.DAY.value
        for region, join in places:
            for dimension, value, where in slice_sql:
                # Constants cannot be GROUP BY terms on SQLite.
                group = [t for t in (region, "f.day", value) if t[0] not in "0'"]
                group = ", ".join([*group, "f.metric", "f.bucket"])
                cursor.execute(
                    f"INSERT INTO {coarse} (region_id, grain, day, dimension, value, "
                    "metric, bucket, count) "
                    f"SELECT {region}, '{day}', f.day, {dimension}, {value}, f.metric, "
                    f"f.bucket, SUM(f.count) FROM {fine} f {join} WHERE {where} "
                    f"GROUP BY {group}"
                )
        # The months from the day rows just made (a fraction of the fine rows): half the passes
        # over the fine table.
        cursor.execute(
            f"INSERT INTO {coarse} (region_id, grain, day, dimension, value, metric, bucket, "
            f"count) SELECT f.region_id, '{Grain.MONTH.value}', {month}, f.dimension, f.value, "
            f"f.metric, f.bucket, SUM(f.count) FROM {coarse} f WHERE f.grain = '{day}' "
            f"GROUP BY f.region_id, {month}, f.dimension, f.value, f.metric, f.bucket"
        )
        cursor.execute(f"DROP TABLE {PATHS_TABLE}")
    return RegionFigure.objects.count()


def periods(start: date, end: date) -> list[tuple[str, date, date]]:
    """The (grain, first day, last day) ranges that make up start … end: the whole months inside
    it from the month rows (their day is the 1st), the days before and after from the day rows."""
    first_month = start if start.day == 1 else _next_month(start)
    # The first day after the last whole month: end closes its month, or that month is partial.
    after = _next_day(end) if _next_day(end).day == 1 else end.replace(day=1)
    if first_month >= after:
        return [(Grain.DAY.value, start, end)]
    found = [(Grain.MONTH.value, first_month, _previous_month(after))]
    if start < first_month:
        found.append((Grain.DAY.value, start, _previous_day(first_month)))
    if after <= end:
        found.append((Grain.DAY.value, after, end))
    return found


def rows_of(region_ids: Iterable[int], dimension: str, start: date, end: date):
    """The coarse rows of these regions and slice from start … end (both grains, see
    `periods`). Each arm of the OR names the region, slice and grain, so that PostgreSQL reads
    each as one range of the unique index (a bitmap OR), not every row of the region."""
    region_ids = list(region_ids)
    if not region_ids:
        return RegionFigure.objects.none()
    found = Q()
    for region_id in region_ids:
        for grain, first, last in periods(start, end):
            found |= Q(
                region_id=region_id,
                dimension=dimension,
                grain=grain,
                day__gte=first,
                day__lte=last,
            )
    return RegionFigure.objects.filter(found)


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _previous_day(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
