"""The staff queues: tabs and their counts, search, filters, sorting, pagination, and a fixed
number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.cases import services

from ..factories import CategoryFactory
from .staff_pages import PHONE_CALL, signed_in


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [case.tracking_number for case, _flag in response.context["rows"]]


def counts(response) -> dict[str, int]:
    return {key: count for key, _label, count, _link in response.context["tabs"]}


@pytest.fixture
def mixed(flow, accounts):
    """One case in each status that someone has to act on, plus a closed one."""
    return {
        status: flow.to(status, **PHONE_CALL)
        for status in [
            "submitted",
            "needs_info",
            "accepted",
            "to_assign",
            "assigned",
            "in_progress",
            "feedback",
            "answered",
            "closed",
        ]
    }


@pytest.mark.parametrize(
    ("role", "awaiting"),
    [
        ("station_a_staff", {"submitted", "accepted", "feedback"}),
        ("deputy_a", {"accepted", "feedback"}),
        ("street_a_committee", {"to_assign"}),
        ("handler_a", {"assigned", "in_progress"}),
    ],
)
def test_awaiting_my_action_follows_the_role(client, accounts, mixed, role, awaiting):
    signed_in(client, getattr(accounts, role))
    response = client.get("/staff/cases/?tab=action")
    assert set(listed(response)) == {mixed[s].tracking_number for s in awaiting}
    assert counts(response)["action"] == len(awaiting)


def test_committee_sees_pending_extension_requests(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    assert listed(client.get("/staff/cases/?tab=action")) == []
    services.request_extension(case, actor=accounts.handler_a, days_requested=3, reason="招标")
    assert listed(client.get("/staff/cases/?tab=action")) == [case.tracking_number]


def test_my_cases_are_open_ones_and_all_includes_closed(client, accounts, mixed):
    signed_in(client, accounts.station_a_staff)
    mine = client.get("/staff/cases/")
    assert mixed["closed"].tracking_number not in listed(mine)
    assert len(listed(mine)) == 8
    tabs = counts(mine)
    assert (tabs["mine"], tabs["action"], tabs["overdue"], tabs["all"]) == (8, 3, 0, 9)
    assert mixed["closed"].tracking_number in listed(client.get("/staff/cases/?tab=all"))


def test_department_my_cases_are_its_open_assignments(client, flow, accounts):
    held = flow.to("in_progress", **PHONE_CALL)
    returned = flow.to("assigned", **PHONE_CALL)
    services.return_assignment(returned, actor=accounts.handler_a, reason="不是我们的")
    signed_in(client, accounts.handler_a)
    assert listed(client.get("/staff/cases/")) == [held.tracking_number]
    # The returned one stays visible as history.
    assert set(listed(client.get("/staff/cases/?tab=all"))) == {
        held.tracking_number,
        returned.tracking_number,
    }


def test_search_over_number_title_and_description(client, flow, accounts):
    lamp = flow.submit(title="路灯不亮", description="保俶路12号门口的路灯坏了。", **PHONE_CALL)
    noise = flow.submit(title="夜间施工噪音", description="工地凌晨还在施工。", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    assert listed(client.get("/staff/cases/", {"q": "路灯"})) == [lamp.tracking_number]
    assert listed(client.get("/staff/cases/", {"q": "凌晨"})) == [noise.tracking_number]
    assert listed(client.get("/staff/cases/", {"q": noise.tracking_number})) == [
        noise.tracking_number
    ]
    assert listed(client.get("/staff/cases/", {"q": "nothing like this"})) == []


def test_filters(client, flow, accounts, district):
    parking = CategoryFactory(code="parking", name="停车")
    a = flow.submit(**PHONE_CALL)
    b = flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL)
    shared = flow.submit(deputy=district.dep_shared, category=parking, **PHONE_CALL)
    accepted = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.county_committee)
    get = lambda **q: set(listed(client.get("/staff/cases/", q)))  # noqa: E731
    assert get(station=district.station_b.pk) == {b.tracking_number}
    assert get(deputy=district.dep_shared.pk) == {shared.tracking_number}
    assert get(category=parking.pk) == {shared.tracking_number}
    assert get(status="accepted") == {accepted.tracking_number}
    assert get(status="submitted", station=district.station_a.pk) == {
        a.tracking_number,
        shared.tracking_number,
    }


def test_filter_outside_the_scope_is_bad_input(client, flow, accounts, district):
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = client.get("/staff/cases/", {"station": district.station_b.pk})
    assert response.status_code == 400
    assert "No such station in your scope." in response.content.decode()
    assert response.context["rows"] == []


def test_sorting(client, flow, accounts):
    first = flow.submit(**PHONE_CALL)
    second = flow.submit(**PHONE_CALL)
    paused = flow.to("needs_info", **PHONE_CALL)  # no clock: last by due date
    accepted = flow.to("accepted", **PHONE_CALL)  # due in 3 working days: after the reviews
    signed_in(client, accounts.station_a_staff)
    newest = listed(client.get("/staff/cases/", {"sort": "newest"}))
    numbers = lambda cases: [c.tracking_number for c in cases]  # noqa: E731
    assert newest == numbers([accepted, paused, second, first])
    assert listed(client.get("/staff/cases/", {"sort": "oldest"})) == numbers(
        [first, second, paused, accepted]
    )
    by_due = listed(client.get("/staff/cases/", {"sort": "due"}))
    assert by_due[-1] == paused.tracking_number
    assert by_due.index(accepted.tracking_number) > by_due.index(first.tracking_number)


def test_pagination_keeps_the_filters(client, flow, accounts):
    for _ in range(27):
        flow.submit(title="路灯不亮", **PHONE_CALL)
    flow.submit(title="噪音", description="工地凌晨施工。", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    page1 = client.get("/staff/cases/", {"q": "路灯", "sort": "oldest"})
    assert len(listed(page1)) == 25
    assert "1 of 2" in page1.content.decode()
    assert 'href="?q=%E8%B7%AF%E7%81%AF&amp;sort=oldest&amp;page=2"' in page1.content.decode()
    page2 = client.get("/staff/cases/", {"q": "路灯", "sort": "oldest", "page": 2})
    assert len(listed(page2)) == 2
    assert not set(listed(page1)) & set(listed(page2))


@pytest.mark.parametrize("role", ["station_a_staff", "street_a_committee", "handler_a", "deputy_a"])
def test_query_count_does_not_grow_with_rows(client, flow, accounts, role):
    for _ in range(2):
        flow.to("in_progress", **PHONE_CALL)
    signed_in(client, getattr(accounts, role))
    client.get("/staff/cases/?tab=all")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get("/staff/cases/?tab=all"))) == 2
    for _ in range(8):
        flow.to("in_progress", **PHONE_CALL)
    client.get("/staff/cases/?tab=all")  # the unread badge, counted again after the new notices
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get("/staff/cases/?tab=all"))) == 10
    assert len(many) == len(few)


def test_query_count_is_bounded(client, flow, accounts, django_assert_max_num_queries):
    for _ in range(30):
        flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    with django_assert_max_num_queries(20):
        assert len(listed(client.get("/staff/cases/?q=路灯&sort=due"))) == 25
