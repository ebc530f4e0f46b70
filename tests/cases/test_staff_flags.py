"""Yellow (due within 1 working day) and red (overdue) flags, in the queues and on the case page,
on the statutory calendar."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .staff_pages import PHONE_CALL, detail_url, signed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def case(flow):
    with at("2025-09-22"):  # Monday: the review is due by the end of Wednesday 09-24
        return flow.submit(**PHONE_CALL)


@pytest.mark.parametrize(
    ("day", "flag", "tab"),
    [
        ("2025-09-22", "", None),
        ("2025-09-23", "yellow", "soon"),  # due by the end of the next working day
        ("2025-09-24", "yellow", "soon"),  # due today
        ("2025-09-25", "red", "overdue"),
    ],
)
def test_flags(client, accounts, case, day, flag, tab):
    signed_in(client, accounts.station_a_staff)
    with at(day):
        response = client.get("/staff/cases/")
        assert response.context["rows"] == [(case, flag)]
        tabs = {key: count for key, _label, count, _link in response.context["tabs"]}
        assert tabs["soon"] == (1 if tab == "soon" else 0)
        assert tabs["overdue"] == (1 if tab == "overdue" else 0)
        page = response.content.decode()
        detail = client.get(detail_url(case)).content.decode()
        if tab:
            in_tab = client.get(f"/staff/cases/?tab={tab}")
            assert in_tab.context["rows"] == [(case, flag)]
    label = {"yellow": "Due within 1 working day", "red": "Overdue"}.get(flag)
    for html in (page, detail):
        assert ('class="flag flag-yellow"' in html) == (flag == "yellow")
        assert ('class="flag flag-red"' in html) == (flag == "red")
        if label:
            assert label in html


def test_due_soon_counts_working_days_not_calendar_days(client, flow, accounts):
    # Accepted Thu 2025-10-09: reply due Mon 10-13 (Sat 10-11 is a make-up working day).
    with at("2025-10-09"):
        case = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.deputy_a)
    with at("2025-10-13"):  # Monday: due today
        assert client.get("/staff/cases/?tab=soon").context["rows"] == [(case, "yellow")]
    with at("2025-10-10"):  # Friday: the next working day is Saturday, not Monday
        assert client.get("/staff/cases/?tab=soon").context["rows"] == []


def test_deadline_explained_on_the_case_page(client, flow, accounts):
    with at("2025-09-26"):
        case = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    with at("2025-09-26", 11):
        page = client.get(detail_url(case)).content.decode()
    assert "How this date was counted" in page
    assert "Make-up working days counted" in page  # Sunday 09-28
