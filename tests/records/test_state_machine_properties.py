"""Random sequences of decisions on a record entry follow its table (records/workflow.py),
through the shared harness (tests/statemachine_harness.py)."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.core.models import AuditEvent
from liaison.records import services
from liaison.records.workflow import MACHINE, Action
from tests.statemachine_harness import run_services


def _events(entry):
    rows = AuditEvent.objects.filter(
        object_type="records.recordentry", object_id=str(entry.pk)
    ).order_by("pk")
    return [(e.data["from_state"], e.data["to_state"]) for e in rows if "to_state" in e.data]


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(names=st.lists(st.sampled_from(["confirm", "reject"]), max_size=4))
def test_random_decisions_follow_the_table(district, accounts, names):
    staff = accounts.station_a_staff
    steps = {
        "confirm": (Action.CONFIRM, lambda e: services.confirm_entry(e, actor=staff)),
        "reject": (Action.REJECT, lambda e: services.reject_entry(e, actor=staff, reason="重复")),
    }
    entry = services.add_entry(
        actor=accounts.deputy_a,
        deputy=district.dep_a,
        kind="survey",
        date=date(2026, 3, 1),
        title="调研",
    )
    run_services(MACHINE, entry, steps, names, events=_events)
