"""The years a record can be opened for: exactly those with something the 三个一 count (a
duty attended, a visit, a deputy's reply or answer, a held activity, a record entry), plus the
current year, newest first (issue 16: the list used to run from 2020 to next year, data or not).

Read from the indexes, never by scanning a table: each source answers its first and last date in
one query (MIN and MAX on an indexed column are the two ends of the index), and only the years
strictly between those two are asked one by one (EXISTS on an index range) — a gap is possible
only when a source spans three years or more.
"""

from datetime import date, datetime

from django.db.models import Max, Min, QuerySet

from liaison.activities.models import Activity, ActivityStatus
from liaison.cases.models import CaseEvent
from liaison.receptions.models import Duty, Visit
from liaison.workdays.deadlines import local_day

from . import three
from .models import RecordEntry


def _sources() -> list[tuple[QuerySet, str]]:
    """(rows, date field) of what the 三个一 count; each is served by an index (the models)."""
    return [
        (Duty.objects.filter(attended=True), "date"),
        (Visit.objects.all(), "received_on"),
        # One source per verb: (verb, created_at) is ordered within one verb only.
        *((CaseEvent.objects.filter(verb=verb), "created_at") for verb in three.RESPONSE_VERBS),
        (Activity.objects.filter(status=ActivityStatus.HELD), "starts_at"),
        (RecordEntry.objects.all(), "date"),
    ]


def _year(value: date | datetime) -> int:
    return local_day(value).year if isinstance(value, datetime) else value.year


def _source_years(rows: QuerySet, field: str) -> set[int]:
    ends = rows.aggregate(first=Min(field), last=Max(field))
    if ends["first"] is None:
        return set()
    first, last = _year(ends["first"]), _year(ends["last"])
    years = {first, last}
    moment = isinstance(ends["first"], datetime)
    for year in range(first + 1, last):
        start, after = three.year_window(year) if moment else three.date_range(year)
        if rows.filter(**{f"{field}__gte": start, f"{field}__lt": after}).exists():
            years.add(year)
    return years


def years_with_data(on: date | None = None) -> list[int]:
    """The years that have data, and the current one, newest first."""
    years = {(on or three.today()).year}
    for rows, field in _sources():
        years |= _source_years(rows, field)
    return sorted(years, reverse=True)
