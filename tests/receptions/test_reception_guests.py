"""联合接待 — outside participants at a reception day: staff add and remove them on the
reception-days page (audited), the public station page shows who will be there."""

from datetime import date, time

import pytest
import time_machine

from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent
from liaison.receptions.models import GuestKind, ReceptionGuest
from liaison.receptions.services import add_reception_guest

from .days_support import TODAY, rule
from .support import signed_in

pytestmark = pytest.mark.django_db
PAGE = "/staff/receptions/days/"
MONDAY = date(2025, 9, 29)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def staff(district, accounts):
    rule(district.station_a, accounts.station_a_staff, weekday=0)
    return accounts.station_a_staff


def _guest(**changes):
    data = {
        "action": "guest",
        "guest-date": "2025-09-29",
        "guest-start_time": "09:00",
        "guest-kind": GuestKind.OFFICIAL,
        "guest-name": "赵卫东",
        "guest-organisation": "区住房和城乡建设局",
        "guest-role": "副局长",
    }
    data.update(changes)
    return data


def test_staff_add_a_guest_and_the_public_schedule_shows_them(client, district, staff):
    response = signed_in(client, staff).post(PAGE, _guest())
    assert response.status_code == 302
    guest = ReceptionGuest.objects.get()
    assert (guest.station, guest.date, guest.start_time) == (district.station_a, MONDAY, time(9))
    event = AuditEvent.objects.get(verb="reception_guest.added")
    assert event.data["organisation"] == "区住房和城乡建设局"

    client.logout()
    client.cookies["django_language"] = "en"
    page = client.get(district.station_a.get_absolute_url()).content.decode()
    schedule = page.split("Upcoming reception days")[1].split("Deputies at this station")[0]
    assert "Department official" in schedule
    assert "赵卫东, 副局长 · 区住房和城乡建设局" in schedule
    assert "remove_guest" not in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"guest-date": "2025-09-30"}, "date", "no reception on this day"),
        ({"guest-date": "2025-09-22"}, "date", "already over"),
        ({"guest-name": "   "}, "name", "This field is required"),
        ({"guest-kind": "mayor"}, "kind", "Select a valid choice"),
        ({"guest-organisation": ""}, "organisation", "This field is required"),
    ],
)
def test_bad_guests_are_refused_with_a_message(client, district, staff, changes, field, message):
    client.cookies["django_language"] = "en"
    response = signed_in(client, staff).post(PAGE, _guest(**changes))
    assert response.status_code == 400
    assert message in str(response.context["guest_form"].errors[field])
    assert not ReceptionGuest.objects.exists()
    assert not AuditEvent.objects.filter(verb="reception_guest.added").exists()


def test_the_same_guest_twice_is_refused(client, district, staff):
    client = signed_in(client, staff)
    assert client.post(PAGE, _guest()).status_code == 302
    response = client.post(PAGE, _guest())
    assert response.status_code == 400
    assert ReceptionGuest.objects.count() == 1


def test_staff_remove_a_guest(client, district, staff):
    guest = add_reception_guest(
        station=district.station_a,
        date=MONDAY,
        start_time=time(9),
        actor=staff,
        kind=GuestKind.LAWYER,
        name="钱律师",
        organisation="某律师事务所",
    )
    client = signed_in(client, staff)
    assert "remove_guest" in client.get(PAGE).content.decode()
    response = client.post(PAGE, {"action": "remove_guest", "guest": guest.pk})
    assert response.status_code == 302
    assert not ReceptionGuest.objects.exists()
    assert AuditEvent.objects.filter(verb="reception_guest.removed").count() == 1
    assert client.post(PAGE, {"action": "remove_guest", "guest": "x"}).status_code == 404


def test_other_station_staff_may_not_add_guests(district, accounts, staff):
    with pytest.raises(NotAllowed):
        add_reception_guest(
            station=district.station_a,
            date=MONDAY,
            start_time=time(9),
            actor=accounts.station_b_staff,
            kind=GuestKind.POLICE,
            name="孙警官",
            organisation="北山派出所",
        )
    assert not ReceptionGuest.objects.exists()


def test_another_stations_guest_cannot_be_removed_from_here(client, district, accounts, staff):
    rule(district.station_b, accounts.station_b_staff, weekday=0)
    guest = add_reception_guest(
        station=district.station_b,
        date=MONDAY,
        start_time=time(9),
        actor=accounts.station_b_staff,
        kind=GuestKind.POLICE,
        name="孙警官",
        organisation="西溪派出所",
    )
    response = signed_in(client, staff).post(PAGE, {"action": "remove_guest", "guest": guest.pk})
    assert response.status_code == 404
    assert ReceptionGuest.objects.filter(pk=guest.pk).exists()
