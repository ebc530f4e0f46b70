"""The set-based deadline recomputation and a case acted on at the same moment (issue 17): the
batch skips the locked case (SKIP LOCKED), the per-case path then waits for the lock and counts
from what the other transaction committed — nothing lost, nothing overwritten.

Row locks only mean something on PostgreSQL (SQLite admits one writer at a time anyway)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Case, CaseEvent
from liaison.core import chain
from liaison.workdays.deadlines import add_working_days
from liaison.workdays.models import CalendarDay, ScheduleYear

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


def test_a_case_locked_during_the_recomputation_is_done_after_its_lock(
    transactional_db, flow, accounts, district
):
    ScheduleYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(year__gte=2027).delete()
    busy, free = flow.to("in_progress"), flow.to("in_progress")
    Case.objects.filter(pk__in=[busy.pk, free.pk]).update(
        due_from=timezone.make_aware(timezone.datetime(2026, 12, 28, 10)),
        due_days=15,
        due_at=timezone.make_aware(timezone.datetime(2027, 1, 15, 23, 59)),  # provisional
        due_provisional=True,
    )
    CalendarDay.objects.create(date=date(2027, 1, 4), kind="holiday", name="测试", year=2027)
    ScheduleYear.objects.create(year=2027, source="manual", loaded_at=timezone.now())
    locked, release = threading.Event(), threading.Event()
    restarted = timezone.make_aware(timezone.datetime(2026, 12, 30, 9))

    def staff_acting():
        try:
            with transaction.atomic():
                case = Case.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(timeout=30)
                # What an action does meanwhile: the step's clock starts again.
                case.due_from, case.due_days = restarted, 10
                case.save(update_fields=["due_from", "due_days"])
        finally:
            connections.close_all()

    thread = threading.Thread(target=staff_acting)
    thread.start()
    assert locked.wait(timeout=30)
    seen = []

    def watcher():
        # The batch does not wait for the busy case (it comes first in id order): the free
        # case's event is committed while the busy one is still locked. Then release it.
        try:
            for _ in range(100):
                if CaseEvent.objects.filter(case=free, verb="case.deadline_recomputed").exists():
                    seen.append(True)
                    break
                threading.Event().wait(0.1)
        finally:
            release.set()
            connections.close_all()

    threading.Thread(target=watcher).start()
    changed = services.recalculate_deadlines({2027}, batch=10)
    thread.join(timeout=30)

    assert changed == 2
    assert seen == [True]
    busy.refresh_from_db()
    free.refresh_from_db()
    assert busy.due_days == 10 and busy.due_from == restarted  # the action's change stands
    assert busy.due_at == add_working_days(restarted, 10).due_at
    assert free.due_at == add_working_days(free.due_from, 15).due_at
    for case in (busy, free):
        assert case.events.filter(verb="case.deadline_recomputed").count() == 1
    assert list(chain.verify(CaseEvent)) == []


@pytest.mark.parametrize("workers", [1, 2, 3, 7])
def test_slices_on_their_own_connections_do_every_case_once(
    transactional_db, flow, accounts, district, workers
):
    """Outside a transaction the id range is cut into slices, each on its own connection: every
    case is recomputed once, whatever the number of slices, and the chains stay whole."""
    ScheduleYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(year__gte=2027).delete()
    cases = [flow.to("in_progress") for _ in range(5)]
    for n, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            due_from=timezone.make_aware(timezone.datetime(2026, 12, 21 + n, 10)),
            due_days=15,
            due_at=timezone.make_aware(timezone.datetime(2027, 1, 20, 23, 59)),  # provisional
            due_provisional=True,
        )
    CalendarDay.objects.create(date=date(2027, 1, 4), kind="holiday", name="测试", year=2027)
    ScheduleYear.objects.create(year=2027, source="manual", loaded_at=timezone.now())

    assert services.recalculate_deadlines({2027}, workers=workers) == len(cases)

    for case in cases:
        case.refresh_from_db()
        expected = add_working_days(case.due_from, 15)
        assert (case.due_at, case.due_provisional) == (expected.due_at, expected.provisional)
        assert case.events.filter(verb="case.deadline_recomputed").count() == 1
    assert list(chain.verify(CaseEvent)) == []
    assert services.recalculate_deadlines({2027}, workers=workers) == 0
