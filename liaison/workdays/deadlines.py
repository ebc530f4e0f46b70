"""Working-day arithmetic on the statutory calendar (docs/design.md, rule 5).

"Within N working days of an event" ends at the end of the Nth working day after the event's day;
the event's own day never counts, also when it is a working day. Days are Asia/Shanghai days
(settings.TIME_ZONE), whatever the time zone of the datetime given.

A deadline ends at 23:59:59.999999 local time of its day (`due_at`); a step is overdue when
now > due_at.

Each call reads the calendar with two queries (the loaded years, the exceptions in a window wide
enough for N), never one per day. To compute many deadlines at once, pass one `Calendar` to every
call: it keeps what it has read and widens its window only when asked outside it. A call without
one uses `shared_calendar()`: with a cache every process shares, the calendar this process read
last, for as long as nothing in the calendar changed (`calendar_changed`, called on every save
and delete of its rows and by workdays.services) — no query at all for a submission's deadline.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from liaison.core.versions import Memo

from .models import CalendarDay, DayKind, ScheduleYear

END_OF_DAY = time(23, 59, 59, 999999)
GROWTH = timedelta(days=92)
Reason = Literal["weekend", "holiday"]


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(value: date | datetime) -> date:
    """The calendar day of a date, or of an aware datetime in Asia/Shanghai."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("A naive datetime has no day: give an aware datetime or a date.")
        return value.astimezone(local_zone()).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"Expected a date or datetime, not {type(value).__name__}.")


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=local_zone())


@dataclass(frozen=True)
class SkippedDay:
    date: date
    reason: Reason
    name: str = ""  # the holiday's name, for reason "holiday"


@dataclass(frozen=True)
class SkippedRun:
    """Consecutive skipped days with one reason: "10-01 to 10-08, 国庆节、中秋节"."""

    first: date
    last: date
    reason: Reason
    name: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Explanation:
    start_day: date  # the event's day, which does not count
    counted: tuple[date, ...]  # the working days counted, in order
    skipped: tuple[SkippedDay, ...]  # the days passed over, in order
    makeup_days: tuple[date, ...]  # counted days that are make-up working days (调休上班)
    missing_years: tuple[int, ...]  # years passed through with no schedule loaded

    @property
    def holiday_runs(self) -> list[SkippedRun]:
        return [run for run in self.skipped_runs if run.reason == "holiday"]

    @property
    def weekend_days(self) -> list[date]:
        return [day.date for day in self.skipped if day.reason == "weekend"]

    @property
    def skipped_runs(self) -> list[SkippedRun]:
        runs: list[SkippedRun] = []
        for day in self.skipped:
            last = runs[-1] if runs else None
            if (
                last
                and (day.date - last.last).days == 1
                and (last.reason, last.name) == (day.reason, day.name)
            ):
                runs[-1] = SkippedRun(last.first, day.date, last.reason, last.name)
            else:
                runs.append(SkippedRun(day.date, day.date, day.reason, day.name))
        return runs


@dataclass(frozen=True)
class Deadline:
    due_date: date
    due_at: datetime  # aware, the end of due_date in Asia/Shanghai
    provisional: bool  # some day lies in a year with no schedule: counted on weekends alone
    working_days: int
    explanation: Explanation


