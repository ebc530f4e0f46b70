"""Every change to the calendar goes through here: audited, and followed after commit by the
recalculation of the open deadlines of the years it touches (see recalculators.py)."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit

from . import deadlines, package, recalculators
from .models import CalendarDay, DayKind, ScheduleYear, Source
from .notice import LineError, NoticeError, NoticeHoliday, parse_notice


class YearAlreadyLoaded(Exception):
    def __init__(self, schedule: ScheduleYear):
        super().__init__(f"The {schedule.year} schedule is already loaded.")
        self.schedule = schedule


def _recompute_after_commit(years: set[int], actor) -> None:
    # Rows written with bulk_create send no signal (apps.py): every process reads them again.
    deadlines.calendar_changed()

    def recompute():
        changed = recalculators.run(years, actor)
        audit.record("workdays.recomputed", actor=actor, years=sorted(years), changed=changed)

    transaction.on_commit(recompute)


def _touched_years(days: Iterable[date], schedule_year: int | None = None) -> set[int]:
    years = {day.year for day in days}
    return years | ({schedule_year} if schedule_year else set())


def check_notice(year: int, text: str, *, replace: bool = False) -> list[NoticeHoliday]:
    """Parse a notice and check it against the calendar; raises NoticeError or YearAlreadyLoaded.

    With `replace`, the days the year's schedule already has are replaced, so they are no conflict.
    """
    holidays = parse_notice(year, text)
    existing = ScheduleYear.objects.filter(year=year).first()
    if existing and not replace:
        raise YearAlreadyLoaded(existing)
    days = [day for h in holidays for day in (*h.days_off, *h.makeup_days)]
    taken = CalendarDay.objects.filter(date__in=days)
    if replace:
        taken = taken.exclude(year=year)
    taken_by_date = {row.date: row for row in taken}
    errors = []
    for holiday in holidays:
        clashes = [
            taken_by_date[d]
            for d in (*holiday.days_off, *holiday.makeup_days)
            if d in taken_by_date
        ]
        if clashes:
            row = clashes[0]
            errors.append(
                LineError(
                    holiday.line,
                    holiday.name,
                    _(
                        "%(date)s is already in the calendar as %(kind)s (%(name)s) of the "
                        "%(year)s schedule."
                    )
                    % {
                        "date": row.date.isoformat(),
                        "kind": row.get_kind_display().lower(),
                        "name": row.name,
                        "year": row.year,
                    },
                )
            )
    if errors:
        raise NoticeError(errors)
    return holidays


@transaction.atomic
def load_notice(
    year: int,
    text: str,
    *,
    actor,
    replace: bool = False,
    note: str = "",
    source: str = Source.NOTICE,
) -> ScheduleYear:
    """Load a year's State Council notice (国务院办公厅关于部分节假日安排的通知).

    All or nothing: raises NoticeError (every bad line) or YearAlreadyLoaded and writes nothing.
    """
    # Lock the year so that two administrators loading it at once cannot both insert it.
    ScheduleYear.objects.select_for_update().filter(year=year).first()
    holidays = check_notice(year, text, replace=replace)
    removed = list(CalendarDay.objects.filter(year=year).values_list("date", flat=True))
    CalendarDay.objects.filter(year=year).delete()
    rows = [
        CalendarDay(date=day, kind=DayKind.HOLIDAY, name=h.name, year=year)
        for h in holidays
        for day in h.days_off
    ] + [
        CalendarDay(date=day, kind=DayKind.MAKEUP, name=h.name, year=year)
        for h in holidays
        for day in h.makeup_days
    ]
    CalendarDay.objects.bulk_create(rows)
    schedule, created = ScheduleYear.objects.update_or_create(
        year=year,
        defaults={
            "source": source,
            "loaded_at": timezone.now(),
            "loaded_by": actor if getattr(actor, "is_authenticated", False) else None,
            "note": note,
        },
    )
    audit.record(
        "workdays.year_loaded" if created else "workdays.year_replaced",
        actor=actor,
        obj=schedule,
        source=source,
        holidays=[
            {
                "name": h.name,
                "days_off": [d.isoformat() for d in h.days_off],
                "makeup_days": [d.isoformat() for d in h.makeup_days],
            }
            for h in holidays
        ],
        removed=len(removed),
    )
    _recompute_after_commit(_touched_years([r.date for r in rows] + removed, year), actor)
    return schedule


@transaction.atomic
def load_package_years(years: Iterable[int] | None = None, *, actor=None) -> list[int]:
    """Load the years the chinese-calendar package knows and the database has not loaded yet.

    Idempotent: a year already loaded (from any source) is left as it is.
    """
    wanted = set(years) if years is not None else set(package.package_years())
    known = set(package.package_years())
    todo = sorted((wanted & known) - set(ScheduleYear.objects.values_list("year", flat=True)))
    if not todo:
        return []
    days = package.package_days(set(todo))
    taken = set(
        CalendarDay.objects.filter(date__in=[d.date for d in days]).values_list("date", flat=True)
    )
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d.date, kind=d.kind, name=d.name, year=d.year)
        for d in days
        if d.date not in taken  # entered by hand before: the administrator's word stands
    )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    for year in todo:
        schedule = ScheduleYear.objects.create(
            year=year, source=Source.PACKAGE, loaded_at=now, loaded_by=user
        )
        audit.record("workdays.year_loaded", actor=actor, obj=schedule, source=Source.PACKAGE)
    _recompute_after_commit(_touched_years([d.date for d in days]) | set(todo), actor)
    return todo


@transaction.atomic
def mark_year_loaded(year: int, *, actor, note: str = "") -> ScheduleYear:
    """Declare a year's schedule complete as entered by hand (source "manual")."""
    schedule, created = ScheduleYear.objects.get_or_create(
        year=year,
        defaults={
            "source": Source.MANUAL,
            "loaded_at": timezone.now(),
            "loaded_by": actor if getattr(actor, "is_authenticated", False) else None,
            "note": note,
        },
    )
    if not created:
        raise YearAlreadyLoaded(schedule)
    audit.record("workdays.year_loaded", actor=actor, obj=schedule, source=Source.MANUAL)
    _recompute_after_commit({year}, actor)
    return schedule


