"""Issue 17: what a submission is checked against — the application key, the deputy and their
stations, the category, the working-day calendar — comes from the process's memory
(core/versions.Memo) until it changes; every change shows at the next submission."""

from datetime import date
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.api.keys import create_key, revoke_key
from liaison.cases.models import Case
from liaison.core import versions
from liaison.directory import services as directory_services
from liaison.workdays import services as workdays_services
from liaison.workdays.models import CalendarDay
from tests.api.test_cases_public import body

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/cases/"


@pytest.fixture
def api(settings):
    settings.API_THROTTLE_ANON = settings.API_THROTTLE_USER = "100000/min"
    client = APIClient()
    key, raw = create_key(name="12345 hotline", scopes=["cases:submit"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.key = key
    return client


def submit(api, district, phone, **overrides):
    return api.post(URL, body(district, citizen_phone=phone, **overrides), format="json")


def test_a_revoked_key_is_refused_at_once(api, district, accounts):
    assert submit(api, district, "13900000001").status_code == 201
    revoke_key(api.key, actor=accounts.administrator)
    assert submit(api, district, "13900000002").status_code == 401


@pytest.mark.parametrize("field", ["deputy", "category"])
def test_a_deactivated_deputy_or_category_is_refused_at_once(api, district, accounts, field):
    assert submit(api, district, "13900000001").status_code == 201
    entry = district.dep_a if field == "deputy" else district.category
    directory_services.set_active(entry, False, actor=accounts.administrator)
    response = submit(api, district, "13900000002")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_a_deputy_moved_to_another_station_files_there(api, district, accounts):
    assert submit(api, district, "13900000001").json()["status"] == "submitted"
    directory_services.set_deputy_stations(
        district.dep_a, [district.station_b], actor=accounts.administrator
    )
    assert submit(api, district, "13900000002").status_code == 201
    assert Case.objects.get(citizen_phone="13900000002").station == district.station_b


@pytest.mark.parametrize("how", ["service", "orm"])
def test_a_new_holiday_moves_the_next_deadline(api, district, accounts, how):
    assert submit(api, district, "13900000001").status_code == 201
    first = Case.objects.get(citizen_phone="13900000001").due_at
    day = timezone.localtime(first).date()
    holiday = CalendarDay(date=day, kind="holiday", name="测试假日", year=day.year)
    if how == "service":
        workdays_services.save_day(holiday, actor=accounts.administrator)
    else:  # the admin or a data migration: the rows' own signal
        holiday.save()
    assert submit(api, district, "13900000002").status_code == 201
    second = Case.objects.get(citizen_phone="13900000002").due_at
    assert timezone.localtime(second).date() > day >= date(2020, 1, 1)


def test_a_submission_reads_the_tokens_of_all_it_remembers_at_once(api, district):
    """The key, the deputy, the category and the calendar: one cache read for their tokens."""
    assert submit(api, district, "13900000001").status_code == 201
    with mock.patch.object(versions, "tokens", wraps=versions.tokens) as read:
        assert submit(api, district, "13900000002").status_code == 201
    remembered = set(versions._MEMO_KEYS)
    memo_reads = [call for call in read.call_args_list if remembered & set(call.args[0])]
    assert len(memo_reads) == 1
