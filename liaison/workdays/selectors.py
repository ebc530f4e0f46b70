"""Reads of the calendar for pages: which years are loaded, which are missing."""

from datetime import date, timedelta

from django.utils import timezone

from . import recalculators
from .models import ScheduleYear

# The notice for next year usually appears in November: warn from November 1st on.
UPCOMING = timedelta(days=61)


def loaded_years() -> set[int]:
    return set(ScheduleYear.objects.values_list("year", flat=True))


def missing_years(*, upcoming: timedelta = UPCOMING, today: date | None = None) -> list[int]:
    """Years with no schedule loaded that the platform needs now.

    Those from today's year to the year `upcoming` from today (so from November 1st next year's
    is needed), and those that open deadlines reach (as the deadline-keeping apps report them
    through `recalculators.register_years_in_use`).
    """
    today = today or timezone.localdate()
    needed = set(range(today.year, (today + upcoming).year + 1))
    needed |= {year for year in recalculators.years_in_use() if year >= 1900}
    return sorted(needed - loaded_years())
