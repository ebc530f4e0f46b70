"""The API's station choice for a deputy at several stations (as the message page does,
tests/cases/test_deputy_station_choice.py)."""

import pytest

from liaison.cases.models import Case
from liaison.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def api_body(district, **overrides):
    data = {
        "deputy": district.dep_shared.public_code,
        "category": district.category.code,
        "title": "路灯不亮",
        "description": "保俶路12号门口的路灯坏了一个月。",
        "citizen_phone": "13912345678",
        "privacy_accepted": True,
    }
    return {**data, **overrides}


def test_the_api_files_at_the_chosen_station_or_the_first(api, district):
    chosen = api_body(district, station=district.station_b.public_code)
    response = api.post(URL, chosen, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.get().station == district.station_b
    response = api.post(URL, api_body(district, citizen_phone="13912345679"), format="json")
    assert response.status_code == 201
    number = response.json()["tracking_number"]
    assert Case.objects.get(tracking_number=number).station == district.station_a


def test_the_api_refuses_a_station_not_of_the_deputy(api, district):
    response = api.post(
        URL, api_body(district, station=district.room_a1.public_code), format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "station"
    assert not Case.objects.exists() and not Notification.objects.exists()
