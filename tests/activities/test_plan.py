"""年度活动计划: staff plan a station's year (audited), see planned against held, and the public
station page shows the plan; bad input is refused with a message and changes nothing."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.activities import services
from liaison.activities.models import Activity, ActivityKind, ActivityStatus, PlannedActivity
from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PAGE = "/staff/activities/plan/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        yield


@pytest.fixture
def kind(db):
    kind, _ = ActivityKind.objects.get_or_create(
        code="public-forum", defaults={"name": "民情恳谈会", "name_en": "Public opinion forum"}
    )
    return kind


def _plan(station, actor, kind, month, title="民情恳谈会"):
    return services.add_planned_activity(
        station=station, year=2026, month=month, kind=kind, title=title, actor=actor
    )


def _held(make_activity, month, **extra):
    activity = make_activity(**extra)
    when = timezone.make_aware(datetime(2026, month, 10, 9, 30))
    Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.HELD, starts_at=when)
    return activity


def test_staff_add_a_line_to_the_plan(client, district, accounts, kind):
    client.force_login(accounts.station_a_staff)
    data = {
        "action": "plan",
        "plan-month": "9",
        "plan-kind": kind.pk,
        "plan-title": "中秋民情恳谈会",
    }
    response = client.post(f"{PAGE}?station={district.station_a.pk}&year=2026", data)
    assert response.status_code == 302
    plan = PlannedActivity.objects.get()
    assert (plan.station, plan.year, plan.month, plan.title) == (
        district.station_a,
        2026,
        9,
        "中秋民情恳谈会",
    )
    assert AuditEvent.objects.filter(verb="plannedactivity.added").count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"plan-month": "13"}, "month"),
        ({"plan-month": "x"}, "month"),
        ({"plan-title": "  "}, "title"),
        ({"plan-kind": "999999"}, "kind"),
    ],
)
def test_bad_lines_are_refused(client, district, accounts, kind, changes, field):
    client.force_login(accounts.station_a_staff)
    data = {"action": "plan", "plan-month": "9", "plan-kind": kind.pk, "plan-title": "恳谈会"}
    response = client.post(PAGE, {**data, **changes})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not PlannedActivity.objects.exists()


def test_a_year_too_far_ahead_is_refused(district, accounts, kind):
    with pytest.raises(Exception, match="year"):
        services.add_planned_activity(
            station=district.station_a,
            year=2030,
            month=1,
            kind=kind,
            title="太远",
            actor=accounts.station_a_staff,
        )
    assert not PlannedActivity.objects.exists()


def test_a_bad_year_in_the_address_is_400(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    response = client.get(PAGE, {"year": "２０２６"})
    assert response.status_code == 400
    assert response.context["year"] == 2026


def test_other_station_staff_may_not_plan_here(district, accounts, kind):
    with pytest.raises(NotAllowed):
        _plan(district.station_a, accounts.station_b_staff, kind, 3)


def test_planned_against_held(client, district, accounts, kind, make_activity):
    staff = accounts.station_a_staff
    _plan(district.station_a, staff, kind, 3, "三月恳谈会")  # held in March
    _plan(district.station_a, staff, kind, 4, "四月恳谈会")  # April is over: not held
    _plan(district.station_a, staff, kind, 9, "九月恳谈会")  # still to come
    held = _held(make_activity, 3)
    _held(make_activity, 5, title="计划外")  # held beyond the plan
    client.force_login(staff)
    response = client.get(PAGE)
    plan = response.context["plan"]
    assert [line.held for line in plan.lines] == [held, None, None]
    assert [line.overdue for line in plan.lines] == [False, True, False]
    assert (plan.planned, plan.held_as_planned, len(plan.unplanned)) == (3, 1, 1)

    client.logout()
    client.cookies["django_language"] = "en"
    page = client.get(district.station_a.get_absolute_url()).content.decode()
    assert "Activity plan for 2026" in page
    assert "1 of 3 planned activities held" in page
    assert f"/a/{held.public_code}/" in page


def test_remove_a_line(client, district, accounts, kind):
    plan = _plan(district.station_a, accounts.station_a_staff, kind, 9)
    client.force_login(accounts.station_b_staff)
    assert client.post(PAGE, {"action": "remove_plan", "plan": plan.pk}).status_code == 404
    client.force_login(accounts.station_a_staff)
    assert client.post(PAGE, {"action": "remove_plan", "plan": plan.pk}).status_code == 302
    assert not PlannedActivity.objects.exists()
    assert AuditEvent.objects.filter(verb="plannedactivity.removed").count() == 1


def test_station_page_reads_do_not_grow_with_the_plan(client, district, accounts, kind):
    url = district.station_a.get_absolute_url()
    _plan(district.station_a, accounts.station_a_staff, kind, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for month in range(2, 13):
        _plan(district.station_a, accounts.station_a_staff, kind, month)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
