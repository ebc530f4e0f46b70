"""The review and assignment screens and the staff API show the learned suggestions and the
similar open cases of the reviewer's scope; merging from the list goes through the merge action
and its confirmation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.api.keys import create_key
from liaison.cases.models import Case
from liaison.cases.workflow import Status

from ..cases.conftest import Flow

pytestmark = pytest.mark.django_db

ELEVATOR = {"title": "电梯坏了", "description": "我们小区3号楼的电梯坏了一个月，物业一直没有修。"}
ELEVATOR_AGAIN = {
    "title": "3号楼电梯停运",
    "description": "小区3号楼电梯已经停运快一个月了，物业不管不问，老人下不了楼。",
}
UNRELATED = {"title": "学校门口拥堵", "description": "每天早上学校门口接送孩子的车把路都堵死了。"}


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


@pytest.fixture
def cases(flow, district):
    probe = flow.submit(channel="phone", **ELEVATOR)
    twin = flow.submit(channel="phone", **ELEVATOR_AGAIN)
    unrelated = flow.submit(channel="phone", **UNRELATED)
    elsewhere = flow.submit(
        channel="phone", station=district.station_b, deputy=district.dep_b, **ELEVATOR_AGAIN
    )
    return probe, twin, unrelated, elsewhere


def page(client, user, case):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(f"/staff/cases/{case.tracking_number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_review_screen_lists_similar_cases_of_the_scope_only(client, accounts, cases):
    probe, twin, unrelated, elsewhere = cases
    html = page(client, accounts.station_a_staff, probe)
    assert "Open cases like this one" in html
    assert twin.tracking_number in html
    assert f"Merge into {twin.tracking_number}" in html
    assert unrelated.tracking_number not in html
    # Station B's case is as similar, but station A's staff may not see it.
    assert elsewhere.tracking_number not in html


def test_the_county_committee_sees_similar_cases_across_its_stations(client, accounts, cases):
    probe, twin, _unrelated, elsewhere = cases
    html = page(client, accounts.county_committee, probe)
    assert twin.tracking_number in html and elsewhere.tracking_number in html


def test_old_and_closed_cases_are_not_offered(client, accounts, cases, flow):
    probe, twin, _unrelated, _elsewhere = cases
    Case.objects.filter(pk=twin.pk).update(created_at=timezone.now() - timedelta(days=91))
    closed = flow.submit(channel="phone", **ELEVATOR_AGAIN)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    html = page(client, accounts.station_a_staff, probe)
    assert twin.tracking_number not in html and closed.tracking_number not in html


def test_merge_from_the_list_asks_for_confirmation_then_merges(client, accounts, cases):
    probe, twin, _unrelated, _elsewhere = cases
    client.force_login(accounts.station_a_staff)
    url = f"/staff/cases/{probe.tracking_number}/merge/"
    data = {"seen_status": probe.status, "into": twin.tracking_number}
    response = client.post(url, data)
    assert response.status_code == 200  # the confirmation screen
    probe.refresh_from_db()
    assert probe.status == Status.SUBMITTED
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    probe.refresh_from_db()
    assert probe.status == Status.MERGED and probe.merged_into == twin


def test_department_suggestions_on_the_review_screen(client, accounts, cases, trained, district):
    probe = cases[0]
    html = page(client, accounts.station_a_staff, probe)
    assert "Departments that handled similar messages" in html
    assert district.department_county.name in html
    assert "similar messages were handled by" in html or "Keywords:" in html


def test_assignment_screen_suggests_but_never_preselects(client, accounts, flow, trained, district):
    case = flow.to("to_assign", channel="phone", **ELEVATOR)
    html = page(client, accounts.county_committee, case)
    assert "Departments that handled similar messages" in html
    assert 'id="action-assign"' in html
    pk = district.department_county.pk
    assert f'value="{pk}" selected' not in html and f'value="{pk}" checked' not in html


def test_no_suggestion_without_a_model(client, accounts, cases):
    html = page(client, accounts.station_a_staff, cases[0])
    assert "Departments that handled similar messages" not in html


def test_no_suggestion_for_a_very_short_text(client, accounts, flow, trained):
    short = flow.submit(channel="phone", title="问题", description="见附件")
    html = page(client, accounts.station_a_staff, short)
    assert "Departments that handled similar messages" not in html


def test_a_department_sees_no_suggestions_and_no_similar_cases(
    client, accounts, flow, trained, district
):
    case = flow.to("assigned", channel="phone", **ELEVATOR)
    flow.submit(channel="phone", **ELEVATOR_AGAIN)
    html = page(client, accounts.handler_a, case)
    assert "Open cases like this one" not in html
    assert "Departments that handled similar messages" not in html


# --- the staff API -------------------------------------------------------------------------------


@pytest.fixture
def api_as(client):
    def get(user, case):
        _key, raw = create_key(name="test", user=user, scopes=["staff"])
        response = client.get(
            f"/api/v1/staff/cases/{case.tracking_number}/",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200, response.content
        return response.json()

    return get


def test_api_detail_carries_suggested_departments_and_similar_cases(
    api_as, accounts, cases, trained, district
):
    probe, twin, _unrelated, elsewhere = cases
    body = api_as(accounts.station_a_staff, probe)
    top = body["suggested_departments"][0]
    assert top["department"] == district.department_county.code
    assert 0 < top["score"] <= 1 and top["reason"]
    numbers = [row["tracking_number"] for row in body["similar_cases"]]
    assert numbers == [twin.tracking_number]
    assert body["similar_cases"][0]["why"] and 0 < body["similar_cases"][0]["similarity"] <= 1
    assert elsewhere.tracking_number not in numbers


def test_api_lists_are_empty_once_the_case_is_closed(api_as, accounts, cases, trained):
    probe = cases[0]
    Case.objects.filter(pk=probe.pk).update(status=Status.CLOSED)
    body = api_as(accounts.station_a_staff, probe)
    assert body["suggested_departments"] == [] and body["similar_cases"] == []
