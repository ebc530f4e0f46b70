"""Issue 17: the tracking page of a much-raised matter. Thousands of cases merged into one main
case used to make its page (and those of the merged ones) read every merged case and every
"another citizen raised it" event; the count is now a counter kept by merge_case and the
timeline reads the latest such event only — the same queries for 2 or 40 merged cases."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.cases import selectors, services
from liaison.cases.models import Case

from .public_support import PHONE, english

pytestmark = pytest.mark.django_db


def _open(client, case):
    client.post(f"/t/{case.tracking_number}", {"action": "last4", "last4": PHONE[-4:]})
    english(client)


def _page(client, case):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(f"/t/{case.tracking_number}").content.decode()
    sql = [q["sql"] for q in ctx.captured_queries]
    # Rows, not only queries: no read of the merged cases, and the merge events one at a time.
    assert not [q for q in sql if '"merged_into_id" IN' in q]
    events = [q for q in sql if 'FROM "cases_caseevent"' in q and "merge_received" in q]
    assert all("LIMIT 1" in q or "NOT" in q for q in events)
    return html, len(ctx)


def _merge(flow, accounts, main, n):
    for i in range(n):
        services.merge_case(
            flow.submit(citizen_phone=f"1380000{i:04d}"), main, actor=accounts.station_a_staff
        )


def test_the_count_of_citizens_is_kept_through_chains_of_merges(flow, accounts):
    main, middle = flow.submit(), flow.submit()
    _merge(flow, accounts, middle, 2)  # middle now speaks for 3 citizens
    services.merge_case(middle, main, actor=accounts.station_a_staff)
    main.refresh_from_db()
    assert main.raised_by == 4 == 1 + len(selectors.merged_cases(main))
    assert selectors.merged_count(main) == 4


def test_a_refused_merge_counts_nobody(flow, accounts):
    main, duplicate = flow.submit(), flow.submit()
    services.reject_case(main, actor=accounts.station_a_staff, reason="spam")
    with pytest.raises(ValidationError):
        services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    with pytest.raises(ValidationError):
        services.merge_case(duplicate, duplicate, actor=accounts.station_a_staff)
    assert [c.raised_by for c in Case.objects.order_by("pk")] == [1, 1]


def test_the_main_case_page_costs_the_same_for_2_or_40_merged(client, flow, accounts):
    main = flow.submit(citizen_phone=PHONE)
    _merge(flow, accounts, main, 1)
    services.accept_case(main, actor=accounts.station_a_staff)
    _open(client, main)
    html, few = _page(client, main)
    assert "2 people raised this matter" in html
    _merge(flow, accounts, main, 39)
    html, many = _page(client, main)
    assert "41 people raised this matter" in html
    assert html.count("Another citizen raised the same matter") == 1
    assert many == few


def test_a_merged_case_page_costs_the_same_for_2_or_40_merged(client, flow, accounts):
    main = flow.submit(citizen_phone="13911110000")
    mine = flow.submit(citizen_phone=PHONE)
    services.merge_case(mine, main, actor=accounts.station_a_staff)
    _open(client, Case.objects.get(pk=mine.pk))
    html, few = _page(client, mine)
    assert "2 people raised this matter" in html
    _merge(flow, accounts, main, 38)
    html, many = _page(client, mine)
    assert "40 people raised this matter" in html
    assert many == few
