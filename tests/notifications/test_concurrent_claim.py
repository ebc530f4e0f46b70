"""Two workers claiming at the same moment never get the same row (PostgreSQL: SKIP LOCKED).

SQLite serialises writers with BEGIN IMMEDIATE and has no row locks to skip, so this test only
means something on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from liaison.core import jobs
from liaison.notifications.models import Notification
from liaison.notifications.services import claim_due

from ..concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and SKIP LOCKED need PostgreSQL"
)


def _in_threads(count, work):
    """`work()` in `count` threads started together; none may fail."""
    results = race(*[work] * count)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def test_concurrent_workers_claim_disjoint_batches(transactional_db):
    Notification.objects.bulk_create(
        Notification(channel="in_app", recipient=str(i), body="x") for i in range(300)
    )

    def drain():
        mine = []
        while batch := claim_due(limit=7):
            mine.extend(n.pk for n in batch)
        return mine

    claimed = _in_threads(4, drain)

    all_ids = [pk for ids in claimed for pk in ids]
    assert len(all_ids) == len(set(all_ids)) == 300  # nobody twice, nobody lost
    assert sum(1 for ids in claimed if ids) > 1  # they really did work side by side


def test_a_locked_row_is_skipped_not_waited_for(transactional_db):
    locked, free = Notification.objects.bulk_create(
        [
            Notification(channel="in_app", recipient="1", body="x"),
            Notification(channel="in_app", recipient="2", body="y"),
        ]
    )
    holding, release = threading.Event(), threading.Event()

    def other_worker_mid_claim():
        with transaction.atomic():
            list(Notification.objects.select_for_update().filter(pk=locked.pk))
            holding.set()
            release.wait(timeout=30)
        connections.close_all()

    other = threading.Thread(target=other_worker_mid_claim)
    other.start()
    try:
        assert holding.wait(timeout=30)
        assert [n.pk for n in claim_due(limit=10)] == [free.pk]
    finally:
        release.set()
        other.join(timeout=30)


def test_concurrent_workers_run_a_due_job_once(transactional_db):
    runs = []
    jobs.register("tests.once", interval=timedelta(hours=1))(lambda: runs.append(1))
    try:
        _in_threads(6, jobs.run_due)
    finally:
        jobs.unregister("tests.once")
    assert len(runs) == 1
