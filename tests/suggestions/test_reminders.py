"""Reminders before the due date and when overdue, once each; key suggestions to the committee."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from liaison.notifications.models import Notification
from liaison.suggestions import jobs, reminders, services

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


def keys(fragment):
    return set(
        Notification.objects.filter(dedupe_key__contains=fragment).values_list(
            "recipient", "dedupe_key"
        )
    )


@pytest.fixture
def assigned(at_step, people):
    with at(2026, 7, 1, 10, 0):  # due 2026-10-08
        s = at_step("assigned")
    Notification.objects.all().delete()
    return s


def test_nothing_long_before_the_due_date(assigned):
    with at(2026, 9, 1, 9, 0):
        assert reminders.send_reminders() == 0


def test_reminder_before_due_once_to_every_handling_unit(assigned, people):
    with at(2026, 9, 29, 9, 0):  # 5 working days before 10-08 reach past the holiday
        sent = reminders.send_reminders()
        assert sent == 3  # the lead, joint and co units' handlers (in-app)
        assert reminders.send_reminders() == 0
    recipients = {r for r, _k in keys(":reminder")}
    assert recipients == {
        str(people.lead_handler.pk),
        str(people.joint_handler.pk),
        str(people.other_handler.pk),
    }
    assert not keys(":committee")


def test_overdue_goes_to_the_units_and_the_committee_once(assigned, people):
    with at(2026, 10, 9, 9, 0):
        assert jobs.send_reminders().startswith("6 ")  # 3 units + 3 to the county committee
        assert reminders.send_reminders() == 0
    committee = {r for r, _k in keys(":overdue:committee")}
    assert committee == {str(people.street_a_committee.pk)}  # the nearest committee above


def test_key_suggestions_remind_the_committee_before_due(assigned, people):
    services.mark_key(assigned, actor=people.county_committee, is_key=True, note="王主任督办")
    with at(2026, 9, 29, 9, 0):
        reminders.send_reminders()
    assert {r for r, _k in keys(":reminder:committee")} == {str(people.street_a_committee.pk)}
    body = Notification.objects.filter(dedupe_key__contains=":committee").first().body
    assert assigned.title in body


def test_answered_ones_are_not_reminded(assigned, people):
    services.answer_suggestion(assigned, actor=people.lead_handler, grade="A", answer="已解决")
    with at(2026, 10, 9, 9, 0):
        assert reminders.send_reminders() == 0
