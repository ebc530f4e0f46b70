"""Two staff members decide the same entry at the same moment: one wins, the other is told it is
decided already, and only one decision is recorded. Row locks need PostgreSQL."""

from datetime import date

import pytest
from django.db import connection

from liaison.core.errors import TransitionRefused
from liaison.core.models import AuditEvent
from liaison.records import services
from liaison.records.models import RecordEntry

from ..concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


@pytest.mark.parametrize("repeat", range(3))
def test_one_decision_wins(transactional_db, accounts, district, repeat):
    entry = services.add_entry(
        actor=accounts.deputy_a,
        deputy=district.dep_a,
        kind="survey",
        date=date(2026, 3, 1),
        title="调研",
    )
    results = race(
        lambda: services.confirm_entry(entry, actor=accounts.station_a_staff),
        lambda: services.reject_entry(entry, actor=accounts.street_a_committee, reason="重复"),
    )
    assert sum(isinstance(r, RecordEntry) for r in results) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 1, results
    decided = AuditEvent.objects.filter(
        verb__in=["record_entry.confirmed", "record_entry.rejected"]
    )
    assert decided.count() == 1
