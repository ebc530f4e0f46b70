"""Random sequences of actions through the activity services follow the table (workflow.py),
through the shared harness (tests/statemachine_harness.py).

Each step runs as the station's staff, at a moment its other rules accept (announce and change
before the start, hold after it), so a refusal can only come from the status."""

from datetime import timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.activities import services
from liaison.activities.models import ActivityStatus
from liaison.activities.workflow import MACHINE, Action
from liaison.core.models import AuditEvent
from tests.statemachine_harness import run_services


def _steps(district, accounts):
    staff = accounts.station_a_staff

    def change(activity):
        services.save_activity(
            actor=staff,
            activity=activity,
            station=activity.station,
            kind=activity.kind,
            title=activity.title + "（改）",
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            place=activity.place,
            deputies=[district.dep_a],
        )

    def hold(activity):
        with time_machine.travel(activity.starts_at + timedelta(minutes=30), tick=False):
            services.hold_activity(
                activity, actor=staff, attended_deputies=[district.dep_a], minutes="纪要"
            )

    return {
        "announce": (Action.ANNOUNCE, lambda a: services.announce_activity(a, actor=staff)),
        "change": (Action.CHANGE, change),
        "cancel": (Action.CANCEL, lambda a: services.cancel_activity(a, actor=staff, reason="雨")),
        "hold": (Action.HOLD, hold),
    }


def _events(activity):
    """The (from, to) of every event that records a status (record_event writes both)."""
    rows = AuditEvent.objects.filter(
        object_type="activities.activity", object_id=str(activity.pk)
    ).order_by("pk")
    return [(e.data["from_state"], e.data["to_state"]) for e in rows if "to_state" in e.data]


def _to(status, make_activity, steps):
    """A new activity in `status`, reached through the services."""
    activity = make_activity(announce=False)
    path = {
        ActivityStatus.DRAFT: [],
        ActivityStatus.ANNOUNCED: ["announce"],
        ActivityStatus.HELD: ["announce", "hold"],
        ActivityStatus.CANCELLED: ["cancel"],
    }[status]
    for name in path:
        steps[name][1](type(activity).objects.get(pk=activity.pk))
    return activity


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.sampled_from(sorted(ActivityStatus)),
    names=st.lists(st.sampled_from(["announce", "change", "cancel", "hold"]), max_size=8),
)
def test_random_sequences_follow_the_table(district, accounts, make_activity, start, names):
    steps = _steps(district, accounts)
    activity = _to(start, make_activity, steps)
    assert activity.__class__.objects.get(pk=activity.pk).status == start
    run_services(MACHINE, activity, steps, names, events=_events)
