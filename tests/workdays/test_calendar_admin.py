"""Administrators correct single days in the admin; each change is audited and recomputes."""

from datetime import date

from django.urls import reverse

from liaison.core.models import AuditEvent
from liaison.workdays.deadlines import is_working_day
from liaison.workdays.models import CalendarDay, ScheduleYear


def test_an_administrator_adds_a_holiday(
    admin_client, administrator, recalculated, django_capture_on_commit_callbacks
):
    url = reverse("admin:workdays_calendarday_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"date": "2027-03-08", "kind": "holiday", "name": "特别假日", "year": ""}
        )

    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2027, 3, 8))
    assert day.year == 2027
    assert not is_working_day(date(2027, 3, 8))
    assert AuditEvent.objects.get(verb="workdays.day_added").actor == administrator
    assert recalculated == [({2027}, administrator)]


def test_a_make_up_day_on_a_weekday_is_refused(admin_client):
    url = reverse("admin:workdays_calendarday_add")
    response = admin_client.post(
        url, {"date": "2027-03-08", "kind": "makeup", "name": "特别", "year": "2027"}
    )

    assert response.status_code == 200
    assert "always a Saturday or a Sunday" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2027, 3, 8)).exists()


def test_moving_a_day_recomputes_both_years(
    admin_client, administrator, recalculated, django_capture_on_commit_callbacks
):
    day = CalendarDay.objects.get(date=date(2026, 10, 7))
    url = reverse("admin:workdays_calendarday_change", args=[day.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"date": "2027-10-07", "kind": "holiday", "name": "国庆节", "year": "2027"}
        )

    assert response.status_code == 302
    assert is_working_day(date(2026, 10, 7))
    assert recalculated == [({2026, 2027}, administrator)]
    event = AuditEvent.objects.get(verb="workdays.day_changed")
    assert event.data["previous"]["date"] == "2026-10-07"


def test_deleting_days_makes_them_ordinary_and_is_audited(
    admin_client, recalculated, django_capture_on_commit_callbacks
):
    days = CalendarDay.objects.filter(date__range=(date(2026, 10, 1), date(2026, 10, 2)))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:workdays_calendarday_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [d.pk for d in days],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert is_working_day(date(2026, 10, 1)) and is_working_day(date(2026, 10, 2))
    assert AuditEvent.objects.filter(verb="workdays.day_removed").count() == 2
    assert recalculated[0][0] == {2026}


def test_a_year_entered_by_hand_is_marked_loaded(
    admin_client, administrator, recalculated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:workdays_scheduleyear_add"), {"year": "2027", "note": "手工录入"}
        )

    assert response.status_code == 302
    schedule = ScheduleYear.objects.get(year=2027)
    assert (schedule.source, schedule.loaded_by) == ("manual", administrator)
    assert recalculated == [({2027}, administrator)]


def test_a_year_already_loaded_or_out_of_range_is_refused(admin_client):
    url = reverse("admin:workdays_scheduleyear_add")
    for year in ("2026", "1999"):
        response = admin_client.post(url, {"year": year, "note": ""})

        assert response.status_code == 200
        assert response.context["adminform"].form.errors["year"]
    assert ScheduleYear.objects.get(year=2026).source == "package"
    assert not ScheduleYear.objects.filter(year=1999).exists()


def test_the_schedule_list_counts_days_and_warns_of_missing_years(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:workdays_scheduleyear_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Import a State Council notice" in page
    row = next(r for r in response.context["cl"].result_list if r.year == 2025)
    assert (row.n_holidays, row.n_makeup) == (1 + 8 + 3 + 5 + 3 + 8, 5)


def test_schedules_are_never_deleted(admin_client):
    schedule = ScheduleYear.objects.get(year=2025)
    response = admin_client.post(
        reverse("admin:workdays_scheduleyear_delete", args=[schedule.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ScheduleYear.objects.filter(year=2025).exists()
