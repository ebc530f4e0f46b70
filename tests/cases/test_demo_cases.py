"""`liaison load_demo` also loads cases in every state, through the services, once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.cases import demo
from liaison.cases.models import Assignment, Case, CaseEvent
from liaison.cases.workflow import FINAL, Status
from liaison.notifications.models import Notification
from liaison.workdays.deadlines import add_working_days


@pytest.fixture
def loaded(db, settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_cases():
    return Case.objects.filter(citizen_phone__startswith=demo.PHONE_PREFIX)


def test_every_status_has_a_case(loaded):
    statuses = set(demo_cases().values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert demo_cases().count() == len(demo.SCENARIOS) >= 40
    assert f"{len(demo.SCENARIOS)} cases" in loaded


def test_the_special_cases_are_there(loaded):
    merged = demo_cases().filter(status=Status.MERGED)
    assert merged.count() == 2
    assert all(case.merged_into.status not in FINAL for case in merged)
    assert demo_cases().filter(status=Status.REFERRED, referral__isnull=False).count() >= 2
    rehandled = demo_cases().filter(rehandled=True)
    assert {case.status for case in rehandled} == {Status.IN_PROGRESS, Status.CLOSED}
    assert Assignment.objects.filter(case__in=rehandled, round=2).exists()
    now = timezone.now()
    assert demo_cases().filter(due_at__lt=now).exists()  # red
    soon = add_working_days(now, 1).due_at
    assert demo_cases().filter(due_at__gte=now, due_at__lte=soon).exists()  # yellow
    # Spread over the district, several deputies and categories.
    assert demo_cases().values("station").distinct().count() >= 7
    assert demo_cases().values("deputy").distinct().count() >= 10
    assert demo_cases().values("category").distinct().count() >= 10


def test_online_messages_are_phone_verified(loaded):
    online = demo_cases().filter(channel="online")
    assert online.exists()
    assert not online.filter(phone_verified_at__isnull=True).exists()
    assert demo_cases().verified().count() == demo_cases().count()


def test_loading_twice_adds_nothing(loaded):
    counts = (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count()) == counts
    assert "nothing new" in out.getvalue()


def test_a_missing_scenario_is_completed(loaded):
    # A half-loaded run (each scenario is one transaction) is completed by the next one.
    assert demo.load() == 0
    case = demo_cases().get(citizen_phone=demo.phone(39))  # nothing depends on this one
    CaseEvent.objects.filter(case=case).delete()
    Notification.objects.filter(recipient=case.citizen_phone).delete()
    case.delete()
    assert demo.load() == 1
    assert demo_cases().count() == len(demo.SCENARIOS)


def test_every_timeline_is_consistent(loaded):
    """Each status change is an event, in order: the statuses chain from the submission to the
    case's status now, and every event's from-status is the previous event's to-status."""
    events = CaseEvent.objects.filter(case__in=demo_cases()).order_by("case", "created_at", "id")
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    for case in demo_cases():
        timeline = by_case[case.pk]
        assert timeline[0].verb == "case.submitted" and timeline[0].to_status == "submitted"
        status = "submitted"
        for event in timeline[1:]:
            assert event.from_status == status, (case.title, event.verb)
            status = event.to_status
        assert status == case.status, case.title
        if case.status in FINAL:
            assert case.due_at is None and case.closed_at is not None
