"""The 三个一 overview for station and committee staff: 12 month cells, 4 quarter cells and the
report cell per deputy; "only those behind", sorting, pagination; a fixed number of queries."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from liaison.records import selectors

from ..factories import DeputyFactory
from .conftest import local

pytestmark = pytest.mark.django_db


def rows(response) -> list[str]:
    return re.findall(r'<tr data-deputy="(\d+)"', response.content.decode())


def cells(response, deputy) -> list[str]:
    html = response.content.decode()
    row = re.search(rf'<tr data-deputy="{deputy.pk}".*?</tr>', html, re.S)[0]
    return re.findall(r'data-state="(\w+)"', row)


@pytest.fixture
def now():
    with time_machine.travel(local(2026, 5, 21, 10), tick=False):
        yield


def test_cells_show_the_deputys_year(client, accounts, district, doings, now):
    doings.duty(district.dep_a, date(2026, 1, 5))
    doings.activity(local(2026, 2, 5, 9), attended=[district.dep_a], kind="report-to-voters")
    client.force_login(accounts.station_a_staff)
    response = client.get(reverse("records:overview"), {"year": 2026})
    assert response.status_code == 200
    found = cells(response, district.dep_a)
    assert len(found) == 12 + 4 + 1
    assert found[:5] == ["done", "done", "missed", "missed", "late"]
    assert found[5:12] == ["future"] * 7
    assert found[12:16] == ["done", "open", "future", "future"]
    assert found[16] == "done"


def test_only_those_behind_and_sorting(client, accounts, district, doings, now):
    for month in range(1, 6):
        doings.duty(district.dep_a, date(2026, month, 5))
    doings.activity(local(2026, 2, 5, 9), attended=[district.dep_a])
    client.force_login(accounts.station_a_staff)  # sees dep_a and dep_shared
    everyone = rows(client.get(reverse("records:overview"), {"year": 2026}))
    assert set(everyone) == {str(district.dep_a.pk), str(district.dep_shared.pk)}
    behind = rows(client.get(reverse("records:overview"), {"year": 2026, "behind": "on"}))
    assert behind == [str(district.dep_shared.pk)]
    by_contact = rows(client.get(reverse("records:overview"), {"year": 2026, "sort": "contact"}))
    assert by_contact == [str(district.dep_shared.pk), str(district.dep_a.pk)]
    assert client.get(reverse("records:overview"), {"sort": "bogus"}).status_code == 400


def test_scope_and_search(client, accounts, district, now):
    client.force_login(accounts.station_b_staff)
    found = rows(client.get(reverse("records:overview"), {"year": 2026}))
    assert set(found) == {str(district.dep_b.pk), str(district.dep_shared.pk)}
    client.force_login(accounts.county_committee)
    found = rows(client.get(reverse("records:overview"), {"year": 2026, "q": "王建"}))
    assert found == [str(district.dep_b.pk)]


@pytest.mark.parametrize("behind", ["", "on"])
def test_queries_do_not_grow_with_the_deputies(
    client, accounts, district, doings, django_assert_max_num_queries, now, behind
):
    client.force_login(accounts.county_committee)
    url = reverse("records:overview")

    def add_deputies(n):
        for _ in range(n):
            deputy = DeputyFactory(region=district.street_a, stations=[district.station_a])
            doings.duty(deputy, date(2026, 1, 5))
            doings.activity(local(2026, 2, 5, 9), attended=[deputy])
            doings.entry(deputy, date(2026, 3, 5), kind="voter_contact")

    add_deputies(2)
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"year": 2026, "behind": behind})
    add_deputies(selectors.PAGE_SIZE + 5)  # more than a page
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"year": 2026, "behind": behind})
    assert len(rows(response)) == selectors.PAGE_SIZE
    assert response.context["page_obj"].paginator.num_pages == 2
