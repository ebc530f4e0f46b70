"""Helpers for the appointment tests (线上预约): a weekly Monday reception cut into 30-minute slots
with 2 places each, bookings made through the services as the citizen would."""

import re
from datetime import date, time

from liaison.appointments import services as appointments
from liaison.notifications.models import Notification
from liaison.receptions.services import assign_duty
from tests.receptions.days_support import TODAY, rule

__all__ = ["MONDAY", "TODAY", "book", "code_sent_to", "monday_rule", "request"]

MONDAY = date(2025, 9, 29)  # the first Monday after TODAY (Thursday 2025-09-25)


def monday_rule(district, accounts, *, capacity=2, **fields):
    """Mondays 9:00–11:30: slots 9:00, 9:30, 10:00, 10:30, 11:00; dep_a on duty on MONDAY."""
    made = rule(
        district.station_a,
        accounts.station_a_staff,
        weekday=0,
        slot_minutes=30,
        slot_capacity=capacity,
        **fields,
    )
    assign_duty(
        station=district.station_a,
        date=MONDAY,
        start_time=time(9),
        deputy=district.dep_a,
        actor=accounts.station_a_staff,
    )
    return made


def request(district, *, day=MONDAY, start=time(9), phone="13912345678", **fields):
    values = {"topic": "小区停车难", "name": "陈女士", "deputy": None}
    values.update(fields)
    return appointments.request_appointment(
        station=district.station_a, day=day, start_time=start, phone=phone, **values
    )


def book(district, **fields):
    """A booking with its phone confirmed (the place taken)."""
    appointment, code = request(district, **fields)
    return appointments.verify_appointment(appointment, code)


def code_sent_to(phone: str) -> str:
    """The 6-digit code in the last SMS to `phone` (what the citizen reads)."""
    body = Notification.objects.filter(recipient=phone).order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)
