"""三个一 — contact voters every month, one activity every quarter, report to voters once a year.

The term year is the calendar year in Asia/Shanghai: an event belongs to the month, quarter and
year of its local date (an activity that starts at 23:59 on 31 March counts for March and Q1).

- A month has a **contact** when the deputy attended a reception duty, received a visitor,
  replied to or answered a case (`case.replied` / `case.answered`), attended a held activity, or
  has a confirmed "contact with voters" entry that month.
- A quarter has an **activity** when the deputy attended a held activity, or has a confirmed
  inspection, survey, meeting or training entry that quarter.
- The **report** took place when the deputy attended a held "report to voters" activity
  (ActivityKind code `report-to-voters`) or has a confirmed "report to voters" entry.

Each cell is done, missed (the period ended without it), late (the current period, from the day
reminders go out: the 20th of the month, the quarter's last month, 1 November), open (the current
period, before that day) or future. A deputy is *behind* with any missed or late cell.

`progress_for(deputy_ids, year)` reads all of this in five queries for any number of deputies.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from liaison.activities.models import Activity, ActivityStatus
from liaison.cases.models import CaseEvent
from liaison.receptions.models import Duty, Visit
from liaison.workdays.deadlines import local_day, local_zone

from .models import ACTIVITY_KINDS, CONTACT_KINDS, REPORT_KINDS, EntryStatus, RecordEntry

# The deputy speaking to the citizen about a case: the first reply or the answer after handling.
RESPONSE_VERBS = ("case.replied", "case.answered")
REPORT_ACTIVITY_KIND = "report-to-voters"  # 向选民述职
CONTACT_REMINDER_DAY = 20  # from the 20th, a month without contact is "late" and reminded
REPORT_REMINDER_MONTH = 11  # from 1 November, a year without the report is "late"

DONE, MISSED, LATE, OPEN, FUTURE = "done", "missed", "late", "open", "future"
BEHIND = {MISSED, LATE}


def today() -> date:
    return local_day(timezone.now())


def year_window(year: int) -> tuple[datetime, datetime]:
    """The year as aware datetimes: from 1 January 00:00 to the next 1 January, Asia/Shanghai."""
    zone = local_zone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


def date_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


@dataclass
class Progress:
    """One deputy's 三个一 for one year, as of `today`."""

    year: int
    today: date
    contact_months: set[int] = field(default_factory=set)
    activity_quarters: set[int] = field(default_factory=set)
    reported: bool = False
    # Counts, read along by progress_for(…, with_counts=True) for the public deputy page.
    people_received: int = 0
    activities_attended: int = 0
    cases_answered: set[int] = field(default_factory=set)

    def _state(self, done: bool, first: date, after: date, late_from: date) -> str:
        if done:
            return DONE
        if self.today >= after:
            return MISSED
        if self.today < first:
            return FUTURE
        return LATE if self.today >= late_from else OPEN

    def month_state(self, month: int) -> str:
        first = date(self.year, month, 1)
        after = date(self.year + month // 12, month % 12 + 1, 1)
        late_from = first.replace(day=CONTACT_REMINDER_DAY)
        return self._state(month in self.contact_months, first, after, late_from)

    def quarter_state(self, quarter: int) -> str:
        last = quarter * 3
        first = date(self.year, last - 2, 1)
        after = date(self.year + last // 12, last % 12 + 1, 1)
        return self._state(
            quarter in self.activity_quarters, first, after, date(self.year, last, 1)
        )

    @property
    def report_state(self) -> str:
        first, after = date_range(self.year)
        late_from = date(self.year, REPORT_REMINDER_MONTH, 1)
        return self._state(self.reported, first, after, late_from)

    @property
    def months(self) -> list[tuple[int, str]]:
        return [(month, self.month_state(month)) for month in range(1, 13)]

    @property
    def quarters(self) -> list[tuple[int, str]]:
        return [(quarter, self.quarter_state(quarter)) for quarter in range(1, 5)]

    @property
    def behind_count(self) -> int:
        cells = [s for _m, s in self.months] + [s for _q, s in self.quarters] + [self.report_state]
        return sum(state in BEHIND for state in cells)

    @property
    def behind(self) -> bool:
        return self.behind_count > 0

    @property
    def months_so_far(self) -> int:
        """Months that have begun (the current one included)."""
        return sum(state != FUTURE for _m, state in self.months)

    @property
    def quarters_so_far(self) -> int:
        return sum(state != FUTURE for _q, state in self.quarters)


def progress_for(
    deputy_ids, year: int, *, on: date | None = None, with_counts: bool = False
) -> dict[int, Progress]:
    """三个一 of each deputy for `year`, in five queries whatever the number of deputies: each
    source returns the distinct (deputy, month[, kind]) pairs, aggregated by the database.
    `with_counts` also counts people received, activities attended and cases answered."""
    on = on or today()
    ids = list(deputy_ids)
    found = {pk: Progress(year=year, today=on) for pk in ids}
    if not ids:
        return found
    zone = local_zone()
    start, end = year_window(year)
    first, after = date_range(year)

    def contact(pairs):
        for deputy_id, month in pairs:
            found[deputy_id].contact_months.add(month)

    contact(
        Duty.objects.filter(deputy_id__in=ids, attended=True, date__gte=first, date__lt=after)
        .annotate(month=ExtractMonth("date"))
        .values_list("deputy_id", "month")
        .distinct()
    )
    visits = (
        Visit.deputies.through.objects.filter(
            deputy_id__in=ids, visit__received_on__gte=first, visit__received_on__lt=after
        )
        .annotate(month=ExtractMonth("visit__received_on"))
        .values("deputy_id", "month")
        .annotate(people=Count("pk"))
        .values_list("deputy_id", "month", "people")
    )
    for deputy_id, month, people in visits:
        found[deputy_id].contact_months.add(month)
        found[deputy_id].people_received += people
    responses = (
        CaseEvent.objects.filter(
            verb__in=RESPONSE_VERBS,
            case__deputy_id__in=ids,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(month=ExtractMonth("created_at", tzinfo=zone))
        .values_list("case__deputy_id", "month", *(["case_id"] if with_counts else []))
        .distinct()
    )
    for deputy_id, month, *case in responses:
        found[deputy_id].contact_months.add(month)
        found[deputy_id].cases_answered.update(case)
    attended = (
        Activity.attended_deputies.through.objects.filter(
            deputy_id__in=ids,
            activity__status=ActivityStatus.HELD,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
        )
        .annotate(month=ExtractMonth("activity__starts_at", tzinfo=zone))
        .annotate(code=F("activity__kind__code"))
        .values("deputy_id", "month", "code")
        .annotate(activities=Count("activity_id"))
        .values_list("deputy_id", "month", "code", "activities")
    )
    for deputy_id, month, code, activities in attended:
        progress = found[deputy_id]
        progress.activities_attended += activities
        progress.contact_months.add(month)
        progress.activity_quarters.add(quarter_of(month))
        if code == REPORT_ACTIVITY_KIND:
            progress.reported = True
    entries = (
        RecordEntry.objects.filter(
            deputy_id__in=ids, status=EntryStatus.CONFIRMED, date__gte=first, date__lt=after
        )
        .annotate(month=ExtractMonth("date"))
        .values_list("deputy_id", "month", "kind")
        .distinct()
    )
    for deputy_id, month, kind in entries:
        progress = found[deputy_id]
        if kind in CONTACT_KINDS:
            progress.contact_months.add(month)
        if kind in ACTIVITY_KINDS:
            progress.activity_quarters.add(quarter_of(month))
        if kind in REPORT_KINDS:
            progress.reported = True
    return found


def progress(deputy, year: int, *, on: date | None = None, with_counts=False) -> Progress:
    return progress_for([deputy.pk], year, on=on, with_counts=with_counts)[deputy.pk]
