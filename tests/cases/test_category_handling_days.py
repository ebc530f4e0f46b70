"""A department's time to report depends on the category (办理时限); 15 working days if unset."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from liaison.cases import services
from liaison.workdays.deadlines import add_working_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2025, 9, 1, 10, 0, tzinfo=SHANGHAI)


def _assign(flow, district, accounts):
    case = flow.to("to_assign")
    with time_machine.travel(MONDAY, tick=False):
        services.assign_case(
            case, actor=accounts.county_committee, lead_department=district.department_a
        )
    return case.assignments.get(role="lead")


def test_the_default_is_fifteen_working_days(flow, district, accounts):
    assignment = _assign(flow, district, accounts)
    assert assignment.report_days == 15
    assert assignment.report_due_at == add_working_days(MONDAY, 15).due_at


def test_a_category_sets_its_own(flow, district, accounts):
    district.category.handling_days = 5
    district.category.save(update_fields=["handling_days"])
    assignment = _assign(flow, district, accounts)
    assert assignment.report_days == 5
    assert assignment.report_due_at == add_working_days(MONDAY, 5).due_at