class Calendar:
    """What the database says about a range of days, read once and kept."""

    def __init__(self) -> None:
        self.first: date | None = None
        self.last: date | None = None
        self.exceptions: dict[date, tuple[str, str]] = {}
        self.loaded_years: frozenset[int] | None = None

    def ensure(self, first: date, last: date) -> None:
        """Read the exceptions from first to last (and what was read before) unless known."""
        self.ensure_years()
        if self.first is not None and self.last is not None:
            if self.first <= first and last <= self.last:
                return
            # Widen generously, so that a caller walking on through the dates reads rarely.
            first = min(first, self.first - (GROWTH if first < self.first else timedelta(0)))
            last = max(last, self.last + (GROWTH if last > self.last else timedelta(0)))
        rows = CalendarDay.objects.filter(date__range=(first, last)).values_list(
            "date", "kind", "name"
        )
        self.exceptions = {day: (kind, name) for day, kind, name in rows}
        self.first, self.last = first, last

    def ensure_years(self) -> frozenset[int]:
        if self.loaded_years is None:
            self.loaded_years = frozenset(ScheduleYear.objects.values_list("year", flat=True))
        return self.loaded_years

    def is_loaded(self, year: int) -> bool:
        return year in self.ensure_years()

    def status(self, day: date) -> tuple[bool, Reason | Literal["makeup", ""], str]:
        """(is it a working day, why not / "makeup", the holiday's name); call ensure() first."""
        kind, name = self.exceptions.get(day, ("", ""))
        if kind == DayKind.HOLIDAY:
            return False, "holiday", name
        if kind == DayKind.MAKEUP:
            return True, "makeup", name
        if day.weekday() >= 5:
            return False, "weekend", ""
        return True, "", ""


_SHARED = Memo("workdays-calendar-version", size=1)
# What a shared calendar reads at once: the days of two years each side of today.
_SHARED_SPAN = timedelta(days=2 * 366)


def shared_calendar() -> Calendar:
    """One calendar for the calls that bring none, kept while the calendar is unchanged."""

    def build():
        calendar, today = Calendar(), timezone.localdate()
        calendar.ensure(today - _SHARED_SPAN, today + _SHARED_SPAN)
        return calendar

    return _SHARED.get("calendar", build)


def calendar_changed() -> None:
    """A day or a year of the calendar changed: every process reads it again."""
    _SHARED.changed()


def _window(n: int) -> timedelta:
    # 5 working days a week, plus the longest break (9 days) with room to spare.
    return timedelta(days=n * 2 + 30)


def is_working_day(day: date | datetime, *, calendar: Calendar | None = None) -> bool:
    calendar = calendar or shared_calendar()
    day = local_day(day)
    calendar.ensure(day, day)
    return calendar.status(day)[0]


def add_working_days(
    start: date | datetime, n: int, *, calendar: Calendar | None = None
) -> Deadline:
    """The end of the nth working day after start's day (which itself never counts)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("The number of working days must be an integer.")
    if n < 1:
        raise ValueError("The number of working days must be at least 1.")
    calendar = calendar or shared_calendar()
    start_day = local_day(start)
    calendar.ensure(start_day + timedelta(days=1), start_day + _window(n))
    counted: list[date] = []
    skipped: list[SkippedDay] = []
    makeup: list[date] = []
    years: set[int] = set()
    day = start_day
    while len(counted) < n:
        day += timedelta(days=1)
        if calendar.last is None or day > calendar.last:
            calendar.ensure(day, day + _window(n))
        years.add(day.year)
        working, reason, name = calendar.status(day)
        if working:
            counted.append(day)
            if reason == "makeup":
                makeup.append(day)
        else:
            skipped.append(SkippedDay(day, reason, name))  # type: ignore[arg-type]
    missing = tuple(sorted(y for y in years if not calendar.is_loaded(y)))
    return Deadline(
        due_date=day,
        due_at=end_of_day(day),
        provisional=bool(missing),
        working_days=n,
        explanation=Explanation(
            start_day=start_day,
            counted=tuple(counted),
            skipped=tuple(skipped),
            makeup_days=tuple(makeup),
            missing_years=missing,
        ),
    )


def working_days_between(
    a: date | datetime, b: date | datetime, *, calendar: Calendar | None = None
) -> int:
    """Working days after a's day up to and including b's day; negative when b comes first.

    add_working_days(a, n).due_date is a day d with working_days_between(a, d) == n.
    """
    day_a, day_b = local_day(a), local_day(b)
    if day_a == day_b:
        return 0
    sign = 1 if day_b > day_a else -1
    first, last = sorted((day_a, day_b))
    calendar = calendar or shared_calendar()
    calendar.ensure(first + timedelta(days=1), last)
    count = sum(
        1
        for i in range(1, (last - first).days + 1)
        if calendar.status(first + timedelta(days=i))[0]
    )
    return sign * count
