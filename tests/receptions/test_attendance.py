"""Attendance at receptions (出勤): the service, the staff page, and the deputy's own page."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.translation import override

from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent
from liaison.receptions.models import Duty
from liaison.receptions.services import Matter, assign_duty, record_attendance, register_visit

from .days_support import TODAY, rule
from .support import signed_in

pytestmark = pytest.mark.django_db
PAGE = "/staff/receptions/days/attendance/"
MINE = "/staff/receptions/my-duties/"
MONDAY, NEXT_MONDAY = date(2025, 9, 29), date(2025, 10, 13)
AFTER = "2025-09-30 10:00 +0800"  # the day after the first reception


@pytest.fixture
def duties(district, accounts):
    """dep_a and dep_shared on duty on Monday 29 September; dep_a again on 13 October."""
    staff = accounts.station_a_staff
    with time_machine.travel(TODAY, tick=False):
        rule(district.station_a, staff, weekday=0)
        made = [
            assign_duty(
                station=district.station_a, date=day, start_time=time(9), deputy=dep, actor=staff
            )
            for day, dep in [
                (MONDAY, district.dep_a),
                (MONDAY, district.dep_shared),
                (NEXT_MONDAY, district.dep_a),
            ]
        ]
    return made


@pytest.fixture
def after():
    with time_machine.travel(AFTER, tick=False), override("en"):
        yield


def test_staff_record_attendance_after_the_reception(duties, accounts, after):
    duty = record_attendance(duties[0], True, actor=accounts.station_a_staff)
    assert duty.attended is True and duty.attendance_recorded_at is not None
    corrected = record_attendance(duties[0], False, actor=accounts.county_committee)
    assert corrected.attended is False
    events = AuditEvent.objects.filter(verb="duty.attendance_recorded").order_by("pk")
    assert [(e.data["attended"], e.data["previous"]) for e in events] == [
        (True, None),
        (False, True),
    ]


def test_on_the_day_itself_attendance_may_be_recorded(duties, accounts):
    with time_machine.travel("2025-09-29 11:45 +0800", tick=False):
        assert record_attendance(duties[0], True, actor=accounts.station_a_staff).attended


def test_a_future_reception_is_refused(duties, accounts, after):
    with pytest.raises(ValidationError, match="has not taken place yet"):
        record_attendance(duties[2], True, actor=accounts.station_a_staff)
    duties[2].refresh_from_db()
    assert duties[2].attended is None and duties[2].attendance_recorded_at is None


@pytest.mark.parametrize("who", ["station_b_staff", "deputy_a", "handler_a"])
def test_out_of_scope_accounts_are_refused(duties, accounts, after, who):
    with pytest.raises(NotAllowed):
        record_attendance(duties[0], True, actor=getattr(accounts, who))
    assert not Duty.objects.filter(attended__isnull=False).exists()
    assert not AuditEvent.objects.filter(verb="duty.attendance_recorded").exists()


def _visit(district, accounts, day):
    return register_visit(
        actor=accounts.station_a_staff,
        station=district.station_a,
        visitor_name="陈女士",
        visitor_phone="13912345678",
        matters=[Matter(district.category, "路灯不亮", "路灯不亮，请代表关注。")],
        privacy_accepted=True,
        deputies=[district.dep_a],
        received_on=day,
    )


def test_page_lists_past_receptions_with_duties_and_visits(client, district, accounts, duties):
    with time_machine.travel(AFTER, tick=False):
        _visit(district, accounts, MONDAY)
        _visit(district, accounts, MONDAY)
        response = signed_in(client, accounts.station_a_staff).get(f"{PAGE}?month=2025-09")
        future = client.get(f"{PAGE}?month=2025-10")
    assert response.status_code == 200
    receptions = response.context["receptions"]  # every Monday of September, newest first
    assert [r.date.day for r in receptions] == [29, 22, 15, 8, 1]
    reception = receptions[0]
    assert reception.visit_count == 2 and receptions[1].visit_count == 0
    assert {d.deputy for d in reception.duties} == {district.dep_a, district.dep_shared}
    text = response.content.decode()
    assert f'name="duty-{duties[0].pk}"' in text and "2 visits registered that day" in text
    assert response.context["unrecorded"] == 2
    # A month not begun shows the current one; there is no "next month" link.
    assert future.context["month"] == date(2025, 9, 1) and future.context["next_month"] is None


def test_page_records_who_came(client, district, accounts, duties):
    client = signed_in(client, accounts.station_a_staff)
    data = {
        "reception": "2025-09-29T09:00",
        f"duty-{duties[0].pk}": "came",
        f"duty-{duties[1].pk}": "absent",
    }
    with time_machine.travel(AFTER, tick=False):
        response = client.post(f"{PAGE}?station={district.station_a.pk}&month=2025-09", data)
    assert response.status_code == 302
    assert response["Location"].endswith("#r-2025-09-29T09:00")
    assert [d.attended for d in Duty.objects.order_by("pk")] == [True, False, None]


def test_page_refuses_a_bad_choice_and_a_future_reception(client, district, accounts, duties):
    client = signed_in(client, accounts.station_a_staff)
    with time_machine.travel(AFTER, tick=False):
        bad = {"reception": "2025-09-29T09:00", f"duty-{duties[0].pk}": "maybe"}
        assert client.post(PAGE, bad).status_code == 400
        future = {"reception": "2025-10-13T09:00", f"duty-{duties[2].pk}": "came"}
        response = client.post(PAGE, future)
        assert response.status_code == 400
        assert "has not taken place yet" in response.content.decode()
        unknown = {"reception": "2025-09-30T09:00", f"duty-{duties[0].pk}": "came"}
        assert client.post(PAGE, unknown).status_code == 400
        assert client.post(PAGE, {"reception": "rubbish"}).status_code == 400
    assert not Duty.objects.filter(attended__isnull=False).exists()


def test_page_scope(client, district, accounts, duties):
    data = {"reception": "2025-09-29T09:00", f"duty-{duties[0].pk}": "came"}
    with time_machine.travel(AFTER, tick=False):
        other = signed_in(client, accounts.station_b_staff)
        assert other.get(f"{PAGE}?station={district.station_a.pk}").status_code == 403
        assert other.post(f"{PAGE}?station={district.station_a.pk}", data).status_code == 403
        # Their own station has no such reception: nothing of station A changes.
        assert other.post(PAGE, data).status_code == 400
        assert signed_in(client, accounts.deputy_a).get(PAGE).status_code == 403
    assert not Duty.objects.filter(attended__isnull=False).exists()


def test_deputy_sees_past_attendance_and_visitors_received(client, district, accounts, duties):
    with time_machine.travel(AFTER, tick=False):
        record_attendance(duties[0], True, actor=accounts.station_a_staff)
        _visit(district, accounts, MONDAY)
        response = signed_in(client, accounts.deputy_a).get(MINE)
    assert response.status_code == 200
    [past] = response.context["page_obj"].object_list
    assert past == duties[0] and past.attended is True and past.visit_count == 1
    assert [d.date for d in response.context["duties"]] == [NEXT_MONDAY]
    assert (response.context["attended_count"], response.context["received_count"]) == (1, 1)
    text = response.content.decode()
    assert "attendance-came" in text and "1 visitor received that day" in text
