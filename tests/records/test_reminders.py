"""三个一 reminders: from the 20th, deputies without contact that month; in a quarter's last
month, those without an activity; from 1 November, those without the report — each once."""

from datetime import date

import pytest

from liaison.notifications.models import Notification
from liaison.records.jobs import send_three_ones_reminders

pytestmark = pytest.mark.django_db


def keys(accounts) -> set[str]:
    return set(
        Notification.objects.filter(recipient=str(accounts.deputy_a.pk)).values_list(
            "dedupe_key", flat=True
        )
    )


def test_nothing_before_the_20th_of_a_plain_month(accounts):
    assert send_three_ones_reminders(on=date(2026, 5, 19)) == 0
    assert not Notification.objects.exists()


def test_contact_reminder_from_the_20th_once(accounts, district, doings):
    doings.duty(district.dep_b, date(2026, 5, 3))  # dep_b has no account anyway
    assert send_three_ones_reminders(on=date(2026, 5, 20)) == 1
    assert keys(accounts) == {
        f"records:contact:2026-05:{district.dep_a.pk}:in_app:{accounts.deputy_a.pk}"
    }
    assert send_three_ones_reminders(on=date(2026, 5, 21)) == 0  # once
    assert Notification.objects.count() == 1


def test_a_contact_this_month_means_no_reminder(accounts, district, doings):
    doings.visit(district.dep_a, date(2026, 5, 2))
    assert send_three_ones_reminders(on=date(2026, 5, 25)) == 0


def test_quarter_reminder_in_its_last_month(accounts, district, doings):
    doings.duty(district.dep_a, date(2026, 6, 1))  # a contact, not an activity
    assert send_three_ones_reminders(on=date(2026, 6, 1)) == 1
    assert any(":activity:2026-Q2:" in key for key in keys(accounts))
    doings.entry(district.dep_a, date(2026, 9, 2), kind="meeting")
    assert send_three_ones_reminders(on=date(2026, 9, 3)) == 0


def test_report_reminder_from_november(accounts, district, doings):
    send_three_ones_reminders(on=date(2026, 10, 31))
    assert not any(":report:" in key for key in keys(accounts))
    send_three_ones_reminders(on=date(2026, 11, 1))
    assert any(":report:2026:" in key for key in keys(accounts))


def test_no_report_reminder_after_the_report(accounts, district, doings):
    doings.entry(district.dep_a, date(2026, 10, 3), kind="report")
    send_three_ones_reminders(on=date(2026, 11, 25))
    assert keys(accounts)  # the month's contact reminder …
    assert not any(":report:" in key for key in keys(accounts))  # … but not the report's


def test_the_job_is_registered():
    from liaison.core import jobs

    jobs.autodiscover()
    assert "records.three_ones_reminders" in {job.name for job in jobs.registered()}
