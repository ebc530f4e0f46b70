"""The text format for a State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

One line per holiday, as the notice lists them::

    元旦: 01-01~01-03; 调休上班 01-04
    春节: 02-15~02-23; 调休上班 02-14, 02-28
    国庆节、中秋节: 10-01~10-08; 调休上班 09-28, 10-11

- before the colon: the holiday's name as the notice writes it;
- then the days off: one range `MM-DD~MM-DD` or one day `MM-DD` (several, separated by commas,
  are allowed);
- optionally, after a semicolon, `调休上班` and the make-up working days (Saturdays or Sundays).

A date without a year is in the notice's year. A date in the adjacent year is written in full,
`2011-12-31`, and must be within a month of the new year. `10月1日`, `10/1` and full-width
punctuation (：；，～) are accepted too, and `至` for the range. Blank lines and lines starting
with # are ignored.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .models import is_weekend

MAX_BREAK_DAYS = 15  # the longest break ever announced is 10 days (Spring Festival 2020)
ADJACENT_DAYS = 31  # how far into the neighbouring year a notice reaches (New Year breaks)
MAKEUP_WORDS = ("调休上班", "上班", "调休", "make-up", "makeup", "workdays", "working days")

DATE_RE = re.compile(r"^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?$")
RANGE_RE = re.compile(r"\s*(?:~|～|至|到|—|–)\s*")
NORMALISE = str.maketrans({"：": ":", "；": ";", "，": ",", "、": ",", "　": " "})


@dataclass
class NoticeHoliday:
    line: int
    name: str
    days_off: list[date] = field(default_factory=list)
    makeup_days: list[date] = field(default_factory=list)


@dataclass
class LineError:
    line: int  # 0: the notice as a whole
    text: str
    message: str


class NoticeError(Exception):
    def __init__(self, errors: list[LineError]):
        super().__init__("; ".join(f"{e.line}: {e.message}" for e in errors))
        self.errors = errors


def weekday_name(day: date) -> str:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ][day.weekday()]


class _LineProblem(Exception):
    pass


def _parse_date(text: str, year: int) -> date:
    match = DATE_RE.match(text.strip())
    if not match:
        raise _LineProblem(
            _("“%(text)s” is not a date; write it as MM-DD, for example 10-01.") % {"text": text}
        )
    full_year = int(match[1]) if match[1] else year
    try:
        day = date(full_year, int(match[2]), int(match[3]))
    except ValueError:
        raise _LineProblem(
            _("“%(text)s” is not a date of the calendar.") % {"text": text}
        ) from None
    if day.year != year:
        first, last = date(year, 1, 1), date(year, 12, 31)
        if not (
            first - timedelta(days=ADJACENT_DAYS) <= day <= last + timedelta(days=ADJACENT_DAYS)
        ):
            raise _LineProblem(
                _("%(date)s is not in %(year)s nor within a month of it.")
                % {"date": day.isoformat(), "year": year}
            )
    return day


def _parse_days_off(text: str, year: int) -> list[date]:
    days: list[date] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        ends = RANGE_RE.split(part)
        if len(ends) > 2:
            raise _LineProblem(_("“%(text)s” is not a range of dates.") % {"text": part})
        first = _parse_date(ends[0], year)
        last = _parse_date(ends[-1], year)
        if last < first:
            raise _LineProblem(_("The range “%(text)s” ends before it starts.") % {"text": part})
        if (last - first).days >= MAX_BREAK_DAYS:
            raise _LineProblem(
                _("The range “%(text)s” is longer than %(days)s days; please check it.")
                % {"text": part, "days": MAX_BREAK_DAYS}
            )
        days += [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if not days:
        raise _LineProblem(_("The days off are missing after the colon."))
    return days


def _parse_makeup(text: str, year: int) -> list[date]:
    lowered = text.strip()
    for word in MAKEUP_WORDS:
        if lowered.lower().startswith(word):
            lowered = lowered[len(word) :]
            break
    else:
        raise _LineProblem(_("After the semicolon, write “调休上班” and the make-up working days."))
    days = []
    for part in filter(None, (p.strip() for p in lowered.strip(" :").split(","))):
        day = _parse_date(part, year)
        if not is_weekend(day):
            raise _LineProblem(
                _(
                    "%(date)s is a %(weekday)s: a make-up working day is always a Saturday or "
                    "a Sunday."
                )
                % {"date": day.isoformat(), "weekday": weekday_name(day)}
            )
        days.append(day)
    if not days:
        raise _LineProblem(_("The make-up working days are missing after “调休上班”."))
    return days


def _parse_line(number: int, text: str, year: int) -> NoticeHoliday:
    line = text.translate(NORMALISE).strip()
    name, colon, rest = line.partition(":")
    name = name.strip()
    if not colon or not name:
        raise _LineProblem(
            _("Write the holiday's name, a colon, then the days off, e.g. “国庆节: 10-01~10-07”.")
        )
    if len(name) > 100:
        raise _LineProblem(_("The holiday's name is too long."))
    off_text, _semicolon, makeup_text = rest.partition(";")
    holiday = NoticeHoliday(number, name.replace(",", "、"))
    holiday.days_off = _parse_days_off(off_text, year)
    if makeup_text.strip():
        holiday.makeup_days = _parse_makeup(makeup_text, year)
    if not any(day.year == year for day in holiday.days_off):
        raise _LineProblem(_("None of these days off is in %(year)s.") % {"year": year})
    return holiday


def parse_notice(year: int, text: str) -> list[NoticeHoliday]:
    """The holidays of the notice; raises NoticeError listing the problem of every bad line."""
    holidays: list[NoticeHoliday] = []
    errors: list[LineError] = []
    seen: dict[date, NoticeHoliday] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            holiday = _parse_line(number, raw, year)
            for day in [*holiday.days_off, *holiday.makeup_days]:
                if day in seen:
                    other = seen[day]
                    raise _LineProblem(
                        _("%(date)s is already listed on line %(line)s (%(name)s).")
                        % {"date": day.isoformat(), "line": other.line, "name": other.name}
                    )
                seen[day] = holiday
        except _LineProblem as problem:
            errors.append(LineError(number, raw.strip(), str(problem)))
            continue
        holidays.append(holiday)
    if not holidays and not errors:
        errors.append(LineError(0, "", _("The notice has no holidays: write one line each.")))
    if errors:
        raise NoticeError(errors)
    return holidays
