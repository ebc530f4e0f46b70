"""工作台: each role finds its work on the workspace — the right links, the right counts (only its
own scope), a bounded number of queries whatever the amount of data — and a short top navigation.

The clock stands on Monday 2025-09-22, 10:00 in Shanghai (a working day, a reception day).
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.workspace import nav_for, work_for
from liaison.activities import services as activity_services
from liaison.activities.models import ActivityKind
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.receptions.models import Duty, ReceptionRule, RuleKind
from liaison.records import services as record_services
from liaison.records.models import RecordEntry
from liaison.suggestions import services as suggestion_services
from liaison.suggestions.models import SessionKind, SuggestionAssignment

from ..factories import DeputyFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 22, 10, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _appointment(station, day, status, code, start=time(9)):
    return Appointment.objects.create(
        station=station,
        date=day,
        start_time=start,
        end_time=time(start.hour, 30),
        reception_start=time(9),
        topic="停车难",
        name="陈女士",
        phone="13911113333",
        code=code,
        status=status,
    )


def _activity(station, actor, title, *, days, announce, deputies, admin):
    kind, _ = ActivityKind.objects.get_or_create(
        code="public-forum", defaults={"name": "民情恳谈会", "name_en": "Public opinion forum"}
    )
    start = NOW + timedelta(days=days)
    activity = activity_services.save_activity(
        actor=actor,
        station=station,
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="联络站",
        deputies=deputies,
    )
    if announce:
        activity = activity_services.announce_activity(activity, actor=admin)
    return activity


def _draft(actor, lead, category, title, cosigners=()):
    return suggestion_services.draft_suggestion(
        actor=actor,
        lead_deputy=lead,
        cosigners=list(cosigners),
        cases=[],
        title=title,
        reasons="老旧小区停车位严重不足。",
        proposals="挖潜增设停车位。",
        category=category,
        session_kind=SessionKind.DURING,
        year=2025,
        congress="第十七届二次会议",
    )


def _build(district, accounts):
    """Work of every kind, some in street A and some in street B, some not counted at all."""
    d, a = district, accounts
    people = SimpleNamespace(
        **vars(a),
        deputy_b=UserFactory(username="deputy_b", role=Role.DEPUTY, deputy=d.dep_b),
        lead_handler=UserFactory(
            username="handler_county", role=Role.DEPARTMENT_HANDLER, department=d.department_county
        ),
    )
    # Receptions: Monday 9:00 at both stations; dep_a on duty today at station A.
    for station in (d.station_a, d.station_b):
        ReceptionRule.objects.create(
            station=station,
            kind=RuleKind.WEEKLY,
            weekday=0,
            start_time=time(9),
            end_time=time(11, 30),
            valid_from=date(2025, 1, 1),
        )
    Duty.objects.create(station=d.station_a, date=TODAY, start_time=time(9), deputy=d.dep_a)
    Duty.objects.create(
        station=d.station_a, date=TODAY + timedelta(days=7), start_time=time(9), deputy=d.dep_a
    )
    # Attendance: dep_a came last Monday (contact in September); dep_shared's is unrecorded.
    last_monday = TODAY - timedelta(days=7)
    Duty.objects.create(
        station=d.station_a, date=last_monday, start_time=time(9), deputy=d.dep_a, attended=True
    )
    Duty.objects.create(
        station=d.station_a, date=last_monday, start_time=time(9), deputy=d.dep_shared
    )
    Duty.objects.create(station=d.station_b, date=last_monday, start_time=time(9), deputy=d.dep_b)
    # Bookings of station A: 2 to confirm (today, next week), 1 confirmed today, 1 booked in
    # the past, 1 whose phone is unconfirmed; station B: 1 to confirm.
    _appointment(d.station_a, TODAY, AppointmentStatus.BOOKED, "10000001")
    _appointment(d.station_a, TODAY + timedelta(days=7), AppointmentStatus.BOOKED, "10000002")
    _appointment(d.station_a, TODAY, AppointmentStatus.CONFIRMED, "10000003", start=time(10))
    _appointment(d.station_a, last_monday, AppointmentStatus.BOOKED, "10000004")
    _appointment(d.station_a, TODAY, AppointmentStatus.PENDING, "10000005")
    _appointment(d.station_b, TODAY, AppointmentStatus.BOOKED, "10000006")
    # Activities: station A one announced (dep_a invited) and one draft (dep_a invited too);
    # station B one announced.
    _activity(
        d.station_a,
        a.station_a_staff,
        "约您共话",
        days=3,
        announce=True,
        deputies=[d.dep_a],
        admin=a.administrator,
    )
    _activity(
        d.station_a,
        a.station_a_staff,
        "草稿活动",
        days=5,
        announce=False,
        deputies=[d.dep_a],
        admin=a.administrator,
    )
    _activity(
        d.station_b,
        a.station_b_staff,
        "西溪恳谈会",
        days=3,
        announce=True,
        deputies=[d.dep_b],
        admin=a.administrator,
    )
    # Record entries awaiting confirmation: dep_a, dep_shared, dep_b; one confirmed (not counted).
    for deputy in (d.dep_a, d.dep_shared, d.dep_b):
        RecordEntry.objects.create(deputy=deputy, kind="survey", date=TODAY, title="调研")
    done = RecordEntry.objects.create(deputy=d.dep_a, kind="survey", date=TODAY, title="调研")
    record_services.confirm_entry(done, actor=a.administrator)
    # Suggestions: dep_a a draft and a returned one; dep_shared's draft awaits dep_a's
    # co-signature; dep_b's submitted one and an accepted one; dep_a's assigned one (lead: the
    # county's department, which asked for a change; joint: department_a), overdue.
    cat = d.category
    _draft(a.deputy_a, d.dep_a, cat, "草稿建议")
    returned = suggestion_services.submit_suggestion(
        _draft(a.deputy_a, d.dep_a, cat, "退回建议"), actor=a.deputy_a
    )
    suggestion_services.return_suggestion(returned, actor=a.county_committee, reason="个人诉求")
    _draft(a.station_a_staff, d.dep_shared, cat, "附议建议", cosigners=[d.dep_a])
    suggestion_services.submit_suggestion(
        _draft(people.deputy_b, d.dep_b, cat, "待审查建议"), actor=people.deputy_b
    )
    accepted = suggestion_services.submit_suggestion(
        _draft(people.deputy_b, d.dep_b, cat, "待交办建议"), actor=people.deputy_b
    )
    suggestion_services.accept_suggestion(accepted, actor=a.county_committee)
    assigned = suggestion_services.submit_suggestion(
        _draft(a.deputy_a, d.dep_a, cat, "办理中建议"), actor=a.deputy_a
    )
    assigned = suggestion_services.accept_suggestion(assigned, actor=a.county_committee)
    assigned = suggestion_services.assign_suggestion(
        assigned, actor=a.county_committee, lead=d.department_county, joint=[d.department_a]
    )
    suggestion_services.request_change(assigned, actor=people.lead_handler, reason="不属本单位职责")
    # Test set-up only: the joint unit's deadline has passed.
    SuggestionAssignment.objects.filter(department=d.department_a).update(
        due_at=NOW - timedelta(days=1)
    )
    return people


@pytest.fixture
def people(district, accounts, clock):
    return _build(district, accounts)


def _counts(user) -> dict[str, int | None]:
    return {item.key: item.count for item in work_for(user)}


def _ordered(user) -> list[tuple[str, int | None]]:
    return [(item.key, item.count) for item in work_for(user)]


EXPECTED = {
    "station_a_staff": {
        "work-visit-new": None,
        "work-receptions-today": 1,
        "work-bookings-to-confirm": 2,
        "work-bookings-today": 2,
        "work-attendance": 1,
        "work-activities-upcoming": 1,
        "work-activities-drafts": 1,
        "work-entries-pending": 2,  # dep_a and dep_shared
        "work-deputies-behind": 2,  # January–August without contact
        "work-suggestion-drafts": 2,  # dep_a's own and dep_shared's
        "work-suggestions-returned": 1,
    },
    "station_b_staff": {
        "work-visit-new": None,
        "work-receptions-today": 1,
        "work-bookings-to-confirm": 1,
        "work-bookings-today": 1,
        "work-attendance": 1,
        "work-activities-upcoming": 1,
        "work-activities-drafts": 0,
        "work-entries-pending": 2,  # dep_shared and dep_b
        "work-deputies-behind": 2,
        "work-suggestion-drafts": 1,  # dep_shared's
        "work-suggestions-returned": 0,
    },
    "county_committee": {
        "work-suggestions-to-check": 1,
        "work-suggestions-to-assign": 1,
        "work-change-requests": 1,
        "work-assignments-overdue": 1,
        "work-deputies-behind": 3,
        "work-entries-pending": 3,
        "work-bookings-to-confirm": 3,
        "work-bookings-today": 3,
        "work-activities-upcoming": 2,
        "work-reception-days": None,
        "work-projects": None,  # livelihood projects (liaison/projects/workspace.py)
        "work-legislation": 0,  # no draft open: the entry to publish one
    },
    "street_a_committee": {
        "work-suggestions-to-check": 0,  # dep_b's are street B's
        "work-suggestions-to-assign": 0,
        "work-change-requests": 1,
        "work-assignments-overdue": 1,
        "work-deputies-behind": 2,
        "work-entries-pending": 2,
        "work-bookings-to-confirm": 2,
        "work-bookings-today": 2,
        "work-activities-upcoming": 1,
        "work-reception-days": None,
        "work-projects": None,  # livelihood projects (liaison/projects/workspace.py)
        "work-legislation": 0,
    },
    "deputy_a": {
        "work-my-duties": 2,
        "work-my-record": None,
        "work-entry-new": None,
        "work-cosign": 1,
        "work-my-suggestions-returned": 1,
        "work-answers-to-evaluate": 0,
        "work-my-activities": 1,  # the draft is not counted
        "work-project-votes": 0,  # livelihood projects still to vote on
    },
    "handler_a": {
        "work-assignments-handling": 1,
        "work-assignments-overdue": 1,
        "work-projects": None,
    },
    "administrator": {
        "work-bookings-to-confirm": 3,
        "work-bookings-today": 3,
        "work-activities-upcoming": 2,
        "work-activities-drafts": 1,
        "work-entries-pending": 3,
        "work-suggestions-to-check": 1,
        "work-suggestions-to-assign": 1,
        "work-change-requests": 1,
        "work-assignments-overdue": 1,
        "work-records": None,
        "work-undelivered": 0,  # the outbox's messages that could not be sent
        "work-projects": None,
        "work-legislation": 0,
    },
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_gets_its_work_with_the_counts_of_its_scope(people, role):
    # In this order: each app contributes its items (registry.workspace), the role's list of
    # keys in liaison/accounts/workspace.py puts the most pressing first.
    assert _ordered(getattr(people, role)) == list(EXPECTED[role].items())


@pytest.mark.parametrize("role", [Role.STATION_STAFF, Role.COMMITTEE_STAFF, Role.DEPUTY])
def test_a_superuser_gets_the_administrators_work_whatever_the_role(people, district, role):
    scope = {
        Role.STATION_STAFF: {"station": district.station_a},
        Role.COMMITTEE_STAFF: {"region": district.street_a},
        Role.DEPUTY: {"deputy": district.dep_shared},
    }[role]
    superuser = UserFactory(username="root", role=role, is_superuser=True, **scope)
    assert [item.key for item in work_for(superuser)] == list(EXPECTED["administrator"])


def test_a_committee_count_of_deputies_behind_is_kept_for_15_minutes(people, district):
    def behind(user):
        return _counts(user)["work-deputies-behind"]

    assert behind(people.street_a_committee) == 2
    DeputyFactory(region=district.street_a, stations=[district.station_a])
    with CaptureQueriesContext(connection) as cached:
        assert behind(people.street_a_committee) == 2
    assert not any("receptions_visit" in q["sql"] for q in cached)  # 三个一 not read again
    assert behind(people.station_a_staff) == 3  # a station's few deputies are counted live
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert behind(people.street_a_committee) == 2
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert behind(people.street_a_committee) == 3


def test_the_workspace_page_shows_the_work_with_links_and_badges(client, people):
    client.force_login(people.station_a_staff)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("receptions:visit-new")}"' in page
    assert f'href="{reverse("appointments:staff-list")}?status=booked"' in page
    assert 'class="count-badge flag-yellow" data-count="2">2</span>' in page
    assert f'href="{reverse("records:overview")}?behind=on"' in page
    # Every link of the work list opens for the account (no dead end, no 403).
    for item in response.context["work"]:
        assert client.get(item.url).status_code == 200, item.key


def test_every_link_of_every_role_opens(client, people):
    for role in EXPECTED:
        user = getattr(people, role)
        client.force_login(user)
        for item in work_for(user):
            assert client.get(item.url).status_code == 200, (role, item.key, item.url)


def test_a_deputy_sees_the_next_duty_this_months_state_and_the_next_activity(people):
    with time_machine.travel(NOW, tick=False):
        items = {item.key: item for item in work_for(people.deputy_a)}
    assert "北山街道人大代表联络站" in items["work-my-duties"].meta
    assert "09:00" in items["work-my-duties"].meta
    record = items["work-my-record"]
    assert record.flag == ""  # contact in September: the duty attended last Monday
    activity = items["work-my-activities"]
    assert activity.url.startswith("/a/")
    assert "约您共话" in activity.meta


def test_a_deputy_without_contact_this_month_is_flagged_late(district, accounts, clock):
    record = {item.key: item for item in work_for(accounts.deputy_a)}["work-my-record"]
    assert record.flag == "yellow"  # 22 September, after the 20th, no contact yet


def test_todays_reception_lists_the_deputies_on_duty(people):
    items = {item.key: item for item in work_for(people.station_a_staff)}
    assert items["work-receptions-today"].meta == "09:00 张明华"


# --- how many queries ----------------------------------------------------------------------------


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:home")).status_code == 200
    return len(captured)


def _more_of_everything(district, accounts):
    """Twice the data again: the number of queries must not move."""
    d = district
    for n in range(3):
        _appointment(d.station_a, TODAY, AppointmentStatus.BOOKED, f"2000000{n}")
        RecordEntry.objects.create(deputy=d.dep_a, kind="survey", date=TODAY, title="调研")
        Duty.objects.create(
            station=d.station_a,
            date=TODAY - timedelta(days=14 + n),
            start_time=time(9),
            deputy=d.dep_shared,
        )
        _draft(accounts.deputy_a, d.dep_a, d.category, f"草稿{n}")
        DeputyFactory(region=d.street_a, stations=[d.station_a])


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_workspace_takes_a_bounded_number_of_queries(client, district, people, role):
    user = getattr(people, role)
    before = _queries(client, user)
    _more_of_everything(district, people)
    cache.clear()  # a committee's "deputies behind" is cached: count the uncached page
    assert _queries(client, user) == before
    # The whole page, sessions and the case counts included.
    assert before <= 30, before
    with CaptureQueriesContext(connection) as captured:
        work_for(user)
    # One query per workspace item at most (the counts above are constant in the data).
    assert len(captured) <= 18, [q["sql"] for q in captured]


# --- the top navigation --------------------------------------------------------------------------


def test_each_role_sees_its_main_areas_in_at_most_six_links(accounts):
    keys = {
        role: [link.key for link in nav_for(getattr(accounts, role))]
        for role in (
            "administrator",
            "county_committee",
            "station_a_staff",
            "deputy_a",
            "handler_a",
        )
    }
    assert keys == {
        "administrator": [
            "workspace",
            "cases",
            "receptions",
            "activities",
            "suggestions",
            "stats",
        ],
        "county_committee": [
            "workspace",
            "cases",
            "suggestions",
            "records",
            "activities",
            "stats",
        ],
        "station_a_staff": [
            "workspace",
            "cases",
            "receptions",
            "activities",
            "suggestions",
            "stats",
        ],
        "deputy_a": ["workspace", "cases", "my-duties", "my-record", "suggestions", "stats"],
        "handler_a": ["workspace", "cases", "assignments", "stats"],
    }


@pytest.mark.parametrize(
    "role", ["administrator", "county_committee", "station_a_staff", "deputy_a", "handler_a"]
)
def test_every_header_link_opens_and_the_current_area_is_marked(client, accounts, role):
    client.force_login(getattr(accounts, role))
    for link in nav_for(getattr(accounts, role)):
        response = client.get(link.url)
        assert response.status_code == 200, (role, link.key)
        page = response.content.decode()
        assert f'<li id="nav-{link.key}"><a href="{link.url}" aria-current="page">' in page


def test_visitors_see_the_public_links_only(client, district):
    page = client.get("/").content.decode()
    assert 'id="nav-' not in page
    assert reverse("accounts:login") in page
