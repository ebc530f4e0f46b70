"""Routing rules (分办规则) suggest the departments of an assignment; staff decide."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.cases.models import RoutingRule
from liaison.cases.selectors import suggested_departments
from tests.factories import CategoryFactory

from .staff_pages import PHONE_CALL, act, detail_url, reload, signed_in

pytestmark = pytest.mark.django_db


def rule(district, department, role="lead", region=None, priority=100, **fields):
    return RoutingRule.objects.create(
        category=fields.pop("category", district.category),
        region=region,
        department=department,
        role=role,
        priority=priority,
        **fields,
    )


def test_no_rules_no_suggestion(flow):
    assert suggested_departments(flow.to("to_assign", **PHONE_CALL)) == []


def test_the_most_specific_region_wins(flow, district):
    rule(district, district.department_county)  # everywhere
    rule(district, district.department_county, region=district.county, priority=1)
    rule(district, district.department_a, region=district.street_a, priority=50)
    rule(district, district.department_county, role="co", region=district.street_a)
    case = flow.to("to_assign", **PHONE_CALL)
    assert suggested_departments(case) == [
        (district.department_a, "lead"),
        (district.department_county, "co"),
    ]


def test_a_rule_for_another_region_does_not_apply(flow, district):
    rule(district, district.department_b, region=district.street_b)
    rule(district, district.department_county, region=district.county)
    case = flow.to("to_assign", **PHONE_CALL)  # street A
    assert suggested_departments(case) == [(district.department_county, "lead")]


def test_priority_decides_within_a_region(flow, district):
    rule(district, district.department_county, region=district.street_a, priority=20)
    rule(district, district.department_a, region=district.street_a, priority=10)
    case = flow.to("to_assign", **PHONE_CALL)
    assert suggested_departments(case) == [(district.department_a, "lead")]


def test_inactive_rules_departments_and_other_categories_are_ignored(flow, district):
    rule(district, district.department_a, region=district.street_a, is_active=False)
    rule(district, district.department_a, category=CategoryFactory(code="water"))
    district.department_b.is_active = False
    district.department_b.save()
    rule(district, district.department_b, region=district.street_a, priority=1)
    rule(district, district.department_county, region=district.county)
    case = flow.to("to_assign", **PHONE_CALL)
    assert suggested_departments(case) == [(district.department_county, "lead")]


def test_a_department_outside_the_case_area_is_never_suggested(flow, district):
    rule(district, district.department_b)  # street B's office, "everywhere"
    assert suggested_departments(flow.to("to_assign", **PHONE_CALL)) == []


def test_the_suggestion_is_one_query(flow, district):
    rule(district, district.department_a, region=district.street_a)
    rule(district, district.department_county, role="co", region=district.street_a)
    rule(district, district.department_county)
    case = flow.to("to_assign", **PHONE_CALL)
    with CaptureQueriesContext(connection) as queries:
        suggested_departments(case)
    assert len(queries) == 1


def test_the_assign_form_marks_the_suggestion_but_chooses_nothing(client, flow, district, accounts):
    rule(district, district.department_a, region=district.street_a)
    rule(district, district.department_county, role="co", region=district.street_a)
    case = flow.to("to_assign", **PHONE_CALL)
    page = signed_in(client, accounts.county_committee).get(detail_url(case))
    form = next(a["form"] for a in page.context["actions"] if a["name"] == "assign")
    assert form["lead_department"].value() is None
    assert form["co_departments"].value() in (None, [])
    html = page.content.decode()
    assert f"{district.department_a.name} (suggested)" in html
    assert f"{district.department_county.name} (suggested)" in html
    assert f"Use the suggestion: {district.department_a.name}" in html
    assert f'href="{detail_url(case)}?suggestion=1#action-assign"' in html


def test_sending_the_form_untouched_assigns_nothing(client, flow, district, accounts):
    rule(district, district.department_a, region=district.street_a)
    case = flow.to("to_assign", **PHONE_CALL)
    response = act(signed_in(client, accounts.county_committee), case, "assign")
    assert response.status_code == 400
    offered = {action["name"]: action["form"] for action in response.context["actions"]}
    assert "lead_department" in offered["assign"].errors
    assert reload(case).status == "to_assign"
    assert not case.assignments.exists()


def test_using_the_suggestion_fills_the_form_in(client, flow, district, accounts):
    rule(district, district.department_a, region=district.street_a)
    rule(district, district.department_county, role="co", region=district.street_a)
    case = flow.to("to_assign", **PHONE_CALL)
    page = signed_in(client, accounts.county_committee).get(detail_url(case) + "?suggestion=1")
    item = next(a for a in page.context["actions"] if a["name"] == "assign")
    assert item["open"]
    assert item["form"]["lead_department"].value() == district.department_a.pk
    assert item["form"]["co_departments"].value() == [district.department_county.pk]


def test_without_rules_nothing_is_suggested(client, flow, accounts):
    case = flow.to("to_assign", **PHONE_CALL)
    page = signed_in(client, accounts.county_committee).get(detail_url(case) + "?suggestion=1")
    form = next(a["form"] for a in page.context["actions"] if a["name"] == "assign")
    assert form["lead_department"].value() is None
    html = page.content.decode()
    assert "(suggested)" not in html
    assert "use-suggestion" not in html


def test_only_administrators_edit_rules_and_each_change_is_audited(client, district, accounts):
    from liaison.core.models import AuditEvent

    data = {
        "category": district.category.pk,
        "region": district.street_a.pk,
        "department": district.department_a.pk,
        "role": "lead",
        "priority": 10,
        "is_active": "on",
    }
    client.force_login(accounts.county_committee)
    assert client.post("/admin/cases/routingrule/add/", data).status_code in (302, 403)
    assert not RoutingRule.objects.exists()
    client.force_login(accounts.administrator)
    response = client.post("/admin/cases/routingrule/add/", data)
    assert response.status_code == 302, response.content[:2000]
    created = RoutingRule.objects.get()
    assert AuditEvent.objects.filter(
        verb="routing_rule.created", object_id=str(created.pk)
    ).exists()
