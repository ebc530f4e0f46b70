"""Two citizens take the last place at the same moment: one gets it, the other is told it is full.

Row locks only mean something on PostgreSQL (SQLite admits one writer at a time anyway)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from liaison.activities import services
from liaison.activities.models import Activity, SignUp
from liaison.notifications.models import Notification

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


def _race(*works):
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("repeat", range(5))
def test_last_place_taken_once(transactional_db, make_activity, repeat):
    activity = make_activity(capacity=2)
    services.sign_up(activity, name="", phone="13900000000")
    results = _race(
        lambda: services.sign_up(
            Activity.objects.get(pk=activity.pk), name="", phone="13900000001"
        ),
        lambda: services.sign_up(
            Activity.objects.get(pk=activity.pk), name="", phone="13900000002"
        ),
    )
    assert sum(isinstance(r, SignUp) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert SignUp.objects.filter(activity=activity).count() == 2
    assert Notification.objects.count() == 2
