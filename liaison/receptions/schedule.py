"""Reception days computed from the rules (接待日): which day each rule falls on, moved or
skipped when that day is not a working day per liaison.workdays (make-up days count as working).

Reads: the rules (1 query), the calendar (2 queries), the duties and the guests (1 query each) —
whatever the range."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from liaison.workdays.deadlines import Calendar

from .models import Duty, OnHoliday, ReceptionGuest, ReceptionRule, RuleKind

# A rule's day may move forward over the longest break (9 days) plus a weekend.
LOOKBACK = timedelta(days=15)


@dataclass
class Occurrence:
    date: date
    start_time: time
    end_time: time
    place: str
    rule: ReceptionRule
    moved_from: date | None = None
    duties: list = field(default_factory=list)
    guests: list = field(default_factory=list)  # 联合接待: officials, police, lawyers, …

    @property
    def deputies(self):
        return [duty.deputy for duty in self.duties if duty.deputy.is_active]


def nominal_days(rule: ReceptionRule, first: date, last: date):
    """The rule's own days in [first, last] and within its validity, before any moving."""
    first = max(first, rule.valid_from)
    if rule.valid_until:
        last = min(last, rule.valid_until)
    if first > last:
        return
    if rule.kind == RuleKind.CUSTOM:
        if rule.date and first <= rule.date <= last:
            yield rule.date
        return
    day = first
    while day <= last:
        weekly = rule.kind == RuleKind.WEEKLY and day.weekday() == rule.weekday
        if weekly or (rule.kind == RuleKind.MONTHLY and day.day == rule.day_of_month):
            yield day
        day += timedelta(days=1)


def rule_days(rule: ReceptionRule, first: date, last: date, calendar: Calendar):
    """(actual day, nominal day) of the rule's receptions that land in [first, last]."""
    calendar.ensure(first - LOOKBACK, last + LOOKBACK)
    for nominal in nominal_days(rule, first - LOOKBACK, last):
        day = nominal
        if not calendar.status(day)[0]:
            if rule.on_holiday == OnHoliday.SKIP:
                continue
            day += timedelta(days=1)
            while not calendar.status(day)[0]:
                day += timedelta(days=1)
        if first <= day <= last:
            yield day, nominal


def occurrences(rules, first: date, last: date, calendar: Calendar | None = None):
    """Merged, sorted, one per (date, start time) — the first rule by id wins a tie."""
    calendar = calendar or Calendar()
    found: dict[tuple[date, time], Occurrence] = {}
    for rule in sorted(rules, key=lambda r: r.pk or 0):
        for day, nominal in rule_days(rule, first, last, calendar):
            found.setdefault(
                (day, rule.start_time),
                Occurrence(
                    date=day,
                    start_time=rule.start_time,
                    end_time=rule.end_time,
                    place=rule.place,
                    rule=rule,
                    moved_from=nominal if nominal != day else None,
                ),
            )
    return [found[key] for key in sorted(found)]


def upcoming_receptions(station, *, start: date, days: int = 30) -> list[Occurrence]:
    """The station's reception days from `start` for `days` days, each with its deputies on duty
    and its guests."""
    last = start + timedelta(days=days - 1)
    rules = ReceptionRule.objects.filter(station=station, is_active=True)
    result = occurrences(list(rules), start, last)
    if result:
        by_key = {(o.date, o.start_time): o for o in result}
        duties = (
            Duty.objects.filter(station=station, date__range=(start, last))
            .select_related("deputy")
            .order_by("deputy__name")
        )
        for duty in duties:
            occurrence = by_key.get((duty.date, duty.start_time))
            if occurrence is not None:
                occurrence.duties.append(duty)
        for guest in ReceptionGuest.objects.filter(station=station, date__range=(start, last)):
            occurrence = by_key.get((guest.date, guest.start_time))
            if occurrence is not None:
                occurrence.guests.append(guest)
    return result


def upcoming_by_station(stations, *, start: date, days: int = 30) -> dict[int, list[Occurrence]]:
    """The reception days of many stations at once (without their duties): one query for the
    rules and one calendar, however many stations."""
    last = start + timedelta(days=days - 1)
    calendar = Calendar()
    rules: dict[int, list[ReceptionRule]] = {}
    for rule in ReceptionRule.objects.filter(station__in=stations, is_active=True):
        rules.setdefault(rule.station_id, []).append(rule)
    return {
        station_id: occurrences(station_rules, start, last, calendar)
        for station_id, station_rules in rules.items()
    }
