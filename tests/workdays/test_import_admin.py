"""The admin page to enter a year's State Council notice: check, then save; administrators only."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.core.models import AuditEvent
from liaison.workdays import services
from liaison.workdays.deadlines import is_working_day
from liaison.workdays.models import CalendarDay, ScheduleYear

from .conftest import NOTICE_2027

URL = reverse("admin:workdays_scheduleyear_import")


def post(client, text=NOTICE_2027, year=2027, **extra):
    return client.post(URL, {"year": year, "text": text, "note": "测试通知第1号", **extra})


def test_the_page_shows_the_format_with_an_example(admin_client):
    response = admin_client.get(URL)

    assert response.status_code == 200
    assert "调休上班" in response.content.decode()


def test_check_shows_the_schedule_with_weekdays_and_saves_nothing(admin_client):
    response = post(admin_client, check="1")

    assert response.status_code == 200
    assert response.context["preview"]
    page = response.content.decode()
    assert "2027-01-31 (Sunday)" in page and "2027-02-20 (Saturday)" in page
    assert 'name="save"' in page
    assert not ScheduleYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(year=2027).exists()


def test_save_loads_the_year_and_is_audited(admin_client, administrator):
    response = post(admin_client, save="1")

    assert response.status_code == 302
    schedule = ScheduleYear.objects.get(year=2027)
    assert (schedule.source, schedule.loaded_by, schedule.note) == (
        "notice",
        administrator,
        "测试通知第1号",
    )
    assert CalendarDay.objects.filter(year=2027, kind="holiday").count() == 3 + 7
    assert not is_working_day(date(2027, 2, 8))
    assert is_working_day(date(2027, 1, 31))  # Sunday worked
    event = AuditEvent.objects.get(verb="workdays.year_loaded", object_id=str(schedule.pk))
    assert event.actor == administrator
    assert event.data["holidays"][1]["makeup_days"] == ["2027-01-31", "2027-02-20"]


def test_bad_lines_are_listed_and_nothing_is_saved(admin_client):
    text = "元旦: 01-01~01-03\n春节: 02-05~02-11; 调休上班 02-01\n端午节: 06-31\n"

    response = post(admin_client, text=text, save="1")

    assert response.status_code == 400
    errors = [(e.line, e.text) for e in response.context["line_errors"]]
    assert errors == [(2, "春节: 02-05~02-11; 调休上班 02-01"), (3, "端午节: 06-31")]
    page = response.content.decode()
    assert "2 lines have problems: nothing was saved." in page
    assert "a make-up working day is always a Saturday or a Sunday" in page
    assert not ScheduleYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(year=2027).exists()


def test_a_loaded_year_is_replaced_only_when_asked(admin_client):
    response = post(admin_client, text="国庆节: 10-01~10-07", year=2026, save="1")

    assert response.status_code == 400
    assert "already loaded" in response.content.decode()
    assert CalendarDay.objects.filter(year=2026).count() > 20  # unchanged

    response = post(admin_client, text="国庆节: 10-01~10-07", year=2026, save="1", replace="on")

    assert response.status_code == 302
    assert CalendarDay.objects.filter(year=2026).count() == 7
    assert ScheduleYear.objects.get(year=2026).source == "notice"
    assert is_working_day(date(2026, 2, 16))  # the old Spring Festival is gone


def test_a_day_already_in_another_years_schedule_is_a_clash(admin_client, administrator):
    services.save_day(
        CalendarDay(date=date(2026, 12, 26), kind="makeup", name="元旦", year=2026),
        actor=administrator,
    )

    response = post(admin_client, text="元旦: 01-01~01-03; 调休上班 2026-12-26", save="1")

    assert response.status_code == 400
    [error] = response.context["line_errors"]
    assert error.line == 1
    assert error.message == (
        "2026-12-26 is already in the calendar as make-up working day (元旦) of the 2026 schedule."
    )
    assert not ScheduleYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    "data", [{"year": "", "text": "元旦: 01-01"}, {"year": "1890", "text": "元旦: 01-01"}]
)
def test_a_missing_or_impossible_year_is_refused(admin_client, data):
    response = admin_client.post(URL, {**data, "save": "1"})

    assert response.status_code == 400
    assert response.context["form"].errors["year"]
    assert not CalendarDay.objects.filter(year=1890).exists()


def test_non_administrators_are_refused(client, accounts):
    for user in (accounts.county_committee, accounts.station_a_staff, accounts.deputy_a):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client.force_login(user)

        assert client.get(URL).status_code == 403
        assert post(client, save="1").status_code == 403
        changelist = reverse("admin:workdays_calendarday_changelist")
        assert client.get(changelist).status_code == 403
    assert not ScheduleYear.objects.filter(year=2027).exists()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
