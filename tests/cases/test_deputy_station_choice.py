"""A deputy who serves at several stations: the citizen chooses where the message is filed (the
deputy's first station preselected); a station that is not the deputy's is refused with a 400
and nothing written. The API's choice: tests/api/test_cases_public_station.py."""

import pytest

from liaison.cases.models import Case
from liaison.notifications.models import Notification

from .public_support import english, message_data

pytestmark = pytest.mark.django_db


def shared_url(district) -> str:
    return f"/d/{district.dep_shared.public_code}/message/"


def test_the_form_offers_the_deputys_stations_with_the_first_chosen(client, district):
    english(client)
    response = client.get(shared_url(district))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Which station should handle your message?" in html
    radios = response.context["form"]["station"]
    assert [c.data["value"].value for c in radios] == [
        district.station_a.pk,
        district.station_b.pk,
    ]
    assert radios.value() == district.station_a.pk
    assert f'value="{district.station_a.pk}"' in html and "checked" in html
    assert "<legend>Which station should handle your message?</legend>" in html


def test_a_deputy_at_one_station_offers_no_choice(client, district):
    response = client.get(f"/d/{district.dep_a.public_code}/message/")
    assert "station" not in response.context["form"].fields


def test_the_message_is_filed_at_the_chosen_station(client, district):
    data = message_data(district, station=district.station_b.pk)
    response = client.post(shared_url(district), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.station, case.deputy) == (district.station_b, district.dep_shared)
    assert case.region_path == district.station_b.region.path


def test_a_missing_choice_is_asked_for(client, district):
    # The radio list is preselected, so a browser always sends one; none sent is asked for.
    english(client)
    response = client.post(shared_url(district), message_data(district))
    assert response.status_code == 400
    assert "Please choose the station" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("station", ["room_a1", "nonsense"])
def test_a_station_not_of_the_deputy_is_refused(client, district, station):
    english(client)
    value = getattr(district, station).pk if station == "room_a1" else "x"
    response = client.post(shared_url(district), message_data(district, station=value))
    assert response.status_code == 400
    assert "does not receive messages at that station" in response.content.decode()
    assert not Case.objects.exists() and not Notification.objects.exists()
