"""A deadline in a year with no schedule is provisional (weekends alone); loading the year
recomputes the open deadlines through the registered recalculators."""

from datetime import date

from django.urls import reverse

from liaison.core.models import AuditEvent
from liaison.workdays.deadlines import add_working_days

from .conftest import NOTICE_2027


def test_crossing_into_a_missing_year_is_provisional_and_counts_weekends_only(db):
    # Mon 2026-12-21 + 15: 2027-01-01 (a Friday) counts, as 2027 has no schedule yet.
    deadline = add_working_days(date(2026, 12, 21), 15)

    assert deadline.provisional
    assert deadline.explanation.missing_years == (2027,)
    assert date(2027, 1, 1) in deadline.explanation.counted
    assert deadline.due_date == date(2027, 1, 11)


def test_a_deadline_inside_loaded_years_is_not_provisional(db):
    assert not add_working_days(date(2026, 12, 1), 15).provisional


def test_loading_the_year_recomputes_and_the_deadline_changes(
    admin_client, administrator, recalculated, django_capture_on_commit_callbacks
):
    before = add_working_days(date(2026, 12, 21), 15)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:workdays_scheduleyear_import"),
            {"year": 2027, "text": NOTICE_2027, "save": "1"},
        )

    assert response.status_code == 302
    assert recalculated == [({2027}, administrator)]
    after = add_working_days(date(2026, 12, 21), 15)
    assert not after.provisional
    assert after.due_date == date(2027, 1, 12)  # 01-01 is now New Year's Day
    assert after.due_date != before.due_date
    event = AuditEvent.objects.get(verb="workdays.recomputed")
    assert event.data == {"years": [2027], "changed": 7}


def test_nothing_is_recomputed_when_the_import_fails(
    admin_client, recalculated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        admin_client.post(
            reverse("admin:workdays_scheduleyear_import"),
            {"year": 2027, "text": "元旦: 01-01; 调休上班 01-04", "save": "1"},  # a Monday
        )

    assert callbacks == []
    assert recalculated == []


def test_a_failing_recalculator_does_not_stop_the_others(
    administrator, recalculated, django_capture_on_commit_callbacks, caplog
):
    from liaison.workdays import recalculators, services

    def broken(years, actor):
        raise RuntimeError("boom")

    recalculators.register(broken)
    recalculators.register(broken)  # registering twice keeps one
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.load_notice(2027, NOTICE_2027, actor=administrator)
    finally:
        recalculators.unregister(broken)

    assert recalculated == [({2027}, administrator)]
    assert "boom" in caplog.text
