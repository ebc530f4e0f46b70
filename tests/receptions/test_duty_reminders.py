"""Duty reminders (值班提醒): the day before and the morning of a reception, each once."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from liaison.core import jobs
from liaison.notifications.models import Notification
from liaison.receptions import jobs as reception_jobs  # noqa: F401  (registers the job)
from liaison.receptions.duty_reminders import send_duty_reminders
from liaison.receptions.services import assign_duty, save_rule

from .days_support import TODAY, rule

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2025, 9, 29)


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def duty(district, accounts):
    """dep_a (account deputy_a, with e-mail and mobile) on duty Monday 29 September 9:00."""
    user = accounts.deputy_a
    user.email, user.phone = "zhang@example.org", "13700001111"
    user.save()
    with time_machine.travel(TODAY, tick=False):
        weekly = rule(district.station_a, accounts.station_a_staff, weekday=0)
        made = assign_duty(
            station=district.station_a,
            date=MONDAY,
            start_time=time(9),
            deputy=district.dep_a,
            actor=accounts.station_a_staff,
        )
    made.rule = weekly
    return made


def sent():
    return sorted(Notification.objects.values_list("channel", "recipient"))


def test_the_day_before_the_deputy_is_told_once_at_every_address(duty, accounts):
    assert send_duty_reminders(at(date(2025, 9, 28), 17)) == 3
    assert sent() == [
        ("email", "zhang@example.org"),
        ("in_app", str(accounts.deputy_a.pk)),
        ("sms", "13700001111"),
    ]
    message = Notification.objects.get(channel="sms")
    assert "2025-09-29" in message.body and "09:00" in message.body
    # Later runs, the same evening or by another worker, write nothing more.
    assert send_duty_reminders(at(date(2025, 9, 28), 21)) == 0
    assert Notification.objects.count() == 3


def test_not_on_other_days_nor_before_the_evening(duty):
    assert send_duty_reminders(at(date(2025, 9, 27), 17)) == 0  # two days before
    assert send_duty_reminders(at(date(2025, 9, 28), 15)) == 0  # the day before, too early
    assert send_duty_reminders(at(date(2025, 9, 30), 8)) == 0  # the day after
    assert not Notification.objects.exists()


def test_the_morning_of_the_reception_until_it_starts(duty):
    assert send_duty_reminders(at(MONDAY, 6)) == 0
    assert send_duty_reminders(at(MONDAY, 7, 30)) == 3
    assert send_duty_reminders(at(MONDAY, 8)) == 0
    assert Notification.objects.filter(dedupe_key__contains=":morning:").count() == 3


def test_started_reception_is_not_reminded(duty):
    assert send_duty_reminders(at(MONDAY, 10)) == 0


def test_no_reminder_when_the_reception_is_no_longer_held(duty, accounts):
    duty.rule.is_active = False
    save_rule(duty.rule, actor=accounts.station_a_staff)
    assert send_duty_reminders(at(date(2025, 9, 28), 17)) == 0


def test_deputy_without_account_is_not_reminded(duty, district, accounts):
    accounts.deputy_a.is_active = False
    accounts.deputy_a.save()
    assert send_duty_reminders(at(date(2025, 9, 28), 17)) == 0


def test_job_is_registered_and_uses_the_clock(duty):
    job = next(j for j in jobs.registered() if j.name == "receptions.send_duty_reminders")
    with time_machine.travel(at(date(2025, 9, 28), 18), tick=False):
        assert job.func() == "3 duty reminders written"
        assert job.func() == "0 duty reminders written"
