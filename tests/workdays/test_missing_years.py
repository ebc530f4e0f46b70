"""Administrators are told which year has no holiday schedule loaded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from liaison.workdays import recalculators
from liaison.workdays.context_processors import calendar_warnings
from liaison.workdays.selectors import missing_years

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 10, 31, 12, 0, tzinfo=SHANGHAI), tick=False)
def test_in_october_nothing_is_missing_yet():
    assert missing_years() == []


@time_machine.travel(datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_from_november_next_year_is_missing_until_loaded():
    assert missing_years() == [2027]


def test_today_is_a_parameter_too():
    assert missing_years(today=date(2030, 3, 1)) == [2030]
    assert missing_years(today=date(2025, 11, 20)) == []


@time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_years_that_open_deadlines_reach_are_missing_too():
    def in_use():
        return {2026, 2028}

    recalculators.register_years_in_use(in_use)
    try:
        assert missing_years() == [2028]
    finally:
        recalculators.unregister_years_in_use(in_use)


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@time_machine.travel(datetime(2026, 11, 21, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_banner_is_for_administrators_only(administrator, accounts):
    with translation.override("en"):
        for_admin = render_to_string(
            "workdays/missing_year_banner.html", calendar_warnings(request_for(administrator))
        )
        for_staff = render_to_string(
            "workdays/missing_year_banner.html",
            calendar_warnings(request_for(accounts.station_a_staff)),
        )
        for_anonymous = calendar_warnings(request_for(AnonymousUser()))

    assert "No holiday schedule is loaded for 2027." in for_admin
    assert reverse("admin:workdays_scheduleyear_import") in for_admin
    assert for_staff.strip() == ""
    assert for_anonymous == {"workdays_missing_years": []}


def test_the_context_processor_reads_only_when_the_banner_is_shown(
    administrator, django_assert_num_queries
):
    with django_assert_num_queries(0):
        context = calendar_warnings(request_for(administrator))
    with django_assert_num_queries(1):
        list(context["workdays_missing_years"])


@time_machine.travel(datetime(2026, 11, 21, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_admin_calendar_pages_show_the_banner(admin_client):
    response = admin_client.get(reverse("admin:workdays_calendarday_changelist"))

    assert "No holiday schedule is loaded for 2027." in response.content.decode()


@time_machine.travel(datetime(2026, 11, 21, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_administrators_see_the_banner_on_every_page(client, administrator, accounts):
    client.cookies["django_language"] = "en"
    client.force_login(administrator)
    for url in ["/accounts/", "/admin/", "/admin/directory/station/", "/"]:
        html = client.get(url).content.decode()
        assert html.count("No holiday schedule is loaded for 2027.") == 1, url
    client.force_login(accounts.station_a_staff)
    assert "No holiday schedule" not in client.get("/accounts/").content.decode()
