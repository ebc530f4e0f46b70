"""The one case filter (liaison/cases/filters.py) on the staff queue and the staff API: each field,
combinations, the URL round trip, bad input, and scope escapes by editing the URL."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from liaison.cases.models import Case, Channel

from .staff_pages import PHONE_CALL, signed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUEUE = "/staff/cases/"
API = "/api/v1/staff/cases/"


def listed(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {case.tracking_number for case, _flag in response.context["rows"]}


def received(case: Case, *args) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=datetime(*args, tzinfo=SHANGHAI))
    return case


def test_date_range_counts_days_in_shanghai(client, flow, accounts):
    # 23:30 on 1 March in Shanghai is 15:30 UTC: it belongs to 1 March.
    late_evening = received(flow.submit(**PHONE_CALL), 2026, 3, 1, 23, 30)
    next_morning = received(flow.submit(**PHONE_CALL), 2026, 3, 2, 0, 10)
    april = received(flow.submit(**PHONE_CALL), 2026, 4, 15, 9, 0)
    signed_in(client, accounts.station_a_staff)
    get = lambda **q: listed(client.get(QUEUE, {"tab": "all", **q}))  # noqa: E731
    one_day = get(received_from="2026-03-01", received_to="2026-03-01")
    assert one_day == {late_evening.tracking_number}
    assert get(received_from="2026-03-02") == {
        next_morning.tracking_number,
        april.tracking_number,
    }
    assert get(received_to="2026-03-31") == {
        late_evening.tracking_number,
        next_morning.tracking_number,
    }


def test_department_channel_and_overdue(client, flow, accounts, district):
    assigned = flow.to("assigned", **PHONE_CALL)
    letter = flow.submit(channel=Channel.LETTER)
    late = flow.to("accepted", **PHONE_CALL)
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    signed_in(client, accounts.county_committee)
    get = lambda **q: listed(client.get(QUEUE, {"tab": "all", **q}))  # noqa: E731
    assert get(department=district.department_a.pk) == {assigned.tracking_number}
    assert get(department=district.department_b.pk) == set()
    assert get(channel="letter") == {letter.tracking_number}
    assert get(overdue="on") == {late.tracking_number}


def test_filters_combine(client, flow, accounts, district):
    wanted = flow.submit(channel=Channel.LETTER, deputy=district.dep_shared)
    flow.submit(channel=Channel.LETTER)  # another deputy
    flow.submit(channel=Channel.PHONE, deputy=district.dep_shared)  # another channel
    flow.submit(channel=Channel.LETTER, deputy=district.dep_shared, station=district.station_b)
    signed_in(client, accounts.county_committee)
    query = {
        "tab": "all",
        "channel": "letter",
        "deputy": district.dep_shared.pk,
        "station": district.station_a.pk,
        "status": "submitted",
        "q": "路灯",
        "received_from": timezone.localdate().isoformat(),
    }
    assert listed(client.get(QUEUE, query)) == {wanted.tracking_number}


def test_filters_stay_in_the_url(client, flow, accounts, district):
    for _ in range(27):
        flow.submit(channel=Channel.LETTER)
    signed_in(client, accounts.county_committee)
    today = timezone.localdate().isoformat()
    query = {
        "tab": "all",
        "channel": "letter",
        "received_from": today,
        "department": "",
        "overdue": "",
        "sort": "oldest",
    }
    page = client.get(QUEUE, query)
    html = page.content.decode()
    assert len(listed(page)) == 25
    assert page.context["page_obj"].paginator.count == 27  # the count of the filtered list
    kept = f"tab=all&amp;channel=letter&amp;received_from={today}&amp;sort=oldest"
    assert f'href="?{kept}&amp;page=2"' in html  # the next page keeps every filter
    assert f'action="/staff/exports/cases/?{kept}"' in html  # and so does the export
    assert 'href="?tab=all">' in html  # clear filters
    assert f'value="{today}"' in html  # the form shows what is filtered
    # The URL read back gives the same list.
    second = client.get(QUEUE, {**query, "page": 2})
    assert len(listed(second)) == 2


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"received_from": "2026-03-02", "received_to": "2026-03-01"},
            "received_to",
            "The end of the date range is before its start.",
        ),
        (
            {"received_from": "2010-01-01", "received_to": "2026-01-01"},
            "received_to",
            "The date range is wider than 10 years: choose a shorter one.",
        ),
        ({"received_from": "2026-13-01"}, "received_from", "Enter a valid date."),
        (
            {"received_from": "0001-01-01"},
            "received_from",
            "Choose a day between 1949-10-01 and 2999-12-31.",
        ),
        (
            {"received_to": "9999-12-31"},
            "received_to",
            "Choose a day between 1949-10-01 and 2999-12-31.",
        ),
        ({"channel": "fax"}, "channel", "Select a valid choice."),
        ({"station": "999999"}, "station", "No such station in your scope."),
        ({"station": "abc"}, "station", "No such station in your scope."),
        ({"department": "999999"}, "department", "No such department in your scope."),
        ({"category": "999999"}, "category", "No such category."),
    ],
)
def test_bad_input_is_a_message_on_the_page(client, flow, accounts, query, field, message):
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.county_committee)
    response = client.get(QUEUE, query)
    assert response.status_code == 400
    assert response.context["rows"] == []
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()


def test_scope_escape_by_editing_the_url(client, flow, accounts, district):
    """A street committee names street B's station, deputy and department: refused, nothing
    shown; without the filter it still sees only street A."""
    flow.submit(**PHONE_CALL)
    theirs = flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    for name, value in [
        ("station", district.station_b.pk),
        ("deputy", district.dep_b.pk),
        ("department", district.department_b.pk),
    ]:
        response = client.get(QUEUE, {"tab": "all", name: value})
        assert response.status_code == 400, name
        assert response.context["rows"] == []
        assert theirs.tracking_number not in response.content.decode()
        assert 'href="?tab=all">' in response.content.decode()  # clear filters, same tab
    assert theirs.tracking_number not in listed(client.get(QUEUE, {"tab": "all"}))


def test_roles_without_departments_have_no_department_filter(client, flow, accounts, district):
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    page = client.get(QUEUE)
    assert "department" not in page.context["form"].fields
    response = client.get(QUEUE, {"department": district.department_a.pk})
    assert response.status_code == 400
    assert "Your role does not filter cases by department." in response.content.decode()


# --- the staff API reads the same filter -------------------------------------------------------


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)  # the staff API takes a session too
        return client

    return sign_in


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row["tracking_number"] for row in response.json()["results"]}


def test_api_filters_by_department_channel_and_dates(as_user, accounts, flow, district):
    assigned = flow.to("assigned", **PHONE_CALL)
    letter = flow.submit(channel=Channel.LETTER)
    received(letter, 2026, 3, 1, 23, 30)
    api = as_user(accounts.county_committee)
    code = district.department_a.code
    assert numbers(api.get(API, {"department": code})) == {assigned.tracking_number}
    assert numbers(api.get(API, {"channel": "letter"})) == {letter.tracking_number}
    one_day = {"created_after": "2026-03-01", "created_before": "2026-03-01"}
    assert numbers(api.get(API, one_day)) == {letter.tracking_number}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"created_after": "2026-03-02", "created_before": "2026-03-01"}, "created_before"),
        ({"created_after": "2000-01-01", "created_before": "2026-01-01"}, "created_before"),
        ({"created_before": "9999-12-31"}, "created_before"),
        ({"department": "nope"}, "department"),
        ({"station": "nope"}, "station"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_api_bad_filters_are_400(as_user, accounts, flow, params, field):
    flow.submit(**PHONE_CALL)
    response = as_user(accounts.county_committee).get(API, params)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_api_scope_escape_is_400(as_user, accounts, flow, district):
    flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL)
    api = as_user(accounts.street_a_committee)
    for name, code in [
        ("station", district.station_b.public_code),
        ("deputy", district.dep_b.public_code),
        ("department", district.department_b.code),
    ]:
        response = api.get(API, {name: code})
        assert response.status_code == 400, name
        assert response.json()["error"]["field"] == name
