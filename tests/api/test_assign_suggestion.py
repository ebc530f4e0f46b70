"""The API shows the routing rules' suggestion for an assignment as `suggested`, never as a
default: an assign body without a lead department is refused and the case stays unassigned."""

import pytest

from liaison.cases.models import RoutingRule

from .test_cases_staff import PHONE_CALL, action_url, detail_url
from .test_cases_staff import as_user as as_user_fixture
from .test_cases_staff import flow as flow_fixture

pytestmark = pytest.mark.django_db

# The staff API tests' fixtures, under their own names here.
as_user = as_user_fixture
flow = flow_fixture


@pytest.fixture
def suggested_case(flow, district):
    RoutingRule.objects.create(
        category=district.category, region=district.street_a, department=district.department_a
    )
    RoutingRule.objects.create(
        category=district.category,
        region=district.street_a,
        department=district.department_county,
        role="co",
    )
    return flow.to("to_assign", **PHONE_CALL)


def test_detail_lists_the_suggestion(as_user, accounts, district, suggested_case):
    body = as_user(accounts.county_committee).get(detail_url(suggested_case)).json()
    assert body["suggested"] == [
        {
            "department": district.department_a.code,
            "department_name": district.department_a.name,
            "role": "lead",
        },
        {
            "department": district.department_county.code,
            "department_name": district.department_county.name,
            "role": "co",
        },
    ]


def test_no_suggestion_for_who_may_not_assign(as_user, accounts, suggested_case):
    body = as_user(accounts.station_a_staff).get(detail_url(suggested_case)).json()
    assert "assign" not in body["actions"]
    assert body["suggested"] == []


def test_an_assign_without_a_lead_is_refused_not_defaulted(as_user, accounts, suggested_case):
    response = as_user(accounts.county_committee).post(
        action_url(suggested_case, "assign"), {}, format="json"
    )
    assert response.status_code == 400
    assert "lead_department" in response.content.decode()
    suggested_case.refresh_from_db()
    assert suggested_case.status == "to_assign"
    assert not suggested_case.assignments.exists()
