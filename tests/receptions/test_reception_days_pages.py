"""The reception-days staff page, a deputy's own duties, and the public station page."""

from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.receptions.models import Duty, ReceptionRule
from liaison.receptions.services import assign_duty

from .days_support import TODAY, rule
from .support import signed_in

pytestmark = pytest.mark.django_db
PAGE = "/staff/receptions/days/"
MINE = "/staff/receptions/my-duties/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def roster(district, accounts):
    staff = accounts.station_a_staff
    rule(district.station_a, staff, weekday=0)
    for day in (date(2025, 9, 29), date(2025, 10, 9)):
        assign_duty(
            station=district.station_a,
            date=day,
            start_time=time(9),
            deputy=district.dep_a,
            actor=staff,
        )
    return staff


def test_staff_page_lists_upcoming_receptions_with_duty_deputies(client, district, roster):
    response = signed_in(client, roster).get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "2025-09-29" in text
        and "2025-10-09" in text
        and "2025-10-06" not in text.split("Put a deputy")[0]
    )
    assert "张明华" in text
    assert len(response.context["occurrences"]) == 4  # 29 Sep, 9, 13, 20 Oct


def test_staff_page_adds_a_rule_and_refuses_an_overlap(client, district, roster):
    client = signed_in(client, roster)
    data = {
        "action": "rule",
        "rule-kind": "weekly",
        "rule-weekday": "2",
        "rule-start_time": "14:00",
        "rule-end_time": "16:00",
        "rule-valid_from": "2025-09-01",
        "rule-on_holiday": "skip",
    }
    assert client.post(PAGE, data).status_code == 302
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert "overlaps" in response.content.decode()
    assert ReceptionRule.objects.count() == 2


def test_staff_page_assigns_and_swaps(client, district, roster):
    client = signed_in(client, roster)
    data = {
        "action": "assign",
        "assign-date": "2025-10-13",
        "assign-start_time": "09:00",
        "assign-deputy": district.dep_shared.pk,
    }
    assert client.post(PAGE, data).status_code == 302
    duty = Duty.objects.get(date=date(2025, 10, 13))
    swap = {"action": "swap", "swap-duty": duty.pk, "swap-to_deputy": district.dep_a.pk}
    assert client.post(PAGE, swap).status_code == 302
    duty.refresh_from_db()
    assert duty.deputy == district.dep_a
    bad = {**data, "assign-date": "2025-10-14"}
    response = client.post(PAGE, bad)
    assert response.status_code == 400
    assert "no reception on this day" in response.content.decode()


def test_deputy_from_elsewhere_is_not_offered(client, district, roster):
    client = signed_in(client, roster)
    data = {
        "action": "assign",
        "assign-date": "2025-10-13",
        "assign-start_time": "09:00",
        "assign-deputy": district.dep_b.pk,
    }
    assert client.post(PAGE, data).status_code == 400
    assert not Duty.objects.filter(deputy=district.dep_b).exists()


def test_other_station_staff_see_only_their_own_station(client, district, accounts, roster):
    response = signed_in(client, accounts.station_b_staff).get(
        f"{PAGE}?station={district.station_a.pk}"
    )
    assert response.context["station"] == district.station_b
    assert "张明华" not in response.content.decode()


@pytest.mark.parametrize("who", ["deputy_a", "handler_a"])
def test_deputies_and_departments_may_not_manage(client, accounts, roster, who):
    assert signed_in(client, getattr(accounts, who)).get(PAGE).status_code == 403


def test_deputy_sees_own_upcoming_duties(client, district, accounts, roster):
    response = signed_in(client, accounts.deputy_a).get(MINE)
    assert response.status_code == 200
    assert [d.date for d in response.context["duties"]] == [date(2025, 9, 29), date(2025, 10, 9)]
    assert signed_in(client, roster).get(MINE).status_code == 403


def test_public_station_page_lists_upcoming_days_and_duty_deputies(client, district, roster):
    client.cookies["django_language"] = "en"
    response = client.get(district.station_a.get_absolute_url())
    text = response.content.decode()
    assert "Upcoming reception days" in text
    days = [o.date for o in response.context["receptions"]]
    assert days[:3] == [date(2025, 9, 29), date(2025, 10, 9), date(2025, 10, 13)]
    assert "张明华" in text.split("Upcoming reception days")[1].split("Deputies at this station")[0]


def test_query_counts_do_not_grow_with_rules_and_duties(client, district, accounts, roster):
    client.cookies["django_language"] = "en"
    url = district.station_a.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    staff = accounts.station_a_staff
    rule(district.station_a, staff, weekday=2, start_time=time(14), end_time=time(16))
    rule(district.station_a, staff, weekday=4, start_time=time(14), end_time=time(16))
    for day in (date(2025, 10, 13), date(2025, 10, 20)):
        for deputy in (district.dep_a, district.dep_shared):
            assign_duty(
                station=district.station_a, date=day, start_time=time(9), deputy=deputy, actor=staff
            )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    signed_in(client, staff)
    with CaptureQueriesContext(connection) as staff_page:
        client.get(PAGE)
    assert len(staff_page) <= 20
