"""The case filter's fields for the statistics' links (docs/cases.md, "Filters"): a region by its
division code within the viewer's scope, the date range of an event instead of the creation,
open or closed — on the queue, the staff API and the export alike."""

from datetime import datetime

import time_machine

from liaison.cases import services
from liaison.cases.filters import CaseFilter
from liaison.cases.models import CaseEvent

from .staff_pages import signed_in
from .test_case_filters import QUEUE, SHANGHAI, listed


def test_a_region_and_below(client, flow, accounts, district):
    at_a = flow.submit()
    at_b = flow.submit(station=district.station_b, deputy=district.dep_b)
    signed_in(client, accounts.county_committee)
    get = lambda **q: listed(client.get(QUEUE, {"tab": "all", **q}))  # noqa: E731
    assert get(region=district.street_a.code) == {at_a.tracking_number}
    assert get(region=district.street_b.code) == {at_b.tracking_number}
    assert get(region=district.county.code) == {at_a.tracking_number, at_b.tracking_number}
    assert get(region=district.community_a1.code) == set()  # station_a sits in the street


def test_a_region_outside_the_scope_is_an_error_not_a_list(client, flow, accounts, district):
    flow.submit(station=district.station_b, deputy=district.dep_b)
    signed_in(client, accounts.street_a_committee)
    for code in (district.street_b.code, district.city.code, "nonsense"):
        response = client.get(QUEUE, {"tab": "all", "region": code})
        assert response.status_code == 400
        assert "No such region in your scope." in response.content.decode()
        assert not response.context["rows"]
    form = CaseFilter({"region": district.street_b.code}, user=accounts.handler_a)
    assert not form.is_valid() and "region" in form.errors


def test_the_date_range_of_an_event(client, flow, accounts):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        early = flow.submit()
        late = flow.submit()
        services.accept_case(early, actor=accounts.station_a_staff)
    with time_machine.travel(datetime(2026, 3, 9, 23, 30, tzinfo=SHANGHAI), tick=False):
        services.accept_case(late, actor=accounts.station_a_staff)
    signed_in(client, accounts.station_a_staff)
    get = lambda **q: listed(client.get(QUEUE, {"tab": "all", **q}))  # noqa: E731
    # Both created on 2 March; accepted on 2 and (late in the evening, Shanghai) 9 March.
    assert get(received_from="2026-03-02", received_to="2026-03-02") == {
        early.tracking_number,
        late.tracking_number,
    }
    march_9 = {"received_from": "2026-03-09", "received_to": "2026-03-09"}
    assert get(event="accepted", **march_9) == {late.tracking_number}
    assert get(event="received", **march_9) == set()
    assert get(event="rejected", received_from="2026-01-01") == set()
    assert CaseEvent.objects.filter(verb="case.accepted").count() == 2
    response = client.get(QUEUE, {"tab": "all", "event": "case.accepted"})
    assert response.status_code == 400


def test_open_or_closed(client, flow, accounts):
    closed = flow.to("closed")
    still_open = flow.to("accepted")
    signed_in(client, accounts.county_committee)
    get = lambda **q: listed(client.get(QUEUE, {"tab": "all", **q}))  # noqa: E731
    assert get(state="open") == {still_open.tracking_number}
    assert get(state="final") == {closed.tracking_number}
