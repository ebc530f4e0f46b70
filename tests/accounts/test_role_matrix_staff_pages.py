"""Who opens which staff page of receptions, activities, records and suggestions, over HTTP, for
every role (docs/design.md, rule 4) — the same idea as test_role_matrix.py for the admin.

One object of each kind in street A (station_a, dep_a) and one in street B (station_b, dep_b).
A list answers 200 to every role that works with it (and shows only the rows of its scope, see
the last tests), 403 to a role that has no business there; an object outside the scope is a 404
(never its content); anonymous visitors go to the login page.
"""

from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.activities import services as activity_services
from liaison.activities.models import ActivityKind
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.core.permissions import may
from liaison.receptions.models import Duty, ReceptionRule, RuleKind, Visit, today
from liaison.records.models import RecordEntry
from liaison.suggestions import services as suggestion_services
from liaison.suggestions.models import SessionKind

from ..factories import UserFactory

ROLES = [
    "anonymous",
    "administrator",
    "county_committee",
    "street_a_committee",
    "station_a_staff",
    "station_b_staff",
    "deputy_a",
    "handler_a",
]
STAFF = {"administrator", "county_committee", "street_a_committee"} | {
    "station_a_staff",
    "station_b_staff",
}
SIGNED_IN = set(ROLES) - {"anonymous"}

# Which roles reach the object of street A ("a") and of street B ("b"): by the permission table.
VISIT_SCOPE = {
    "a": {"administrator", "county_committee", "street_a_committee", "station_a_staff"},
    "b": {"administrator", "county_committee", "station_b_staff"},
}
# Entries of dep_a (station_a) and dep_b (station_b); the deputy sees own entries.
ENTRY_SCOPE = {
    "a": VISIT_SCOPE["a"] | {"deputy_a"},
    "b": VISIT_SCOPE["b"],
}
# Deputies: dep_a and dep_b (a deputy's record page).
DEPUTY_SCOPE = ENTRY_SCOPE
# Suggestion "a" by dep_a, assigned (lead: county department, joint: department_a); "b" by dep_b,
# submitted only. The station of a deputy sees its deputies' suggestions; the handler its own
# assignments.
SUGGESTION_SCOPE = {
    "a": VISIT_SCOPE["a"] | {"deputy_a", "handler_a"},
    "b": VISIT_SCOPE["b"],
}


def _suggestion(people, district, *, deputy_user, lead_deputy, title, assign):
    s = suggestion_services.draft_suggestion(
        actor=deputy_user,
        lead_deputy=lead_deputy,
        cosigners=[],
        cases=[],
        title=title,
        reasons="老旧小区停车位严重不足。",
        proposals="挖潜增设停车位。",
        category=district.category,
        session_kind=SessionKind.DURING,
        year=today().year,
        congress="第十七届二次会议",
    )
    s = suggestion_services.submit_suggestion(s, actor=deputy_user)
    if assign:
        s = suggestion_services.accept_suggestion(s, actor=people.county_committee)
        s = suggestion_services.assign_suggestion(
            s,
            actor=people.county_committee,
            lead=district.department_county,
            joint=[district.department_a],
        )
    return s


@pytest.fixture
def scene(district, accounts):
    """One object of every kind per street, created through the services where they exist."""
    d, a = district, accounts
    deputy_b = UserFactory(username="deputy_b", role=Role.DEPUTY, deputy=d.dep_b)
    people = SimpleNamespace(**vars(a), deputy_b=deputy_b)
    day = today()
    kind, _ = ActivityKind.objects.get_or_create(
        code="public-forum", defaults={"name": "民情恳谈会", "name_en": "Public opinion forum"}
    )
    start = timezone.now() + timedelta(days=3)
    objects = {}
    for key, station, deputy, staff, deputy_user in [
        ("a", d.station_a, d.dep_a, a.station_a_staff, a.deputy_a),
        ("b", d.station_b, d.dep_b, a.station_b_staff, deputy_b),
    ]:
        visit = Visit.objects.create(
            station=station, visitor_name=f"访客{key}", visitor_phone="13911112222"
        )
        appointment = Appointment.objects.create(
            station=station,
            date=day + timedelta(days=7),
            start_time=time(9),
            end_time=time(9, 30),
            reception_start=time(9),
            deputy=deputy,
            topic="停车难",
            name=f"预约人{key}",
            phone="13911113333",
            code=f"1234567{'1' if key == 'a' else '2'}",
            status=AppointmentStatus.BOOKED,
        )
        rule = ReceptionRule.objects.create(
            station=station, kind=RuleKind.WEEKLY, weekday=0, start_time=time(9), end_time=time(11)
        )
        Duty.objects.create(
            station=station, date=day + timedelta(days=7), start_time=time(9), deputy=deputy
        )
        activity = activity_services.save_activity(
            actor=staff,
            station=station,
            kind=kind,
            title=f"恳谈会{key}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="联络站",
            deputies=[deputy],
        )
        entry = RecordEntry.objects.create(
            deputy=deputy, kind="inspection", date=day, title=f"视察{key}"
        )
        suggestion = _suggestion(
            people,
            d,
            deputy_user=deputy_user,
            lead_deputy=deputy,
            title=f"建议{key}",
            assign=key == "a",
        )
        objects[key] = SimpleNamespace(
            visit=visit,
            appointment=appointment,
            rule=rule,
            activity=activity,
            entry=entry,
            deputy=deputy,
            suggestion=suggestion,
        )
    return SimpleNamespace(people=people, district=d, **objects)


