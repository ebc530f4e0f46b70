"""Role matrix over HTTP: each role's queue lists exactly its cases, and any other case's page is
a 404 (docs/design.md, rule 4)."""

import pytest

from .staff_pages import PHONE_CALL, detail_url, signed_in

SEES = {
    "administrator": {"a", "a_shared", "b"},
    "county_committee": {"a", "a_shared", "b"},
    "street_a_committee": {"a", "a_shared"},
    "station_a_staff": {"a", "a_shared"},
    "station_b_staff": {"b"},
    "deputy_a": {"a"},
    "handler_a": {"a"},
}


@pytest.fixture
def cases(flow, district):
    return {
        "a": flow.to("assigned", **PHONE_CALL),  # department_a holds it
        "a_shared": flow.submit(deputy=district.dep_shared, **PHONE_CALL),
        "b": flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL),
        # An online message whose phone is not verified yet is nobody's work.
        "unverified": flow.submit(verify_phone=True),
    }


@pytest.mark.parametrize("role", sorted(SEES))
def test_queue_lists_exactly_the_roles_cases(client, accounts, cases, role):
    signed_in(client, getattr(accounts, role))
    response = client.get("/staff/cases/?tab=all")
    assert response.status_code == 200
    listed = {case.tracking_number for case, _flag in response.context["rows"]}
    assert listed == {cases[key].tracking_number for key in SEES[role]}


@pytest.mark.parametrize("role", sorted(SEES))
def test_case_pages_are_404_outside_the_scope(client, accounts, cases, role):
    signed_in(client, getattr(accounts, role))
    for key, case in cases.items():
        expected = 200 if key in SEES[role] else 404
        assert client.get(detail_url(case)).status_code == expected, key


def test_actions_on_an_invisible_case_are_404(client, accounts, cases, unchanged):
    signed_in(client, accounts.station_b_staff)
    with unchanged(cases["a_shared"]):
        response = client.post(
            f"/staff/cases/{cases['a_shared'].tracking_number}/accept/",
            {"seen_status": "submitted"},
        )
    assert response.status_code == 404


def test_login_required(client, cases):
    response = client.get("/staff/cases/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(detail_url(cases["a"])).status_code == 302
