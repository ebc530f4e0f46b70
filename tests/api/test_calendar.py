import pytest

from liaison.workdays.models import CalendarDay, DayKind

URL = "/api/v1/calendar/add-working-days"


def test_issue_example_across_the_national_day_makeup_sunday(api, db):
    # 2025-09-28 (a Sunday) is a make-up working day before the National Day break.
    response = api.get(URL, {"from": "2025-09-26", "days": "3"})
    assert response.status_code == 200
    assert response.json() == {"date": "2025-09-30", "provisional": False}


def test_across_the_national_day_break(api, db):
    assert api.get(URL, {"from": "2025-09-30", "days": "1"}).json() == {
        "date": "2025-10-09",
        "provisional": False,
    }


def test_a_year_without_a_schedule_is_provisional(api, db):
    # Today is November 2026; the 2027 notice is not loaded.
    body = api.get(URL, {"from": "2026-12-30", "days": "5"}).json()
    assert body == {"date": "2027-01-06", "provisional": True}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": "3"}, "from"),
        ({"from": "2025-13-01", "days": "3"}, "from"),
        ({"from": "2025-09-26"}, "days"),
        ({"from": "2025-09-26", "days": "0"}, "days"),
        ({"from": "2025-09-26", "days": "x"}, "days"),
        ({"from": "2025-09-26", "days": "100000"}, "days"),
    ],
)
def test_bad_parameters_are_400_with_the_field(api, db, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["field"] == field


def test_year_lists_holidays_and_makeup_days(api, db):
    body = api.get("/api/v1/calendar/2025").json()
    assert body["year"] == 2025 and body["loaded"] is True
    holidays = {day["date"]: day["name"] for day in body["holidays"]}
    assert holidays.get("2025-10-01")
    makeup = [day["date"] for day in body["makeup_working_days"]]
    assert "2025-09-28" in makeup
    expected = CalendarDay.objects.filter(date__year=2025, kind=DayKind.HOLIDAY).count()
    assert len(body["holidays"]) == expected


def test_unloaded_year(api, db):
    assert api.get("/api/v1/calendar/2027").json() == {
        "year": 2027,
        "loaded": False,
        "holidays": [],
        "makeup_working_days": [],
    }


def test_year_out_of_range_is_400(api, db):
    response = api.get("/api/v1/calendar/1999")
    assert response.status_code == 400 and response.json()["error"]["field"] == "year"
