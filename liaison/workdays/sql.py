"""The statutory calendar as two tables, so that the database adds working days to a million rows
in one statement (set-based deadline recomputation, issue 17; docs/workdays.md).

`WorkdayTables(first, last)` writes, for every day from `first` to `last`, into temporary tables
of this connection:

- `liaison_wd_day(day, ord, mb)`: `ord` is the number of working days from `first` up to and
  including `day`; `mb` the number of years without a loaded schedule before the year of the day
  after `day` (the first day that counts);
- `liaison_wd_ord(ord, due_at, mc, iso)`: for each working day, its ordinal, the end of that day
  (`deadlines.end_of_day`), the number of years without a schedule up to its own year, and
  `due_at.isoformat()` in Asia/Shanghai (what the recompute event's `due_after` says).

"The nth working day after start's day" is then a lookup: `o.ord = d.ord + n` with `d.day` the
start's local day; the deadline is provisional when `o.mc > d.mb` (a year between the first
counted day and the due day has no schedule) — the same answer as `deadlines.add_working_days`,
which the property test in tests/workdays/test_set_based_recompute.py checks.

The tables are read from `deadlines.Calendar` (two queries) and are a few thousand rows at most.
"""

from datetime import UTC, date, datetime, timedelta

from django.db import connection

from .deadlines import Calendar, end_of_day, local_zone

DAY_TABLE = "liaison_wd_day"
ORD_TABLE = "liaison_wd_ord"


def local_date_sql(column: str) -> str:
    """SQL for the Asia/Shanghai calendar day of a timestamp column."""
    zone = str(local_zone())
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{zone}')::date"
    # Django registers this function on every SQLite connection (TruncDate uses it); it gives the
    # day as 'YYYY-MM-DD' text, the form the day table stores.
    return f"django_datetime_cast_date({column}, '{zone}', 'UTC')"


def id_in_sql(column: str) -> str:
    """`column` is one of the ids given as the parameter `ids_param(ids)`."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(%s))"


def ids_param(ids):
    if connection.vendor == "postgresql":
        return list(ids)
    import json

    return json.dumps(list(ids))


class WorkdayTables:
    """Context manager: the two tables for `first`..`last` (widened until `last` has at least
    `max_days` working days after it), dropped on exit. `due_of(value)` turns a `due_at` value as
    the database returns it from a raw cursor back into the aware local datetime."""

    def __init__(self, first: date, last: date, max_days: int):
        self.first, self.last, self.max_days = first, last, max_days
        self._due: dict = {}

    def _rows(self):
        calendar = Calendar()
        end = self.last + timedelta(days=self.max_days * 2 + 30)
        while True:
            calendar.ensure(self.first, end)
            after = sum(
                1
                for i in range(1, (end - self.last).days + 1)
                if calendar.status(self.last + timedelta(days=i))[0]
            )
            if after >= self.max_days:
                break
            end += timedelta(days=self.max_days * 2 + 365)  # a calendar full of holidays
        loaded = calendar.ensure_years()
        missing_upto: dict[int, int] = {}
        count = 0
        for year in range(self.first.year - 1, end.year + 2):
            count += year not in loaded
            missing_upto[year] = count
        days, ords = [], []
        ordinal = 0
        day = self.first
        while day <= end:
            working = calendar.status(day)[0]
            if working:
                ordinal += 1
                ords.append((ordinal, end_of_day(day), missing_upto[day.year]))
            nxt = day + timedelta(days=1)
            days.append((day, ordinal, missing_upto[nxt.year - 1]))
            day = nxt
        return days, ords

    def __enter__(self):
        days, ords = self._rows()
        ops = connection.ops
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DAY_TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {ORD_TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {DAY_TABLE} "
                "(day date PRIMARY KEY, ord integer NOT NULL, mb integer NOT NULL)"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {ORD_TABLE} "
                "(ord integer PRIMARY KEY, due_at timestamp with time zone NOT NULL, "
                "mc integer NOT NULL, iso varchar(40) NOT NULL)"
            )
            cursor.executemany(
                f"INSERT INTO {DAY_TABLE} (day, ord, mb) VALUES (%s, %s, %s)",
                [(ops.adapt_datefield_value(d), o, mb) for d, o, mb in days],
            )
            rows = []
            for ordinal, due_at, mc in ords:
                stored = ops.adapt_datetimefield_value(due_at)
                self._due[due_at] = due_at
                rows.append((ordinal, stored, mc, due_at.isoformat()))
            cursor.executemany(
                f"INSERT INTO {ORD_TABLE} (ord, due_at, mc, iso) VALUES (%s, %s, %s, %s)", rows
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {DAY_TABLE}")
                cursor.execute(f"ANALYZE {ORD_TABLE}")
        return self

    def due_of(self, value):
        # A raw cursor gives an aware datetime (PostgreSQL) or a naive UTC one (SQLite); aware
        # datetimes compare and hash by their instant.
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return self._due[value]

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DAY_TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {ORD_TABLE}")
        return False
