"""Overdue steps are flagged and escalated to the supervising committee, once per step."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from liaison.accounts.models import Role
from liaison.cases import reminders, selectors, services
from liaison.cases.models import CaseEvent
from liaison.notifications.models import Notification
from tests.factories import UserFactory

from ..concurrency import race

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def escalations(case):
    return list(CaseEvent.objects.filter(case=case, verb="case.escalated"))


def told(case) -> list[str]:
    return sorted(
        Notification.objects.filter(dedupe_key__startswith=f"case:{case.pk}:")
        .filter(dedupe_key__contains=":escalation:")
        .values_list("recipient", flat=True)
    )


def test_overdue_review_escalated_to_the_street_committee_once(flow, accounts):
    with at("2025-09-22"):  # review due at the end of Wednesday 09-24
        case = flow.submit()
    with at("2025-09-24", hour=23):
        assert reminders.escalate_overdue() == 0  # due, not overdue yet
    with at("2025-09-25"):
        assert reminders.escalate_overdue() == 1
        assert reminders.escalate_overdue() == 0
    with at("2025-09-26"):
        assert reminders.escalate_overdue() == 0
    [event] = escalations(case)
    assert event.is_public is False and event.actor is None
    assert event.data["step"] == "submitted"
    assert datetime.fromisoformat(event.data["due_at"]) == case.due_at
    assert event.from_status == event.to_status == "submitted"
    # The nearest committee above the case: the street's, not the district's.
    assert told(case) == [str(accounts.street_a_committee.pk)]
    assert event.data["notified"] == [accounts.street_a_committee.pk]
    assert "case.escalated" not in [e.verb for e in selectors.timeline(case, public=True)]


def test_district_committee_when_the_street_has_none(flow, accounts, district):
    with at("2025-09-22"):
        case = flow.submit(station=district.station_b, deputy=district.dep_b)
    with at("2025-09-25"):
        reminders.escalate_overdue()
    assert told(case) == [str(accounts.county_committee.pk)]


def test_every_committee_account_of_that_region_is_told(flow, accounts, district):
    colleague = UserFactory(
        role=Role.COMMITTEE_STAFF, region=district.street_a, email="li@example.org"
    )
    UserFactory(role=Role.COMMITTEE_STAFF, region=district.street_a, is_active=False)
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-25"):
        reminders.escalate_overdue()
    assert told(case) == sorted(
        [str(accounts.street_a_committee.pk), str(colleague.pk), "li@example.org"]
    )


def test_each_overdue_step_escalated_once(flow, accounts):
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-25"):
        reminders.escalate_overdue()
        case = services.accept_case(case, actor=accounts.station_a_staff)  # reply due 09-30
    with at("2025-10-09"):
        reminders.escalate_overdue()
        reminders.escalate_overdue()
    assert [e.data["step"] for e in escalations(case)] == ["submitted", "accepted"]
    assert told(case) == [str(accounts.street_a_committee.pk)] * 2  # one message per step
    assert Notification.objects.filter(dedupe_key__contains=":escalation:").count() == 2


def test_a_step_done_in_time_is_not_escalated(flow, accounts):
    with at("2025-09-22"):
        case = flow.submit()
    with at("2025-09-24"):
        services.accept_case(case, actor=accounts.station_a_staff)
    with at("2025-09-26"):
        assert reminders.escalate_overdue() == 0
    assert escalations(case) == []


@pytest.mark.parametrize(
    "status", ["withdrawn", "rejected", "referred", "merged", "needs_info", "answered", "closed"]
)
def test_nothing_for_closed_paused_or_rating_cases(flow, status):
    with at("2025-09-22"):
        case = flow.to(status)
    with at("2025-11-03"):
        reminders.escalate_overdue()
    assert escalations(case) == []
    assert told(case) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("repeat", range(3))
def test_two_workers_at_once_escalate_once(transactional_db, flow, accounts, repeat):
    with at("2025-09-22"):
        cases = [flow.submit() for _ in range(4)]

    def worker():
        with at("2025-09-25"):
            return reminders.escalate_overdue()

    results = race(worker, worker)
    assert sorted(results) == [0, 4] or sum(results) == 4, results
    for case in cases:
        assert len(escalations(case)) == 1
        assert told(case) == [str(accounts.street_a_committee.pk)]


def test_an_overdue_reply_also_reaches_the_deputy_and_the_station(flow, accounts):
    """催办 of the deputy's reply: deputy, then station, then committee — all told at once."""
    with at("2025-09-22"):
        case = services.accept_case(flow.submit(), actor=accounts.station_a_staff)
    with at("2025-10-10"):
        assert reminders.escalate_overdue() == 1
    overdue = Notification.objects.filter(dedupe_key__contains=":overdue:")
    assert {n.recipient for n in overdue if n.channel == "in_app"} == {
        str(accounts.deputy_a.pk),
        str(accounts.station_a_staff.pk),
    }
    [event] = escalations(case)
    assert event.data["overdue_told"] == sorted([accounts.deputy_a.pk, accounts.station_a_staff.pk])
    assert told(case) == [str(accounts.street_a_committee.pk)]


def test_an_unsigned_assignment_overdue_reaches_the_department_and_the_committee(flow, accounts):
    with at("2025-09-22"):
        case = flow.to("assigned")
    with at("2025-10-10"):
        reminders.escalate_overdue()
    overdue = Notification.objects.filter(dedupe_key__contains=":overdue:", channel="in_app")
    assert {n.recipient for n in overdue} == {str(accounts.handler_a.pk)}
    assert told(case) == [str(accounts.street_a_committee.pk)]
