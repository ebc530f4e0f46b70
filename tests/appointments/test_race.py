"""Two citizens take the last place of a slot at the same moment: one gets it, the other is told
it is full. The same for a staff move and a citizen's code onto the last place.

Row locks only mean something on PostgreSQL (SQLite admits one writer at a time anyway)."""

from datetime import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from liaison.appointments import services as appointments
from liaison.appointments.models import Appointment, AppointmentStatus

from ..concurrency import race
from .support import MONDAY, TODAY, book, monday_rule, request

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


def taken():
    return Appointment.objects.filter(
        date=MONDAY, start_time=time(9), status=AppointmentStatus.BOOKED
    ).count()


@pytest.mark.parametrize("repeat", range(5))
def test_last_place_confirmed_once(transactional_db, district, accounts, repeat):
    """Four people type their code at once for the one place left."""
    with time_machine.travel(TODAY, tick=True):
        monday_rule(district, accounts, capacity=2)
        book(district, phone="13900000000")
        pending = [request(district, phone=f"1390000000{n}") for n in range(1, 5)]
        results = race(
            *[
                (lambda a=appointment, c=code: appointments.verify_appointment(a, c))
                for appointment, code in pending
            ]
        )
    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 3, results
    assert taken() == 2


@pytest.mark.parametrize("repeat", range(3))
def test_last_place_moved_into_once(transactional_db, district, accounts, repeat):
    with time_machine.travel(TODAY, tick=True):
        monday_rule(district, accounts, capacity=1)
        a = book(district, phone="13900000001", start=time(10))
        b = book(district, phone="13900000002", start=time(10, 30))
        staff = accounts.station_a_staff
        results = race(
            lambda: appointments.move_appointment(a, actor=staff, day=MONDAY, start_time=time(9)),
            lambda: appointments.reschedule_by_citizen(b, day=MONDAY, start_time=time(9)),
        )
    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert taken() == 1
