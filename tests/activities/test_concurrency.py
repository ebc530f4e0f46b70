"""Two citizens take the last place at the same moment: one gets it, the other is told it is full.

Row locks only mean something on PostgreSQL (SQLite admits one writer at a time anyway)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from liaison.activities import services
from liaison.activities.models import Activity, SignUp
from liaison.notifications.models import Notification

from ..concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


@pytest.mark.parametrize("repeat", range(5))
def test_last_place_taken_once(transactional_db, make_activity, repeat):
    activity = make_activity(capacity=2)
    services.sign_up(activity, name="", phone="13900000000")
    results = race(
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
