"""Periodic work of appointments: the reminder the day before, written once per booking and
day (dedupe key) however often the job runs; unconfirmed bookings deleted after a day."""

from datetime import timedelta

import pytest
import time_machine
from django.utils.translation import override

from liaison.appointments import services as appointments
from liaison.appointments.models import Appointment
from liaison.core import jobs
from liaison.notifications.models import Notification

from .support import TODAY, book, monday_rule, request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lang():
    with override("en"):
        yield


def reminders():
    return Notification.objects.filter(dedupe_key__startswith="appointment-reminder:")


def test_reminder_the_day_before_sent_once(district, accounts):
    with time_machine.travel(TODAY, tick=False):
        monday_rule(district, accounts)
        kept = book(district, phone="13900000001")
        cancelled = book(district, phone="13900000002")
        appointments.cancel_by_citizen(cancelled)
        assert appointments.send_reminders() == 0  # Monday is not tomorrow yet
    with time_machine.travel("2025-09-28 18:00 +0800", tick=False):
        assert appointments.send_reminders() == 1
        assert appointments.send_reminders() == 0
    assert [n.recipient for n in reminders()] == ["13900000001"]
    assert kept.code in reminders().get().body and "tomorrow" in reminders().get().body


def test_a_moved_booking_is_reminded_for_its_new_day(district, accounts):
    with time_machine.travel(TODAY, tick=False):
        monday_rule(district, accounts)
        booking = book(district)
    with time_machine.travel("2025-09-28 18:00 +0800", tick=False):
        appointments.send_reminders()
        appointments.move_appointment(
            booking,
            actor=accounts.station_a_staff,
            day=booking.date + timedelta(days=14),
            start_time=booking.start_time,
        )
    with time_machine.travel("2025-10-12 18:00 +0800", tick=False):
        assert appointments.send_reminders() == 1
    assert reminders().count() == 2


def test_unconfirmed_bookings_are_deleted_after_a_day(district, accounts):
    with time_machine.travel(TODAY, tick=False):
        monday_rule(district, accounts)
        request(district, phone="13900000001")
        book(district, phone="13900000002")
        assert appointments.delete_unverified() == 0
    with time_machine.travel("2025-09-26 10:01 +0800", tick=False):
        assert appointments.delete_unverified() == 1
    assert list(Appointment.objects.values_list("phone", flat=True)) == ["13900000002"]


def test_jobs_are_registered():
    jobs.autodiscover()
    names = {job.name for job in jobs.registered()}
    assert {
        "receptions.send_appointment_reminders",
        "receptions.delete_unverified_appointments",
    } <= names
