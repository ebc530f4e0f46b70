"""Two staff acting on one case at the same moment: one wins, the other is told what happened.

Row locks only mean something on PostgreSQL (SQLite admits one writer at a time anyway)."""

import pytest
from django.db import connection

from liaison.cases import services
from liaison.cases.models import Case, CaseEvent
from liaison.cases.workflow import Status
from liaison.core.errors import ConcurrentChange, TransitionRefused

from ..concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


@pytest.mark.parametrize("repeat", range(5))
def test_accept_and_reject_at_once(transactional_db, flow, accounts, repeat):
    case = flow.submit()
    # Each staff member looked at the case while it was still waiting for review.
    seen_a, seen_b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    results = race(
        lambda: services.accept_case(seen_a, actor=accounts.station_a_staff),
        lambda: services.reject_case(seen_b, actor=accounts.street_a_committee, reason="spam"),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ConcurrentChange)
    assert isinstance(losers[0], TransitionRefused)
    case.refresh_from_db()
    assert case.status == winners[0].status in {Status.ACCEPTED, Status.REJECTED}
    assert CaseEvent.objects.filter(case=case).exclude(from_status="").count() == 1


def test_two_signatures_at_once(transactional_db, flow, accounts):
    case = flow.to("assigned")
    results = race(
        lambda: services.sign_assignment(Case.objects.get(pk=case.pk), actor=accounts.handler_a),
        lambda: services.sign_assignment(Case.objects.get(pk=case.pk), actor=accounts.handler_a),
    )
    assert sum(isinstance(r, Case) for r in results) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 1, results
    assert CaseEvent.objects.filter(case=case, verb="case.signed").count() == 1
