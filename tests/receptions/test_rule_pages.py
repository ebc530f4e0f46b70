"""The reception-rules pages: list, add, change, deactivate and re-activate, scope."""

from datetime import time

import pytest
import time_machine

from liaison.core.models import AuditEvent
from liaison.receptions.models import ReceptionRule

from .days_support import TODAY, rule
from .support import signed_in

pytestmark = pytest.mark.django_db
LIST = "/staff/receptions/days/rules/"
NEW = "/staff/receptions/days/rules/new/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def monday(district, accounts):
    return rule(district.station_a, accounts.station_a_staff, weekday=0)


def form(**overrides):
    data = {
        "kind": "weekly",
        "weekday": "2",
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "二楼会议室",
        "valid_from": "2025-09-01",
        "on_holiday": "skip",
    }
    data.update(overrides)
    return data


def test_list_shows_the_station_rules_and_is_linked_from_the_days_page(
    client, district, accounts, monday
):
    staff = accounts.station_a_staff
    response = signed_in(client, staff).get(LIST)
    assert response.status_code == 200
    assert list(response.context["rules"]) == [monday]
    assert f'id="rule-{monday.pk}"' in response.content.decode()
    days = signed_in(client, staff).get("/staff/receptions/days/").content.decode()
    assert f'href="{LIST}?station={district.station_a.pk}"' in days


def test_staff_add_a_rule(client, district, accounts, monday):
    client = signed_in(client, accounts.station_a_staff)
    response = client.post(f"{NEW}?station={district.station_a.pk}", form(), follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST}?station={district.station_a.pk}"
    assert "Reception rule saved." in response.content.decode()
    added = ReceptionRule.objects.exclude(pk=monday.pk).get()
    assert (added.station, added.weekday, added.place) == (district.station_a, 2, "二楼会议室")
    assert AuditEvent.objects.filter(verb="reception_rule.created", object_id=str(added.pk))


def test_overlap_is_refused_with_a_message_and_nothing_saved(client, district, accounts, monday):
    client = signed_in(client, accounts.station_a_staff)
    response = client.post(
        f"{NEW}?station={district.station_a.pk}", form(weekday="0", start_time="10:00")
    )
    assert response.status_code == 400
    assert "overlaps another reception" in response.content.decode()
    assert ReceptionRule.objects.count() == 1


def test_bad_input_is_a_400_with_the_field_error(client, district, accounts, monday):
    client = signed_in(client, accounts.station_a_staff)
    response = client.post(f"{NEW}?station={district.station_a.pk}", form(weekday=""))
    assert response.status_code == 400
    assert "Choose the weekday" in response.content.decode()
    response = client.post(f"{NEW}?station={district.station_a.pk}", form(end_time="13:00"))
    assert response.status_code == 400
    assert ReceptionRule.objects.count() == 1


def test_edit_a_rule(client, district, accounts, monday):
    client = signed_in(client, accounts.station_a_staff)
    url = f"/staff/receptions/days/rules/{monday.pk}/"
    assert client.get(url).status_code == 200
    changed = form(kind="weekly", weekday="0", start_time="09:00", end_time="12:00")
    assert client.post(url, changed).status_code == 302
    monday.refresh_from_db()
    assert (monday.end_time, monday.place, monday.station) == (
        time(12),
        "二楼会议室",
        district.station_a,
    )
    assert AuditEvent.objects.filter(verb="reception_rule.changed").count() == 1


def test_deactivate_and_reactivate(client, district, accounts, monday):
    client = signed_in(client, accounts.station_a_staff)
    url = f"/staff/receptions/days/rules/{monday.pk}/active/"
    response = client.post(url, {"active": "0"}, follow=True)
    assert "Reception rule deactivated." in response.content.decode()
    monday.refresh_from_db()
    assert not monday.is_active
    # Meanwhile another Monday rule at the same time: re-activating would overlap.
    other = rule(district.station_a, accounts.station_a_staff, weekday=0, start_time=time(10))
    response = client.post(url, {"active": "1"})
    assert response.status_code == 409
    assert "overlaps" in response.content.decode()
    monday.refresh_from_db()
    assert not monday.is_active
    client.post(f"/staff/receptions/days/rules/{other.pk}/active/", {"active": "0"})
    assert client.post(url, {"active": "1"}).status_code == 302
    monday.refresh_from_db()
    assert monday.is_active
    assert client.get(url).status_code == 405  # a change is a POST


def test_committee_manages_stations_of_its_region(client, district, accounts, monday):
    client = signed_in(client, accounts.street_a_committee)
    assert client.get(f"{LIST}?station={district.station_a.pk}").status_code == 200
    assert client.get(f"{LIST}?station={district.station_b.pk}").status_code == 403


@pytest.mark.parametrize("who", ["station_b_staff", "deputy_a", "handler_a"])
def test_out_of_scope_accounts_get_403_and_change_nothing(client, district, accounts, monday, who):
    client = signed_in(client, getattr(accounts, who))
    assert client.get(f"{LIST}?station={district.station_a.pk}").status_code == 403
    assert client.post(f"{NEW}?station={district.station_a.pk}", form()).status_code == 403
    edit = f"/staff/receptions/days/rules/{monday.pk}/"
    assert client.post(edit, form(weekday="0")).status_code == 403
    assert client.post(f"{edit}active/", {"active": "0"}).status_code == 403
    monday.refresh_from_db()
    assert monday.is_active and monday.weekday == 0 and ReceptionRule.objects.count() == 1


def test_unknown_rule_is_404(client, accounts):
    assert (
        signed_in(client, accounts.station_a_staff)
        .get("/staff/receptions/days/rules/999/")
        .status_code
        == 404
    )
