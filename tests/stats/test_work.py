"""The stations' and deputies' work: visits, bookings, reception days, activities and their
participants counted from the audit events; 三个一 per level; coverage and 进站率; scope and the
public page's small counts over HTTP."""

import re
from datetime import date, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.activities import services as activities
from liaison.directory.models import DeputyLevel, RegionLevel
from liaison.receptions.models import Duty
from liaison.receptions.services import Matter, record_attendance, register_visit
from liaison.stats import deputies, rollup, selectors, work, workfigures
from liaison.stats.models import DeputyYear, WorkFigure
from tests.factories import DeputyFactory, RegionFactory, StationFactory

DASHBOARD = "/staff/stats/"
PUBLIC = "/stats/"
DAY = date(2026, 3, 2)
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def cell(page: str, metric: str) -> str:
    marker = f'data-metric="{metric}">'
    start = page.index(marker) + len(marker)
    return re.sub(r"<[^>]+>", "", page[start : page.index("</td>", start)])


def visit(district, accounts, *, station=None, staff=None, deputies=None, day=DAY):
    return register_visit(
        actor=staff or accounts.station_a_staff,
        station=station or district.station_a,
        visitor_name="陈女士",
        visitor_phone="13912345678",
        matters=[Matter(district.category, "路灯不亮", "路灯不亮，请代表关注。")],
        privacy_accepted=True,
        deputies=[district.dep_a] if deputies is None else deputies,
        received_on=day,
    )


def duty(district, deputy, day=DAY):
    # The roster is set-up, not what is counted: the counted event is the attendance.
    return Duty.objects.create(
        station=district.station_a, date=day, start_time=time(9), deputy=deputy
    )


def figures(start=date(2026, 1, 1), end=date(2026, 12, 31)):
    return workfigures.compute(
        selectors.public_work_rows(None, None), selectors.public_rows(), start, end
    )


def snapshot():
    return sorted(
        WorkFigure.objects.filter(count__gt=0).values_list(
            "day", "station_id", "deputy_id", "kind_id", "metric", "count"
        )
    )


def test_visits_and_reception_days_are_counted(district, accounts):
    for _ in range(3):
        visit(district, accounts)
    visit(
        district,
        accounts,
        station=district.station_b,
        staff=accounts.station_b_staff,
        deputies=[district.dep_b],
    )
    first, second = duty(district, district.dep_a), duty(district, district.dep_shared)
    record_attendance(first, True, actor=accounts.station_a_staff)
    record_attendance(second, True, actor=accounts.station_a_staff)
    assert work.update() == 6
    found = figures()
    assert (found.visitors, found.reception_days) == (4, 1)  # two deputies, one reception day
    by_deputy = {row.deputy: row for row in found.deputies}
    assert by_deputy[district.dep_a].visitors == 3 and by_deputy[district.dep_a].duties == 1
    # A correction takes the attendance back: no reception day left once nobody came.
    record_attendance(first, False, actor=accounts.station_a_staff)
    record_attendance(second, False, actor=accounts.station_a_staff)
    record_attendance(second, False, actor=accounts.station_a_staff)  # recorded twice: no change
    work.update()
    assert figures().reception_days == 0
    assert figures(date(2026, 3, 3), date(2026, 3, 31)).visitors == 0  # outside the period


def test_activities_by_kind_and_participants(district, accounts, make_activity):
    activity = make_activity()
    came = activities.sign_up(activity, name="", phone="13812345678")
    activities.sign_up(activity, name="", phone="13812345679")
    with time_machine.travel(activity.starts_at + timedelta(minutes=30), tick=False):
        activities.hold_activity(
            activity,
            actor=accounts.station_a_staff,
            attended_deputies=[district.dep_a],
            minutes="议题：加装电梯。",
            present_signups=[came.pk],
        )
        assert work.update() == 1
        found = figures(date(2020, 1, 1), date(2029, 12, 31))
        assert (found.activities, found.participants) == (1, 1)
        assert [(kind.code, n, people) for kind, n, people in found.kinds] == [
            ("public-forum", 1, 1)
        ]
        # Ticking someone out of the minutes later takes the participant back; not a new activity.
        activities.hold_activity(
            activity,
            actor=accounts.station_a_staff,
            attended_deputies=[district.dep_a],
            minutes="议题：加装电梯。",
            present_signups=[],
        )
    work.update()
    found = figures(date(2020, 1, 1), date(2029, 12, 31))
    assert (found.activities, found.participants) == (1, 0)
    assert {row.deputy: row.activities for row in found.deputies} == {district.dep_a: 1}