# --- the expected answers --------------------------------------------------------------------


def _lists():
    """(url name, roles answered 200); everyone else signed in gets 403."""
    return [
        ("receptions:visit-list", STAFF),
        ("receptions:visit-new", STAFF),
        ("receptions:reception-days", STAFF),
        ("receptions:rule-list", STAFF),
        ("receptions:rule-new", STAFF),
        ("receptions:attendance", STAFF),
        ("receptions:my-duties", {"deputy_a"}),
        ("appointments:staff-list", STAFF),
        ("activities:staff-list", STAFF),
        ("activities:staff-new", STAFF),
        ("records:overview", STAFF),  # a deputy is sent on to their own record (302)
        ("records:me", {"deputy_a"}),  # staff are sent on to the overview (302)
        ("records:entry-list", STAFF | {"deputy_a"}),
        ("records:entry-new", {"administrator", "station_a_staff", "station_b_staff", "deputy_a"}),
        ("suggestions:list", SIGNED_IN),
        ("suggestions:assignments", SIGNED_IN),
        ("suggestions:outcomes", SIGNED_IN),
        ("suggestions:new", {"administrator", "station_a_staff", "station_b_staff", "deputy_a"}),
    ]


REDIRECTS = {
    ("records:overview", "deputy_a"): "records:me",
    ("records:me", "administrator"): "records:overview",
    ("records:me", "county_committee"): "records:overview",
    ("records:me", "street_a_committee"): "records:overview",
    ("records:me", "station_a_staff"): "records:overview",
    ("records:me", "station_b_staff"): "records:overview",
}


def _details():
    """(url name, attribute of the street's objects, which of them takes the pk, scope, roles
    that may open the page kind at all: the others get 403 whatever the object)."""
    return [
        ("receptions:visit-detail", "visit", VISIT_SCOPE, STAFF),
        ("receptions:visit-print", "visit", VISIT_SCOPE, STAFF),
        ("appointments:staff-detail", "appointment", VISIT_SCOPE, STAFF),
        ("activities:staff-detail", "activity", VISIT_SCOPE, STAFF),
        ("activities:staff-edit", "activity", VISIT_SCOPE, STAFF),
        ("activities:staff-hold", "activity", VISIT_SCOPE, STAFF),
        ("activities:staff-checkin-sheet", "activity", VISIT_SCOPE, STAFF),
        ("records:deputy", "deputy", DEPUTY_SCOPE, SIGNED_IN),
        ("records:entry-detail", "entry", ENTRY_SCOPE, SIGNED_IN),
        ("suggestions:detail", "suggestion", SUGGESTION_SCOPE, SIGNED_IN),
    ]


