"""The staff list /staff/activities/: the account's scope only, searched (title, place), filtered
(station, kind, status tab, month or date range), sorted, paginated, in a bounded number of
queries."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.activities import selectors
from liaison.activities.models import Activity, ActivityKind, ActivityStatus

URL = reverse("activities:staff-list")
NOW = "2026-11-21 10:00 +0800"


def _at(month, day, hour=9):
    return timezone.make_aware(datetime(2026, month, day, hour))


@pytest.fixture
def kinds(db):
    # get_or_create: transactional tests flush the kinds the data migration seeded.
    forum, _ = ActivityKind.objects.get_or_create(
        code="public-forum", defaults={"name": "民情恳谈会", "name_en": "Public opinion forum"}
    )
    lecture, _ = ActivityKind.objects.get_or_create(
        code="policy-briefing", defaults={"name": "政策宣讲", "name_en": "Policy briefing"}
    )
    return forum, lecture


@pytest.fixture
def add(district, kinds):
    """An activity written directly (the list only reads; past ones cannot be announced)."""

    def make(title, starts, *, station=None, kind=None, status=ActivityStatus.ANNOUNCED, **extra):
        return Activity.objects.create(
            station=station or district.station_a,
            kind=kind or kinds[0],
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=extra.pop("place", "联络站二楼会议室"),
            status=status,
            **extra,
        )

    return make


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a.title for a in response.context["activities"]]


def test_each_account_sees_its_scope_only(client, district, accounts, add, travel):
    add("北山恳谈会", _at(12, 1))
    add("西溪恳谈会", _at(12, 2), station=district.station_b)
    client.force_login(accounts.station_a_staff)
    assert titles(client.get(URL)) == ["北山恳谈会"]
    client.force_login(accounts.county_committee)
    assert titles(client.get(URL)) == ["北山恳谈会", "西溪恳谈会"]
    client.force_login(accounts.deputy_a)
    assert client.get(URL).status_code == 403
    client.force_login(accounts.handler_a)
    assert client.get(URL).status_code == 403


def test_search_over_title_and_place(client, accounts, add, travel):
    add("民情恳谈会：加装电梯", _at(12, 1))
    add("政策宣讲：医保", _at(12, 2), place="保俶社区电梯厅")
    add("约您共学", _at(12, 3))
    client.force_login(accounts.station_a_staff)
    found = titles(client.get(URL, {"q": "电梯"}))
    assert found == ["民情恳谈会：加装电梯", "政策宣讲：医保"]
    assert titles(client.get(URL, {"q": "没有这个"})) == []


def test_filter_by_station_in_scope_only(client, district, accounts, add, travel):
    add("北山", _at(12, 1))
    add("保俶", _at(12, 2), station=district.room_a1)
    add("西溪", _at(12, 3), station=district.station_b)
    client.force_login(accounts.street_a_committee)
    assert titles(client.get(URL)) == ["北山", "保俶"]
    assert titles(client.get(URL, {"station": district.room_a1.pk})) == ["保俶"]
    outside = client.get(URL, {"station": district.station_b.pk})
    assert outside.status_code == 400 and "station" in outside.context["form"].errors
    assert list(outside.context["activities"]) == []


def test_filter_by_kind_and_status_tab_with_counts(client, accounts, add, kinds, travel):
    forum, lecture = kinds
    add("恳谈一", _at(12, 1))
    add("宣讲一", _at(12, 2), kind=lecture)
    add("恳谈草稿", _at(12, 3), status=ActivityStatus.DRAFT)
    add("恳谈已办", _at(10, 3), status=ActivityStatus.HELD)
    add("恳谈取消", _at(12, 4), status=ActivityStatus.CANCELLED)
    client.force_login(accounts.station_a_staff)
    assert titles(client.get(URL, {"kind": lecture.pk})) == ["宣讲一"]
    assert titles(client.get(URL, {"status": "held"})) == ["恳谈已办"]
    both = client.get(URL, {"status": "announced", "kind": forum.pk})
    assert titles(both) == ["恳谈一"]
    counts = {key: count for key, _label, count, _link in both.context["tabs"]}
    assert counts == {"": 5, "draft": 1, "announced": 2, "held": 1, "cancelled": 1}
    assert client.get(URL, {"status": "nonsense"}).status_code == 400


def test_month_and_date_range(client, accounts, add, travel):
    add("十月底", _at(10, 31, 20))
    add("十一月初", _at(11, 1, 8))  # 8:00 in Shanghai is still 31 October in UTC
    add("十一月底", _at(11, 30, 20))
    add("十二月初", _at(12, 1, 8))
    client.force_login(accounts.station_a_staff)
    month = client.get(URL, {"month": "2026-11", "sort": "oldest"})
    assert titles(month) == ["十一月初", "十一月底"]
    both_ends = {"starts_from": "2026-10-31", "starts_until": "2026-11-01", "sort": "oldest"}
    assert titles(client.get(URL, both_ends)) == ["十月底", "十一月初"]
    assert titles(client.get(URL, {"starts_from": "2026-11-30", "sort": "oldest"})) == [
        "十一月底",
        "十二月初",
    ]
    assert titles(client.get(URL, {"starts_until": "2026-10-31"})) == ["十月底"]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "November"}, "month"),
        ({"starts_from": "2026-02-30"}, "starts_from"),
        ({"starts_from": "2026-11-10", "starts_until": "2026-11-01"}, "starts_until"),
        ({"month": "2026-11", "starts_from": "2026-11-01"}, "__all__"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_bad_filters_are_400_with_the_field_named(client, accounts, add, travel, query, field):
    add("恳谈会", _at(11, 5))
    client.force_login(accounts.station_a_staff)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert list(response.context["activities"]) == []


def test_default_order_upcoming_soonest_first_then_past_latest_first(client, accounts, add, travel):
    add("上月", _at(10, 20))
    add("下周", _at(11, 28))
    add("今天进行中", _at(11, 21, 9))  # 9:00–11:00, it is 10:00: not over, so upcoming
    add("年初", _at(1, 15))
    add("下月", _at(12, 20))
    add("昨天", _at(11, 20))
    client.force_login(accounts.station_a_staff)
    assert titles(client.get(URL)) == ["今天进行中", "下周", "下月", "昨天", "上月", "年初"]
    assert titles(client.get(URL, {"sort": "newest"})) == [
        "下月",
        "下周",
        "今天进行中",
        "昨天",
        "上月",
        "年初",
    ]


def test_sort_by_title_and_by_status(client, accounts, add, travel):
    add("b 宣讲", _at(12, 1), status=ActivityStatus.HELD)
    add("a 恳谈", _at(12, 2), status=ActivityStatus.CANCELLED)
    add("c 共学", _at(12, 3), status=ActivityStatus.DRAFT)
    add("d 共建", _at(12, 4))
    client.force_login(accounts.station_a_staff)
    assert titles(client.get(URL, {"sort": "title"})) == ["a 恳谈", "b 宣讲", "c 共学", "d 共建"]
    by_status = titles(client.get(URL, {"sort": "status"}))
    assert by_status == ["c 共学", "d 共建", "b 宣讲", "a 恳谈"]


def test_pagination_keeps_the_filters(client, accounts, add, travel):
    for n in range(selectors.STAFF_PAGE_SIZE + 3):
        add(f"恳谈会 {n:02d}", _at(12, 1) + timedelta(hours=n))
    add("宣讲", _at(12, 1))
    client.force_login(accounts.station_a_staff)
    first = client.get(URL, {"q": "恳谈", "sort": "oldest"})
    assert len(titles(first)) == selectors.STAFF_PAGE_SIZE
    assert first.context["page_obj"].paginator.count == selectors.STAFF_PAGE_SIZE + 3
    assert "q=%E6%81%B3%E8%B0%88&amp;sort=oldest&amp;page=2" in first.content.decode()
    second = client.get(URL, {"q": "恳谈", "sort": "oldest", "page": 2})
    assert titles(second) == ["恳谈会 25", "恳谈会 26", "恳谈会 27"]
    beyond = client.get(URL, {"q": "恳谈", "sort": "oldest", "page": 99})
    assert titles(beyond) == ["恳谈会 25", "恳谈会 26", "恳谈会 27"]  # the last page


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, district, accounts, add, kinds, travel
):
    client.force_login(accounts.county_committee)

    def queries() -> int:
        client.get(URL, {"sort": "status"})  # the unread badge's count is kept after the first
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"sort": "status"})
        assert response.status_code == 200
        return len(captured)

    add("一", _at(12, 1))
    few = queries()
    for n in range(20):
        station = [district.station_a, district.station_b, district.room_a1][n % 3]
        add(f"恳谈 {n}", _at(12, 2) + timedelta(hours=n), station=station, kind=kinds[n % 2])
    assert queries() == few