@transaction.atomic
def set_schedule_note(schedule: ScheduleYear, note: str, *, actor) -> ScheduleYear:
    if schedule.note != note:
        previous, schedule.note = schedule.note, note
        schedule.save(update_fields=["note"])
        audit.record("workdays.year_noted", actor=actor, obj=schedule, previous=previous)
    return schedule


@transaction.atomic
def save_day(day: CalendarDay, *, actor, changed_fields: list[str] | None = None) -> CalendarDay:
    """Add or correct one holiday or make-up working day."""
    creating = day.pk is None
    before = None if creating else CalendarDay.objects.select_for_update().get(pk=day.pk)
    if not day.year and day.date:
        day.year = day.date.year
    day.full_clean()
    day.save()
    audit.record(
        "workdays.day_added" if creating else "workdays.day_changed",
        actor=actor,
        obj=day,
        fields=sorted(changed_fields or []),
        date=day.date.isoformat(),
        kind=day.kind,
        name=day.name,
        previous=None
        if before is None
        else {"date": before.date.isoformat(), "kind": before.kind, "name": before.name},
    )
    days = [day.date] + ([before.date] if before else [])
    _recompute_after_commit(_touched_years(days), actor)
    return day


@transaction.atomic
def remove_days(days: Iterable[CalendarDay], *, actor) -> int:
    """Remove holidays or make-up days (entered by mistake): the days become ordinary again."""
    removed = list(days)
    for day in removed:
        audit.record(
            "workdays.day_removed",
            actor=actor,
            obj=day,
            date=day.date.isoformat(),
            kind=day.kind,
            name=day.name,
        )
    CalendarDay.objects.filter(pk__in=[d.pk for d in removed]).delete()
    if removed:
        _recompute_after_commit(_touched_years(d.date for d in removed), actor)
    return len(removed)
