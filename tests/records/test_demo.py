"""The demo diaries load through the services, confirmed, pending and rejected, and only once."""

from datetime import date

import pytest

from liaison.accounts.models import Role
from liaison.records import demo
from liaison.records.models import EntryStatus, RecordEntry

from ..factories import DeputyFactory, StationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_entries_load_once():
    station = StationFactory(code="JB-ST-XY")
    deputies = {
        code: DeputyFactory(code=code, stations=[station]) for code in {e[0] for e in demo.ENTRIES}
    }
    UserFactory(username="admin", role=Role.ADMINISTRATOR, is_superuser=True)
    UserFactory(username="station", role=Role.STATION_STAFF, station=station)
    UserFactory(username="deputy", role=Role.DEPUTY, deputy=deputies["JB-Q01"])
    created = demo.load(on=date(2026, 12, 31))
    assert created == len(demo.ENTRIES) == RecordEntry.objects.count()
    statuses = set(RecordEntry.objects.values_list("status", flat=True))
    assert statuses == {EntryStatus.CONFIRMED, EntryStatus.PENDING, EntryStatus.REJECTED}
    assert RecordEntry.objects.filter(photos__isnull=False).exists()
    assert demo.load(on=date(2026, 12, 31)) == 0


def test_entries_after_today_wait_for_a_later_run():
    station = StationFactory(code="JB-ST-XY")
    deputy = DeputyFactory(code="JB-Q01", stations=[station])
    UserFactory(username="admin", role=Role.ADMINISTRATOR, is_superuser=True)
    UserFactory(username="station", role=Role.STATION_STAFF, station=station)
    UserFactory(username="deputy", role=Role.DEPUTY, deputy=deputy)
    first = demo.load(on=date(2026, 3, 1))
    assert 0 < first < RecordEntry.objects.count() + 20
    assert not RecordEntry.objects.filter(date__gt=date(2026, 3, 1)).exists()
