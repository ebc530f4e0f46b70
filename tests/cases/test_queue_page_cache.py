"""Issue 17: a staff queue is served whole from the cache per viewer (cases/page_cache.py), under
the token of the scope it lists: any event of a case in that scope shows at once, in every queue
that lists the case (its station's, each region's above it, its deputy's); an event elsewhere
leaves the page where it is; a set-based deadline recomputation and the clock show too."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Case
from liaison.workdays.models import CalendarDay, ScheduleYear

from .staff_pages import PHONE_CALL, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

QUEUE = "/staff/cases/"


def _queue(client, query="tab=all"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def _built_again(client, query, case) -> bool:
    """Whether the second visit of the queue, which lists `case`, reads the cases again."""
    _queue(client, query)
    with CaptureQueriesContext(connection) as ctx:
        page, _n = _queue(client, query)
    assert case.tracking_number in page
    return any('"cases_case"' in q["sql"] for q in ctx.captured_queries)


def test_a_warm_queue_costs_no_query_of_its_cases(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    first, cold = _queue(client)
    second, warm = _queue(client)
    assert case.tracking_number in second
    assert first.count("case-card") == second.count("case-card") == 1
    # The session, the account, its second factor, the unread badge: nothing of the cases.
    assert warm <= 4, warm
    assert warm < cold / 2, (cold, warm)
    assert "{csrf-token}" not in second and "{unread-badge}" not in second


@pytest.mark.parametrize(
    "viewer", ["station_a_staff", "street_a_committee", "county_committee", "administrator"]
)
def test_a_new_case_shows_at_once_in_every_queue_that_lists_it(client, flow, accounts, viewer):
    signed_in(client, getattr(accounts, viewer))
    flow.submit(**PHONE_CALL)
    _queue(client)
    case = flow.submit(**PHONE_CALL, title="井盖松动")
    page, _n = _queue(client)
    assert case.tracking_number in page


def test_a_step_shows_at_once(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    before, _n = _queue(client, "tab=mine")
    assert case.tracking_number in before
    services.reject_case(case, actor=accounts.station_a_staff, reason="spam")
    after, _n = _queue(client, "tab=mine")
    assert case.tracking_number not in after


def test_a_message_to_the_station_reaches_the_deputy_it_is_given_to(client, flow, accounts):
    case = flow.submit(**PHONE_CALL, deputy=None)
    signed_in(client, accounts.deputy_a)
    before, _n = _queue(client)
    assert case.tracking_number not in before
    services.accept_case(case, actor=accounts.station_a_staff, deputy=flow.d.dep_a)
    after, _n = _queue(client)
    assert case.tracking_number in after


def test_an_event_at_another_station_leaves_the_page_in_the_cache(client, flow, accounts):
    signed_in(client, accounts.station_a_staff)
    flow.submit(**PHONE_CALL)
    _queue(client)
    _page, warm = _queue(client)
    other = flow.submit(**PHONE_CALL, station=flow.d.station_b, deputy=flow.d.dep_b)
    page, after = _queue(client)
    assert other.tracking_number not in page
    assert after == warm


def test_a_department_queue_is_built_each_time(client, flow, accounts):
    case = flow.to("assigned", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    # Its cases are those it holds an assignment for, not one of the scopes: read each time.
    assert _built_again(client, "tab=mine", case)


def test_without_a_shared_cache_a_queue_is_built_each_time(client, flow, accounts, settings):
    """Another process could not forget it when a case changes."""
    settings.LIAISON_SHARED_CACHE = False
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    assert _built_again(client, "tab=all", case)


def test_a_recomputed_deadline_shows_at_once(client, flow, accounts):
    ScheduleYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(year__gte=2027).delete()
    case = flow.to("in_progress", **PHONE_CALL)
    Case.objects.filter(pk=case.pk).update(
        due_from=timezone.make_aware(timezone.datetime(2026, 12, 28, 10)),
        due_days=15,
        due_at=timezone.make_aware(timezone.datetime(2027, 1, 15, 23, 59)),
        due_provisional=True,
    )
    signed_in(client, accounts.county_committee)
    before, _n = _queue(client)
    assert "(provisional)" in before
    CalendarDay.objects.create(date=date(2027, 1, 4), kind="holiday", name="测试", year=2027)
    ScheduleYear.objects.create(year=2027, source="manual", loaded_at=timezone.now())
    assert services.recalculate_deadlines({2027}) == 1
    after, _n = _queue(client)
    assert "(provisional)" not in after


def test_a_case_falling_due_shows_within_the_minute(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    now = timezone.now().replace(second=0, microsecond=0)
    Case.objects.filter(pk=case.pk).update(due_at=now + timedelta(seconds=30))
    signed_in(client, accounts.station_a_staff)
    with time_machine.travel(now + timedelta(seconds=5), tick=False):
        before, _n = _queue(client, "tab=overdue")
        assert case.tracking_number not in before
    with time_machine.travel(now + timedelta(seconds=50), tick=False):
        # Due, but the page of this minute is kept.
        kept, _n = _queue(client, "tab=overdue")
        assert case.tracking_number not in kept
    with time_machine.travel(now + timedelta(seconds=62), tick=False):
        after, _n = _queue(client, "tab=overdue")
        assert case.tracking_number in after
