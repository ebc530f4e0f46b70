"""A deputy's record (履职日记): the deputy sees their own only; staff see the deputies in their
scope; the figures come from duties, visits, answered cases, attended activities and confirmed
entries of the chosen year."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.cases.models import Case
from liaison.records.record import build_record

from .conftest import local

pytestmark = pytest.mark.django_db


def figure(response, name: str) -> int:
    import re

    html = response.content.decode()
    match = re.search(rf'data-figure="{name}"><dt>[^<]*</dt><dd>(\d+)</dd>', html)
    return int(match[1])


@pytest.fixture
def year_of_doings(doings, district):
    dep = district.dep_a
    doings.duty(dep, date(2026, 1, 5))
    doings.duty(dep, date(2026, 2, 5), attended=False)
    doings.visit(dep, date(2026, 1, 5))
    doings.visit(dep, date(2026, 1, 5), name="钱女士", phone="13922223333")
    closed = doings.response(dep, local(2026, 3, 1, 10), title="楼道灯坏了")
    Case.objects.filter(pk=closed.pk).update(status="closed", rating="satisfied")
    doings.response(dep, local(2026, 3, 2, 10), title="垃圾清运不及时", verb="case.replied")
    doings.response(dep, local(2025, 3, 2, 10), title="去年的事")
    doings.activity(local(2026, 4, 1, 9), attended=[dep], title="约您共话")
    doings.activity(local(2026, 4, 2, 9), invited=[dep], title="没去的会")
    doings.entry(dep, date(2026, 5, 1), title="视察河道")
    doings.entry(dep, date(2026, 5, 2), title="待确认的调研", status="pending")
    return dep


def test_the_record_counts_what_happened_in_the_year(year_of_doings):
    record = build_record(year_of_doings, 2026, on=date(2026, 12, 31))
    f = record.figures
    assert (f["duties"], f["people_received"], f["cases_answered"], f["activities"]) == (1, 2, 2, 1)
    assert (f["cases_settled"], f["rated_satisfied"], f["entries"]) == (1, 1, 1)
    titles = [item.title for item in record.items]
    assert "约您共话" in titles and "没去的会" not in titles
    assert "视察河道" in titles and "待确认的调研" not in titles and "去年的事" not in titles
    assert [item.day for item in record.items] == sorted(item.day for item in record.items)
    # The visitors stay private.
    assert not any("赵大爷" in (item.title + item.detail) for item in record.items)


def test_the_deputy_sees_their_own_record(client, accounts, year_of_doings):
    client.force_login(accounts.deputy_a)
    response = client.get(reverse("records:me") + "?year=2026")
    assert response.status_code == 200
    assert figure(response, "people_received") == 2
    assert figure(response, "cases_answered") == 2
    page = response.content.decode()
    assert "待确认的调研" in page  # shown as waiting, not counted
    assert "赵大爷" not in page and "13911112222" not in page
    other = client.get(reverse("records:me") + "?year=2025")
    assert figure(other, "cases_answered") == 1
    assert client.get(reverse("records:me") + "?year=abc").status_code == 400


def test_a_deputy_cannot_open_another_deputys_record(client, accounts, district):
    client.force_login(accounts.deputy_a)
    assert client.get(reverse("records:deputy", args=[district.dep_b.pk])).status_code == 404
    assert client.get(reverse("records:report", args=[district.dep_b.pk])).status_code == 404
    assert client.get(reverse("records:deputy", args=[district.dep_a.pk])).status_code == 200
    assert client.get(reverse("records:overview")).status_code == 302  # to their own record


def test_staff_see_the_deputies_in_their_scope_only(client, accounts, district):
    url = reverse("records:deputy", args=[district.dep_a.pk])
    client.force_login(accounts.station_a_staff)
    assert client.get(url).status_code == 200
    client.force_login(accounts.station_b_staff)
    assert client.get(url).status_code == 404
    assert client.get(reverse("records:deputy", args=[district.dep_b.pk])).status_code == 200
    client.force_login(accounts.street_a_committee)
    assert client.get(url).status_code == 200
    client.force_login(accounts.handler_a)
    assert client.get(url).status_code == 404
    assert client.get(reverse("records:overview")).status_code == 403
    assert client.get(reverse("records:me")).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
