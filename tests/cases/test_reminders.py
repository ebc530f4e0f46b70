"""Reminders before a step is due: to whoever must act, once per step and deadline."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from liaison.cases import reminders, services
from liaison.cases.models import Case
from liaison.core import jobs
from liaison.notifications.models import Notification

from ..concurrency import race

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def reminded(case: Case) -> list[str]:
    """The recipients of the reminders about the case's current step."""
    return sorted(
        Notification.objects.filter(dedupe_key__contains=f"case:{case.pk}:{case.status}:")
        .filter(dedupe_key__contains=":reminder:")
        .values_list("recipient", flat=True)
    )


def test_station_staff_reminded_the_day_before_the_review_is_due(flow, accounts):
    with at("2025-09-22"):  # Monday: review due at the end of Wednesday 09-24
        case = flow.submit()
        assert reminders.send_reminders() == 0  # due in two working days: not yet
    with at("2025-09-23"):
        assert reminders.send_reminders() == 1
    assert reminded(case) == [str(accounts.station_a_staff.pk)]
    note = Notification.objects.get(
        recipient=str(accounts.station_a_staff.pk), dedupe_key__startswith="case:"
    )
    assert note.channel == "in_app"
    assert case.tracking_number in note.body and "2025-09-24" in note.body


def test_sent_once_however_often_the_job_runs(flow, accounts):
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-23"):
        reminders.send_reminders()
        assert reminders.send_reminders() == 0
    with at("2025-09-24", hour=9):
        assert reminders.send_reminders() == 0
    assert reminded(case) == [str(accounts.station_a_staff.pk)]


def test_a_new_deadline_is_reminded_again(flow, accounts):
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-23"):
        reminders.send_reminders()
        case = services.accept_case(case, actor=accounts.station_a_staff)  # reply due 09-26
    with at("2025-09-25"):
        reminders.send_reminders()
    assert reminded(case) == [str(accounts.deputy_a.pk)]
    assert Notification.objects.filter(dedupe_key__contains=":reminder:").count() == 2


def test_deputy_without_an_account_station_staff_reminded_instead(flow, accounts, district):
    with at("2025-09-22"):
        case = flow.to("accepted", deputy=district.dep_shared)
    with at("2025-09-24"):
        reminders.send_reminders()
    assert reminded(case) == [str(accounts.station_a_staff.pk)]


def test_departments_reminded_to_sign_and_to_report(flow, accounts, district):
    with at("2025-09-22"):
        case = flow.to("assigned")  # sign-off due at the end of Tuesday
        reminders.send_reminders()
    assert reminded(case) == [str(accounts.handler_a.pk)]
    with at("2025-09-22", hour=11):
        case = services.sign_assignment(case, actor=accounts.handler_a)
    with at("2025-10-16"):  # 15 working days from 09-22, across National Day: due 10-17
        reminders.send_reminders()
    assert reminded(case) == [str(accounts.handler_a.pk)]


def test_email_as_well_when_the_account_has_an_address(flow, accounts):
    accounts.station_a_staff.email = "wang@example.org"
    accounts.station_a_staff.save(update_fields=["email"])
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-23"):
        assert reminders.send_reminders() == 2
    assert reminded(case) == sorted([str(accounts.station_a_staff.pk), "wang@example.org"])
    assert set(Notification.objects.values_list("channel", flat=True)) >= {"in_app", "email"}


@pytest.mark.parametrize("status", ["withdrawn", "rejected", "needs_info", "answered", "closed"])
def test_nothing_for_closed_paused_or_rating_cases(flow, status):
    with at("2025-09-22"):
        flow.to(status)
    before = Notification.objects.count()
    for day in ["2025-09-23", "2025-09-24", "2025-10-10"]:  # rating due 10-11
        with at(day):
            assert reminders.send_reminders() == 0
    assert Notification.objects.count() == before


def test_unconfirmed_online_draft_not_reminded(flow):
    with at("2025-09-22"):
        flow.submit(verify_phone=True)  # the SMS code was never typed: a draft
    before = Notification.objects.count()
    with at("2025-09-23"):
        assert reminders.send_reminders() == 0
    assert Notification.objects.count() == before


def test_never_sent_by_sms(flow):
    with at("2025-09-22"):
        flow.to("accepted")
    with at("2025-09-25"):
        reminders.send_reminders()
    reminders_sent = Notification.objects.filter(dedupe_key__contains=":reminder:")
    assert reminders_sent.exists()
    assert not reminders_sent.filter(channel="sms").exists()


def test_registered_as_a_periodic_job():
    jobs.autodiscover()
    names = {job.name for job in jobs.registered()}
    assert {"cases.send_reminders", "cases.escalate_overdue", "cases.send_deputy_digests"} <= names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_workers_at_once_send_once(transactional_db, flow, accounts):
    with at("2025-09-22"):
        cases = [flow.submit() for _ in range(5)]

    def worker():
        with at("2025-09-23"):
            return reminders.send_reminders()

    results = race(worker, worker)
    assert all(isinstance(r, int) for r in results), results
    for case in cases:
        assert reminded(case) == [str(accounts.station_a_staff.pk)]
