"""Issue 17: the number of queries per staff page and per API list is pinned, and the same with 3
cases as with 30; queue counts are capped (never an exact COUNT(*) over every row); the tracking
page is cached under a version every case event replaces, so it is never stale."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.api.keys import create_key
from liaison.cases import queues, services
from liaison.cases.models import Case
from liaison.core import counting

from .public_support import PHONE, english
from .staff_pages import PHONE_CALL, detail_url, signed_in

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/"
API_QUEUE = "/api/v1/staff/cases/"

# Queries per page: session, account, the page's ids and then its rows (ids first), the capped
# tab counts (one query, which is also the page's count when no filter is set); the unread badge
# comes from the cache (notifications/inbox.py); the filter form's choices (category, department;
# the station and deputy are typed, not listed) are rendered once per viewer and query and then
# come from the cache. Pinned so that a new per-row query (or a new per-page one) shows here.
PINNED = {
    "station_a_staff": 8,
    "county_committee": 8,
    "deputy_a": 8,
    "handler_a": 8,
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def make(flow, n):
    """n cases that every queue of the test accounts shows: assigned to department_a."""
    return [flow.to("assigned", **PHONE_CALL) for _ in range(n)]


def queries(client, url, **extra) -> int:
    client.get(url, **extra)  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:500]
    return len(ctx)


@pytest.mark.parametrize("role", sorted(PINNED))
def test_a_queue_page_takes_the_same_queries_for_3_or_30_cases(client, flow, accounts, role):
    make(flow, 3)
    signed_in(client, getattr(accounts, role))
    few = queries(client, QUEUE)
    make(flow, 27)
    many = queries(client, QUEUE)
    page = client.get(QUEUE)
    assert len(page.context["rows"]) == 25
    assert page.context["page_obj"].paginator.count == 30
    assert "30 cases" in page.content.decode()
    assert few == many == PINNED[role]


def test_the_staff_case_detail_takes_the_same_queries_for_3_or_30_cases(client, flow, accounts):
    case, *_ = make(flow, 3)
    signed_in(client, accounts.station_a_staff)
    few = queries(client, detail_url(case))
    make(flow, 27)
    assert queries(client, detail_url(case)) == few


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def test_the_api_list_takes_the_same_queries_for_3_or_30_cases(api, flow, accounts):
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    make(flow, 3)
    few = queries(api, API_QUEUE)
    make(flow, 27)
    many = queries(api, API_QUEUE)
    body = api.get(API_QUEUE).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (30, False, 20)
    assert few == many


@pytest.mark.parametrize("sort", ["due", "newest", "oldest", "supporters"])
def test_a_page_sorts_its_ids_first_then_reads_its_rows(client, flow, accounts, sort):
    """The page's ids are sorted from the index (core/counting.CappedPaginator, ids_first) and
    only its 25 rows read after: the same cases in the same order as one query would give."""
    cases = make(flow, 28)
    for days, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            due_at=timezone.now() + timedelta(days=days % 5), supporters=days % 3
        )
    signed_in(client, accounts.county_committee)
    client.get(QUEUE)
    for page in (1, 2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(QUEUE, {"tab": "mine", "sort": sort, "page": page})
        query = queues.Query(tab="mine", sort=sort)
        expected = list(queues.queue(accounts.county_committee, query))[(page - 1) * 25 :][:25]
        assert [case for case, _flag in response.context["rows"]] == expected
        rows = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT "cases_case"."id", "cases_case"."tracking_number"')
        ]
        assert len(rows) == 1 and '"cases_case"."id" IN (' in rows[0]
        assert "LIMIT" not in rows[0] and "OFFSET" not in rows[0]


# --- capped counts -------------------------------------------------------------------------------


def test_counts_past_the_cap_show_as_cap_plus(client, flow, accounts, monkeypatch):
    make(flow, 4)
    monkeypatch.setattr(counting, "COUNT_CAP", 3)
    signed_in(client, accounts.station_a_staff)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE)
    html = response.content.decode()
    assert "3+ cases" in html
    assert '<span class="count-badge">3+</span>' in html
    assert response.context["page_obj"].paginator.capped
    # Every count stops after cap + 1 rows: no COUNT(*) without a LIMIT inside it.
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and "cases_case" in q["sql"]
    ]
    assert counts
    assert all("LIMIT 4" in sql for sql in counts)


def test_counts_under_the_cap_are_exact(client, flow, accounts, monkeypatch):
    make(flow, 3)
    monkeypatch.setattr(counting, "COUNT_CAP", 3)
    signed_in(client, accounts.station_a_staff)
    response = client.get(QUEUE)
    assert "3 cases" in response.content.decode()
    assert "3+" not in response.content.decode()
    assert not response.context["page_obj"].paginator.capped


def test_the_api_says_count_capped(api, flow, accounts, monkeypatch):
    make(flow, 4)
    monkeypatch.setattr(counting, "COUNT_CAP", 3)
    _key, raw = create_key(name="test", user=accounts.county_committee, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    body = api.get(API_QUEUE).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (4, True, 4)


def test_capped_counts_of_empty_querysets_take_no_query(accounts):
    from liaison.cases.models import Case

    with CaptureQueriesContext(connection) as ctx:
        assert counting.capped_counts({"a": Case.objects.none()}) == {"a": 0}
    assert len(ctx) == 0


# --- the tracking page, cached -------------------------------------------------------------------


def _open(client, case):
    client.post(f"/t/{case.tracking_number}", {"action": "last4", "last4": PHONE[-4:]})
    english(client)


def _page(client, case) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/t/{case.tracking_number}")
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def test_the_tracking_page_is_built_once_and_cheaper_from_the_cache(client, flow):
    case = flow.to("in_progress", **PHONE_CALL)
    _open(client, case)
    _html, first = _page(client, case)
    _html, second = _page(client, case)
    assert second < first


def test_the_tracking_page_is_never_stale_after_an_event(client, flow, accounts):
    case = flow.to("assigned", **PHONE_CALL)
    _open(client, case)
    before, _n = _page(client, case)
    services.sign_assignment(case, actor=accounts.handler_a)
    after, _n = _page(client, case)
    assert "Being handled by the department" in after
    # The timeline (the cached part) has the new step.
    assert "The department took the matter on" not in before
    assert "The department took the matter on" in after


def test_a_merged_case_page_follows_the_main_cases_events(client, flow, accounts):
    main = flow.to("accepted", **PHONE_CALL)
    merged = services.merge_case(flow.submit(**PHONE_CALL), main, actor=accounts.station_a_staff)
    _open(client, merged)

    def main_verbs():
        response = client.get(f"/t/{merged.tracking_number}")
        return [entry["verb"] for entry in response.context["main_timeline"]]

    before = main_verbs()
    services.reply_case(main, actor=accounts.deputy_a, text="已收到，建议交办。", settle=False)
    after = main_verbs()
    assert "case.replied" not in before
    assert "case.replied" in after


def test_a_merged_case_page_costs_the_same_for_1_or_5_merged_cases(client, flow, accounts):
    main = flow.to("accepted", **PHONE_CALL)
    first = services.merge_case(flow.submit(**PHONE_CALL), main, actor=accounts.station_a_staff)
    _open(client, first)
    cache.clear()
    _html, one = _page(client, first)
    for _ in range(4):
        services.merge_case(flow.submit(**PHONE_CALL), main, actor=accounts.station_a_staff)
    cache.clear()
    _html, five = _page(client, first)
    assert one == five
