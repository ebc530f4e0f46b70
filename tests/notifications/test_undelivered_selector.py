"""`undelivered(prefixes)`: the failed and refused messages of some dedupe keys (a case's page
will warn that the SMS to the citizen did not arrive)."""

from liaison.notifications.models import Notification, Status
from liaison.notifications.selectors import undelivered


def _row(key, status):
    return Notification.objects.create(
        channel="sms", recipient="13812345678", body="x", status=status, dedupe_key=key
    )


def test_only_failed_and_dead_rows_of_the_prefixes(db):
    failed = _row("case-event:1:sms", Status.FAILED)
    dead = _row("case-event:2:sms", Status.DEAD)
    _row("case-event:3:sms", Status.SENT)
    _row("case-event:4:sms", Status.DELIVERED)
    _row("appointment-event:1", Status.FAILED)
    _row("case-event:10:sms", Status.FAILED)  # "case-event:1" is not a prefix of event 1 only
    found = undelivered(["case-event:1:", "case-event:2:", "case-event:3:", "case-event:4:"])
    assert set(found) == {failed, dead}


def test_no_prefixes_no_rows(db):
    _row("case-event:1:sms", Status.FAILED)
    assert list(undelivered([])) == []
    assert list(undelivered([""])) == []  # an empty prefix would match everything
