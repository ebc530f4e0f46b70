"""Seed the calendar with every year the chinese-calendar package knows (2004–2026 in 1.11).

Later releases of the package with more years are loaded by `liaison load_holidays --package`
(idempotent), or a year is imported from its State Council notice in the admin.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from liaison.workdays import package

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    ScheduleYear = apps.get_model("workdays", "ScheduleYear")
    years = set(package.package_years()) - set(ScheduleYear.objects.values_list("year", flat=True))
    days = package.package_days(years)
    taken = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d.date, kind=d.kind, name=d.name, year=d.year)
        for d in days
        if d.date not in taken
    )
    now = timezone.now()
    ScheduleYear.objects.bulk_create(
        ScheduleYear(year=year, source="package", loaded_at=now) for year in sorted(years)
    )


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    ScheduleYear = apps.get_model("workdays", "ScheduleYear")
    years = list(ScheduleYear.objects.filter(source="package").values_list("year", flat=True))
    CalendarDay.objects.filter(year__in=years).delete()
    ScheduleYear.objects.filter(year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
