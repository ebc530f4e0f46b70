"""The demo year of activities (2026): every month at every station, past ones held with
attendance, a report to voters, upcoming ones announced; a second run adds nothing."""

from collections import defaultdict
from datetime import UTC, datetime

import pytest
import time_machine

from liaison.accounts import demo as account_demo
from liaison.activities import demo
from liaison.activities.models import (
    Activity,
    ActivityGuest,
    ActivityOpinion,
    ActivityStatus,
    SignUp,
)
from liaison.cases.models import Case, Channel
from liaison.core.models import AuditEvent
from liaison.directory import demo as directory_demo


@pytest.fixture
def loaded(db):
    with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
        directory_demo.load()  # stations and deputies
        account_demo.load()
        created = demo.load()
        yield created


def test_a_year_of_activities(loaded):
    assert loaded == Activity.objects.count() == len(demo.STATIONS) * 12 + len(demo.REPORTS)
    for code, _, _ in demo.STATIONS:
        months = {a.starts_at.month for a in Activity.objects.filter(station__code=code)}
        assert months == set(range(1, 13)), code
    kinds = set(Activity.objects.values_list("kind__code", flat=True))
    assert len(kinds) >= 10 and "report-to-voters" in kinds


def test_past_held_future_announced(loaded):
    now = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, when the demo loaded
    past, future = (
        Activity.objects.filter(starts_at__lt=now),
        Activity.objects.filter(starts_at__gte=now),
    )
    assert not past.exclude(status=ActivityStatus.HELD).exists()
    assert not future.exclude(status=ActivityStatus.ANNOUNCED).exists()
    assert not past.filter(minutes="").exists() and not past.filter(outcomes="").exists()
    assert not past.filter(attended_deputies__isnull=True).exists()
    assert SignUp.objects.filter(activity__in=future).exists()
    assert SignUp.objects.filter(activity__in=past, checked_in_at__isnull=False).exists()
    reports = Activity.objects.filter(kind__code="report-to-voters", status=ActivityStatus.HELD)
    assert reports.count() >= 5


def test_most_deputies_attend_each_quarter_two_do_not(loaded):
    quarters = defaultdict(set)
    for activity in Activity.objects.filter(
        status=ActivityStatus.HELD, starts_at__month__lte=9
    ).prefetch_related("attended_deputies"):
        for deputy in activity.attended_deputies.all():
            quarters[deputy.code].add((activity.starts_at.month - 1) // 3 + 1)
    complete = [code for code in demo.PRIMARY if quarters[code] == {1, 2, 3}]
    behind = {code for code in demo.PRIMARY if quarters[code] != {1, 2, 3}}
    assert behind == set(demo.MISSING_QUARTER)
    assert len(complete) == len(demo.PRIMARY) - 2 >= 30
    assert quarters["JB-Q07"] == {1, 3} and quarters["JB-X12"] == {1, 2}


def test_second_run_adds_nothing(loaded):
    before = (Activity.objects.count(), SignUp.objects.count())
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        assert demo.load() == 0
    assert (Activity.objects.count(), SignUp.objects.count()) == before


def test_two_opinions_at_one_held_activity_become_activity_cases(loaded):
    opinions = list(ActivityOpinion.objects.select_related("activity", "case"))
    assert len(opinions) == 2
    [activity] = {o.activity for o in opinions}
    assert activity.status == ActivityStatus.HELD and activity.station.code == demo.OPINION_STATION
    assert activity.kind.code == "public-forum"
    assert {o.case.channel for o in opinions} == {Channel.ACTIVITY}
    assert {o.case.citizen_phone for o in opinions} == {row[0] for row in demo.OPINIONS}
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        demo.load()
    assert ActivityOpinion.objects.count() == Case.objects.count() == 2


def test_an_announced_activity_has_outside_guests(loaded):
    with time_machine.travel("2026-11-21 10:05 +0800", tick=False):
        assert demo.load_guests() == 3
        assert demo.load_guests() == 0
    guests = ActivityGuest.objects.select_related("activity")
    assert {g.activity.status for g in guests} == {ActivityStatus.ANNOUNCED}
    assert len({g.activity_id for g in guests}) == 2


def test_two_stations_have_a_plan_with_one_line_not_held(loaded):
    from liaison.activities.plans import year_plan
    from liaison.directory.models import Station

    with time_machine.travel("2026-11-21 10:05 +0800", tick=False):
        assert demo.load_plans() > 20
        assert demo.load_plans() == 0
        plan = year_plan(Station.objects.get(code="JB-ST-XY"), 2026)
    assert [line.plan.month for line in plan.lines if line.overdue] == [3]
    assert plan.held_as_planned >= 10


def test_a_district_activity_without_a_station_has_outside_guests(loaded):
    """区级活动 with 联合接待 (issue 14): the district committee's own activity, announced, with
    the district's deputies and four outside guests; a second run adds nothing."""
    with time_machine.travel("2026-11-21 10:05 +0800", tick=False):
        assert demo.load_district_activity() == 1
        assert demo.load_district_activity() == 0
    activity = Activity.objects.get(title=demo.DISTRICT_TITLE)
    assert activity.station_id is None and activity.region.code == demo.DISTRICT
    assert activity.status == ActivityStatus.ANNOUNCED
    assert activity.deputies.exists()
    assert sorted(activity.guests.values_list("kind", flat=True)) == [
        "lawyer",
        "official",
        "police",
        "procurator",
    ]
    audit = AuditEvent.objects.filter(object_id=str(activity.pk))
    assert audit.filter(verb="activity.guest_added").count() == 4