def _login(client, scene, role):
    if role != "anonymous":
        client.force_login(getattr(scene.people, role))


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ROLES)
def test_every_list_page_answers_each_role(client, scene, role):
    _login(client, scene, role)
    for name, allowed in _lists():
        response = client.get(reverse(name))
        if role == "anonymous":
            _assert_login_redirect(response)
        elif (name, role) in REDIRECTS:
            assert response.status_code == 302, name
            assert response["Location"] == reverse(REDIRECTS[name, role]), name
        else:
            assert response.status_code == (200 if role in allowed else 403), (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_every_object_page_answers_each_role_in_and_out_of_scope(client, scene, role):
    _login(client, scene, role)
    for name, attribute, scope, allowed in _details():
        for street in ("a", "b"):
            obj = getattr(getattr(scene, street), attribute)
            response = client.get(reverse(name, args=[obj.pk]))
            if role == "anonymous":
                _assert_login_redirect(response)
                continue
            expected = 404 if role not in scope[street] else 200
            if role not in allowed:
                expected = 403  # the role has no business with the page kind at all
            assert response.status_code == expected, (name, street, role)


@pytest.mark.parametrize("role", ROLES)
def test_rule_pages_refuse_other_stations(client, scene, role):
    """A reception rule of another station is refused (403: the station is not the account's)."""
    _login(client, scene, role)
    for street in ("a", "b"):
        response = client.get(
            reverse("receptions:rule-edit", args=[getattr(scene, street).rule.pk])
        )
        if role == "anonymous":
            _assert_login_redirect(response)
        else:
            assert response.status_code == (200 if role in VISIT_SCOPE[street] else 403), (
                street,
                role,
            )


ROW_TEXT = {
    "receptions:visit-list": lambda o: o.visit.visitor_name,
    "appointments:staff-list": lambda o: o.appointment.name,
    "activities:staff-list": lambda o: o.activity.title,
    "records:entry-list": lambda o: o.entry.title,
    "suggestions:list": lambda o: o.suggestion.title,
}
ROW_SCOPE = {
    "receptions:visit-list": VISIT_SCOPE,
    "appointments:staff-list": VISIT_SCOPE,
    "activities:staff-list": VISIT_SCOPE,
    "records:entry-list": ENTRY_SCOPE,
    "suggestions:list": SUGGESTION_SCOPE,
}


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_lists_show_exactly_the_rows_of_the_scope(client, scene, role):
    _login(client, scene, role)
    for name, text in ROW_TEXT.items():
        query = {"status": "all"} if name == "records:entry-list" else {}
        response = client.get(reverse(name), query)
        expected = {street for street, roles in ROW_SCOPE[name].items() if role in roles}
        if response.status_code == 403:
            assert not expected, name
            continue
        assert response.status_code == 200, name
        body = response.content.decode()
        shown = {street for street in ("a", "b") if text(getattr(scene, street)) in body}
        assert shown == expected, (name, role)


def test_reception_days_station_parameter_never_a_500(client, scene):
    """?station=abc used to answer 500; another station's number shows the account's own."""
    client.force_login(scene.people.station_a_staff)
    page = reverse("receptions:reception-days")
    for value in ("abc", scene.district.station_b.pk, ""):
        response = client.get(page, {"station": value})
        assert response.status_code == 200, value
        assert response.context["station"] == scene.district.station_a
    client.force_login(scene.people.county_committee)
    other = client.get(page, {"station": scene.district.station_b.pk})
    assert other.context["station"] == scene.district.station_b


def test_rule_list_refuses_another_station_or_garbage(client, scene):
    client.force_login(scene.people.station_a_staff)
    page = reverse("receptions:rule-list")
    assert client.get(page, {"station": scene.district.station_a.pk}).status_code == 200
    assert client.get(page, {"station": scene.district.station_b.pk}).status_code == 403
    assert client.get(page, {"station": "abc"}).status_code == 403


# Object pages and the row of the permission table (liaison/core/permissions.py) that decides who
# opens them: the page must answer 200 exactly when the table says the account may see the object.
TABLE_PAGES = [
    ("receptions:visit-detail", "visit", "visit.view"),
    ("appointments:staff-detail", "appointment", "appointment.view"),
    ("records:deputy", "deputy", "deputy.view"),
    ("records:entry-detail", "entry", "recordentry.view"),
    ("suggestions:detail", "suggestion", "suggestion.view"),
]


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_object_pages_open_exactly_as_the_permission_table_says(client, scene, role):
    _login(client, scene, role)
    user = getattr(scene.people, role)
    for name, attribute, action in TABLE_PAGES:
        for street in ("a", "b"):
            obj = getattr(getattr(scene, street), attribute)
            response = client.get(reverse(name, args=[obj.pk]))
            opened = response.status_code == 200
            assert opened == may(user, action, obj), (name, street, role, response.status_code)
