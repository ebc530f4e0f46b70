"""原承办单位 after a reassignment names the lead the case was taken from, never a co-handler
(issue 16): the co-handlers come first in the withdrawn list, and a lead that returned the case
is no longer active, so the old line named the co-handler."""

import pytest

from liaison.accounts.models import Role
from liaison.cases import services
from tests.factories import DepartmentFactory, UserFactory

from .staff_pages import act, detail_url, reload, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_handler(district):
    return UserFactory(role=Role.DEPARTMENT_HANDLER, department=district.department_county)


@pytest.fixture
def co_handled(flow, accounts, district):
    """Assigned: the county bureau leads, street A's office co-handles."""
    return services.assign_case(
        flow.to("to_assign"),
        actor=accounts.county_committee,
        lead_department=district.department_county,
        co_departments=[district.department_a],
    )


@pytest.fixture
def other_department(district):
    return DepartmentFactory(name="北山街道综合执法队", region=district.street_a)


def _details(client, case) -> str:
    page = client.get(detail_url(case))
    assert page.status_code == 200
    return page.content.decode()


def test_a_returned_lead_is_the_department_taken_from(
    client, co_handled, county_handler, accounts, district, other_department
):
    case = services.return_assignment(co_handled, actor=county_handler, reason="非本单位职责")
    signed_in(client, accounts.county_committee)
    response = act(client, case, "assign", lead_department=other_department.pk)
    assert response.status_code == 302
    assert reload(case).status == "assigned"
    page = _details(client, case)
    assert f"Taken from: {district.department_county.name}" in page
    assert f"Taken from: {district.department_a.name}" not in page
    assert f"Co-handlers withdrawn: {district.department_a.name}" in page


def test_a_reassignment_names_the_lead_only(
    client, co_handled, county_handler, accounts, district, other_department
):
    case = services.sign_assignment(co_handled, actor=county_handler)
    signed_in(client, accounts.county_committee)
    assert act(client, case, "assign", lead_department=other_department.pk).status_code == 302
    page = _details(client, case)
    assert f"Taken from: {district.department_county.name}<" in page
    assert f"Co-handlers withdrawn: {district.department_a.name}" in page


def test_a_first_assignment_is_taken_from_nobody(client, flow, accounts, district):
    signed_in(client, accounts.county_committee)
    case = flow.to("to_assign")
    assert act(client, case, "assign", lead_department=district.department_a.pk).status_code == 302
    assert "Taken from" not in _details(client, case)


def test_a_re_handling_round_is_not_taken_from_the_lead_that_reported(
    client, flow, accounts, district
):
    case = services.rate_case(flow.to("answered"), rating="unsatisfied")
    assert case.status == "to_assign"
    signed_in(client, accounts.county_committee)
    assert act(client, case, "assign", lead_department=district.department_a.pk).status_code == 302
    assert "Taken from" not in _details(client, case)