def test_batches_give_what_a_rebuild_gives(district, accounts):
    for day in (DAY, DAY + timedelta(days=1)):
        visit(district, accounts, day=day)
        record_attendance(duty(district, district.dep_a, day), True, actor=accounts.station_a_staff)
    work.update(batch=1)
    one_by_one = snapshot()
    assert one_by_one
    assert work.rebuild(batch=1000) == 4
    assert snapshot() == one_by_one


def test_a_street_committee_sees_its_streets_work_only(client, district, accounts):
    for _ in range(2):
        visit(district, accounts)
    visit(
        district,
        accounts,
        station=district.station_b,
        staff=accounts.station_b_staff,
        deputies=[district.dep_b],
    )
    work.update()
    rollup.update()
    client.force_login(accounts.county_committee)
    assert cell(client.get(DASHBOARD, PERIOD).content.decode(), "visitors") == "3"
    client.force_login(accounts.street_a_committee)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    assert cell(page, "visitors") == "2"
    assert district.dep_b.name not in page
    response = client.get(DASHBOARD, {**PERIOD, "region": district.street_b.code})
    assert response.status_code == 403
    assert 'data-metric="visitors"' not in response.content.decode()
    client.force_login(accounts.deputy_a)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    assert f'data-deputy="{district.dep_a.pk}"' in page
    assert f'data-deputy="{district.dep_b.pk}"' not in page


def test_the_public_page_hides_small_work_counts_and_names(client, district, accounts):
    for _ in range(2):
        visit(district, accounts)
    work.update()
    page = client.get(PUBLIC, PERIOD).content.decode()
    assert cell(page, "visitors") == "&lt;5"
    assert 'id="table-deputies"' not in page and district.dep_a.name not in page
    for _ in range(3):
        visit(district, accounts)
    work.update()
    assert cell(client.get(PUBLIC, PERIOD).content.decode(), "visitors") == "5"


@time_machine.travel("2026-05-10 10:00 +0800", tick=False)
def test_three_ones_per_level(district, accounts):
    visit(district, accounts, day=date(2026, 5, 4))  # dep_a: a contact in May only
    national = DeputyFactory(name="国代表", level=DeputyLevel.NATIONAL, region=district.county)
    assert deputies.refresh() == 4
    row = DeputyYear.objects.get(deputy=district.dep_a, year=2026)
    assert (row.contact_months, row.months_due, row.contact_missed) == (1, 5, 4)
    levels = {r.level: r for r in deputies.by_level(DeputyYear.objects.filter(year=2026))}
    assert levels[DeputyLevel.NATIONAL].deputies == 1
    assert levels[DeputyLevel.COUNTY].deputies == 3
    assert levels[DeputyLevel.COUNTY].contact.denominator == 3
    assert levels[DeputyLevel.COUNTY].contact.numerator == 0  # all missed January to April
    national.is_active = False
    national.save()
    DeputyYear.objects.all().delete()
    assert deputies.refresh() == 3  # deputies no longer serving are not counted


def test_coverage_of_the_townships_and_deputies_in_a_station(district):
    empty = RegionFactory(code="330106003000", name="翠苑街道", parent=district.county)
    DeputyFactory(name="未进站", region=empty, stations=[])
    found = deputies.coverage(district.county)
    assert (found.townships.numerator, found.townships.denominator) == (2, 3)
    assert found.uncovered == [empty]
    assert (found.entered.numerator, found.entered.denominator) == (3, 4)
    # A station in a community covers its township too.
    community = RegionFactory(
        code="330106003001", name="社区", level=RegionLevel.COMMUNITY, parent=empty
    )
    StationFactory(name="社区联络室", region=community)
    assert deputies.coverage(district.county).townships.numerator == 3


def _queries(client) -> int:
    client.get("/staff/")  # the unread badge's count, kept after a first page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD, PERIOD).status_code == 200
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_the_work(client, district, accounts):
    client.force_login(accounts.county_committee)
    visit(district, accounts)
    work.update()
    rollup.update()
    deputies.refresh()
    few = _queries(client)
    for day in (DAY, DAY + timedelta(days=3)):
        visit(district, accounts, day=day)
        visit(
            district,
            accounts,
            station=district.station_b,
            staff=accounts.station_b_staff,
            deputies=[district.dep_b],
        )
        record_attendance(duty(district, district.dep_a, day), True, actor=accounts.station_a_staff)
    DeputyFactory(name="新代表", region=district.street_b)
    work.update()
    rollup.update()
    deputies.refresh()
    assert _queries(client) == few
