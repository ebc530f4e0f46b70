"""Each deputy's daily digest: their cases awaiting a reply or an answer, once per day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from liaison.cases import reminders, services
from liaison.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def digests(user):
    return list(
        Notification.objects.filter(dedupe_key__startswith=f"deputy-digest:{user.pk}:").order_by(
            "id"
        )
    )


def sections(body: str) -> dict[str, list[str]]:
    """The digest's sections: heading → the tracking numbers listed under it."""
    found: dict[str, list[str]] = {}
    heading = ""
    for line in body.splitlines():
        if line.startswith("- "):
            found[heading].append(line[2:].split()[0])
        elif line.strip():
            heading = line.split(" (")[0]
            found[heading] = []
    return found


def test_digest_lists_overdue_due_soon_and_waiting_cases(flow, accounts, settings):
    settings.LANGUAGE_CODE = "en"  # staff messages are in the site's language; test the English
    with at("2025-09-22"):
        overdue = flow.to("accepted")  # reply due 09-25
    with at("2025-09-24"):
        soon = flow.to("accepted")  # reply due 09-29 (09-28 is a make-up working day)
        waiting = flow.to("feedback")  # answer due in 15 working days
        flow.to("closed")
        flow.to("to_assign")  # the deputy has replied; the committee has the next move
    with at("2025-09-26"):
        assert reminders.send_digests() == 1
    [digest] = digests(accounts.deputy_a)
    assert digest.channel == "in_app" and digest.recipient == str(accounts.deputy_a.pk)
    assert "2025-09-26" in digest.subject
    assert sections(digest.body) == {
        "Overdue": [overdue.tracking_number],
        "Due by the end of the next working day": [soon.tracking_number],
        "Awaiting your reply or answer": [waiting.tracking_number],
    }


def test_once_a_day_however_often_the_job_runs(flow, accounts):
    with at("2025-09-22"):
        flow.to("accepted")
    with at("2025-09-23", hour=8):
        assert reminders.send_digests() == 1
    with at("2025-09-23", hour=17):
        assert reminders.send_digests() == 0
    with at("2025-09-24", hour=9):
        assert reminders.send_digests() == 1
    assert len(digests(accounts.deputy_a)) == 2


def test_not_before_the_morning(flow, accounts, settings):
    settings.CASE_DIGEST_HOUR = 8
    with at("2025-09-22"):
        flow.to("accepted")
    with at("2025-09-23", hour=7):
        assert reminders.send_digests() == 0
    assert digests(accounts.deputy_a) == []


def test_nothing_when_nothing_awaits_the_deputy(flow, accounts):
    with at("2025-09-22"):
        flow.to("closed")
        flow.to("in_progress")  # with the department
        case = flow.to("accepted")
        services.withdraw_case(case)
    with at("2025-09-23"):
        assert reminders.send_digests() == 0
    assert not Notification.objects.filter(dedupe_key__startswith="deputy-digest:").exists()


def test_only_the_deputys_own_cases(flow, accounts, district):
    with at("2025-09-22"):
        mine = flow.to("accepted")
        flow.to("accepted", deputy=district.dep_shared)  # a deputy without an account
    with at("2025-09-23"):
        assert reminders.send_digests() == 1
    [digest] = digests(accounts.deputy_a)
    assert [n for group in sections(digest.body).values() for n in group] == [mine.tracking_number]


def test_deactivated_account_gets_nothing(flow, accounts):
    accounts.deputy_a.is_active = False
    accounts.deputy_a.save(update_fields=["is_active"])
    with at("2025-09-22"):
        flow.to("accepted")
    with at("2025-09-23"):
        assert reminders.send_digests() == 0
