"""Helpers for the reception-day tests: rules saved through the service."""

from datetime import date, time

from liaison.receptions.models import OnHoliday, ReceptionRule, RuleKind
from liaison.receptions.services import save_rule

# 2025-09-25 is a Thursday; the National Day break is 1–8 October 2025.
TODAY = "2025-09-25 10:00 +0800"


def rule(station, actor, *, kind=RuleKind.WEEKLY, on_holiday=OnHoliday.NEXT_WORKING_DAY, **fields):
    values = {
        "weekday": 0 if kind == RuleKind.WEEKLY else None,
        "start_time": time(9),
        "end_time": time(11, 30),
        "place": "联络站一楼接待室",
        "valid_from": date(2025, 1, 1),
    }
    values.update(fields)
    return save_rule(
        ReceptionRule(station=station, kind=kind, on_holiday=on_holiday, **values), actor=actor
    )
