"""The periodic job deletes one-time codes older than a day, of every app's code table."""

from datetime import timedelta

import time_machine
from django.core.management import call_command

from liaison.cases.mine import _codes as lookup_codes
from liaison.cases.models import LookupCode
from liaison.notifications.phonecodes import purge_old_codes


def test_codes_older_than_a_day_are_deleted_and_recent_ones_kept(db):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as clock:
        lookup_codes("13800000001").send("13800000001", "lookup_code", {}, "lookup-code")
        clock.shift(timedelta(hours=20))
        lookup_codes("13800000002").send("13800000002", "lookup_code", {}, "lookup-code")
        clock.shift(timedelta(hours=5))  # the first code is 25 hours old, the second 5
        assert purge_old_codes() == 1
    assert LookupCode.objects.count() == 1
    assert LookupCode.objects.get().phone_key == lookup_codes("13800000002").new_row["phone_key"]


def test_the_worker_runs_the_purge(db):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as clock:
        lookup_codes("13800000001").send("13800000001", "lookup_code", {}, "lookup-code")
        clock.shift(timedelta(days=2))
        call_command("worker", "--once")
    assert not LookupCode.objects.exists()
