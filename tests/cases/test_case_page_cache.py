"""Issue 17: a case's staff page is served whole from the cache per viewer (cases/page_cache.py,
staff_views.detail), under the case's token and the minute: any event of the case shows at once,
a page is never served to anyone but the viewer it was built for, and nothing is kept without a
cache the processes share."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Case

from .staff_pages import PHONE_CALL, act, detail_url, flashed, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

OVERDUE = b'class="flag flag-red">Overdue<'


def _page(client, case, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(detail_url(case) + query)
    case_queries = [q["sql"] for q in ctx.captured_queries if '"cases_' in q["sql"]]
    return response, case_queries


def test_a_warm_case_page_reads_nothing_of_the_case(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    first, cold = _page(client, case)
    second, warm = _page(client, case)
    assert first.status_code == second.status_code == 200
    assert cold and not warm, warm
    assert second.content == first.content.replace(
        first.content.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0],
        second.content.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0],
    )
    text = second.content.decode()
    assert case.tracking_number in text
    assert "{csrf-token}" not in text and "{unread-badge}" not in text


def test_an_event_of_the_case_shows_at_once(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    _page(client, case)
    services.reject_case(case, actor=accounts.station_a_staff, reason="spam", note="另案办理")
    response, queries = _page(client, case)
    assert queries
    assert "另案办理" in response.content.decode()


def test_the_page_after_an_action_and_the_next_visit_show_it(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    before, _q = _page(client, case)
    assert 'name="seen_status" value="submitted"' in before.content.decode()
    response = act(client, case, "accept", note="")
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "Accepted." in " ".join(flashed(shown)) or "Accepted." in shown.content.decode()
    again, _q = _page(client, case)
    assert 'name="seen_status" value="submitted"' not in again.content.decode()
    assert 'name="seen_status" value="accepted"' in again.content.decode()


@pytest.mark.parametrize("other", ["station_b_staff", "handler_a"])
def test_a_page_kept_for_one_viewer_is_not_served_to_another(client, flow, accounts, other):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    _page(client, case)
    _page(client, case)
    signed_in(client, getattr(accounts, other))
    response, queries = _page(client, case)
    assert response.status_code == 404
    assert queries


def test_a_viewer_who_may_see_less_gets_their_own_page(client, flow, accounts):
    case = flow.submit(**PHONE_CALL, citizen_name="王小明")
    signed_in(client, accounts.station_a_staff)
    staff_page, _q = _page(client, case)
    signed_in(client, accounts.deputy_a)
    deputy_page, queries = _page(client, case)
    assert queries
    assert deputy_page.status_code == 200
    # The station reviews the message; the deputy is offered nothing on it yet.
    accept = f'action="/staff/cases/{case.tracking_number}/accept/"'
    assert accept in staff_page.content.decode()
    assert "/accept/" not in deputy_page.content.decode()


def test_an_unknown_number_is_a_404_and_nothing_is_kept(client, flow, accounts):
    signed_in(client, accounts.station_a_staff)
    response = client.get("/staff/cases/0000000000/")
    assert response.status_code == 404
    assert cache.get("case-number:0000000000") is None


def test_the_clock_shows_within_the_minute(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    now = timezone.now().replace(second=0, microsecond=0)
    Case.objects.filter(pk=case.pk).update(due_at=now + timedelta(seconds=30))
    signed_in(client, accounts.station_a_staff)
    with time_machine.travel(now + timedelta(seconds=5), tick=False):
        before, _q = _page(client, case)
    with time_machine.travel(now + timedelta(seconds=50), tick=False):
        kept, queries = _page(client, case)
        assert not queries and OVERDUE not in kept.content
    with time_machine.travel(now + timedelta(seconds=62), tick=False):
        after, queries = _page(client, case)
        assert queries
    assert OVERDUE not in before.content
    assert OVERDUE in after.content


def test_without_a_shared_cache_the_page_is_built_each_time(client, flow, accounts, settings):
    """Another process could not forget it when the case changes."""
    settings.LIAISON_SHARED_CACHE = False
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    _page(client, case)
    _response, queries = _page(client, case)
    assert queries
