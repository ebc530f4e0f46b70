"""The schedules the `chinese-calendar` package knows (2004 up to its last release's year).

Plain tuples, no models: the seeding migration uses this as well as the services.
"""

from datetime import date
from typing import NamedTuple

import chinese_calendar

# The package's English names → the names the State Council notices use.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class PackageDay(NamedTuple):
    date: date
    kind: str  # "holiday" or "makeup" (models.DayKind)
    name: str
    year: int  # the schedule (notice) year


def _name(english: str) -> str:
    return CHINESE_NAMES.get(english, english)


def _schedule_year(day: date, name: str) -> int:
    # New Year breaks that start in late December belong to the next year's notice.
    return day.year + 1 if day.month == 12 and name == "元旦" else day.year


def package_years() -> list[int]:
    return sorted({day.year for day in chinese_calendar.holidays})


def package_days(years: set[int] | None = None) -> list[PackageDay]:
    """Every holiday and make-up working day of the package, for the given schedule years.

    Consecutive holiday days share one name, as in the notice ("国庆节、中秋节" for 2025-10-01 to
    10-08, which the package splits into National Day and Mid-autumn Festival); a make-up day takes
    the name of the nearest break it belongs to.
    """
    runs: list[list[tuple[date, str]]] = []
    for day in sorted(chinese_calendar.holidays):
        name = _name(chinese_calendar.holidays[day])
        if runs and (day - runs[-1][-1][0]).days == 1:
            runs[-1].append((day, name))
        else:
            runs.append([(day, name)])

    days: list[PackageDay] = []
    run_names: list[tuple[date, list[str], str]] = []
    for run in runs:
        names = list(dict.fromkeys(name for _day, name in run))
        combined = "、".join(names)
        run_names.append((run[0][0], names, combined))
        year = _schedule_year(run[0][0], names[0])
        days += [PackageDay(day, "holiday", combined, year) for day, _name_ in run]

    for day in sorted(chinese_calendar.workdays):
        name = _name(chinese_calendar.workdays[day])
        if day.weekday() < 5:
            continue  # the package also lists a few ordinary weekdays
        related = [(abs((start - day).days), combined) for start, names, combined in run_names]
        related = [item for item in related if name in item[1].split("、") and item[0] < 60]
        combined = min(related)[1] if related else name
        days.append(PackageDay(day, "makeup", combined, _schedule_year(day, name)))

    if years is not None:
        days = [d for d in days if d.year in years]
    return sorted(days)
