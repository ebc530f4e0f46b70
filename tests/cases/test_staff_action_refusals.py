"""Refused actions on the case page: a clear message, the right status code, nothing changed."""

import html

import pytest

from liaison.cases import services

from .staff_pages import PHONE_CALL, act, action_url, reload, signed_in


def test_refused_transition_is_409(client, flow, accounts, unchanged):
    case = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    with unchanged(case):
        response = act(client, case, "accept")
    assert response.status_code == 409
    page = response.content.decode()
    assert "This message has been reviewed already" in page  # never the internal action name
    assert "Accepted, awaiting the deputy" in page  # the case as it is now


def test_stale_form_says_what_happened(client, flow, accounts, unchanged):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    assert client.get(f"/staff/cases/{case.tracking_number}/").status_code == 200
    # Meanwhile a committee member accepts it.
    services.accept_case(case, actor=accounts.street_a_committee)
    with unchanged(case):
        response = act(client, case, "reject", seen_status="submitted", reason="spam", confirm="on")
    assert response.status_code == 409
    page = response.content.decode()
    # Who changed it, in words the page shows elsewhere (the public label, never a name).
    who = html.escape(case.events.latest("id").actor_label)  # the acceptance, as stored
    assert f"{who} changed this case in the meantime" in page
    assert "it is now “Accepted, awaiting the deputy&#x27;s reply”" in page
    assert reload(case).status == "accepted"


@pytest.mark.parametrize(
    ("role", "status", "action", "data"),
    [
        ("deputy_a", "submitted", "accept", {}),  # deputies do not review
        ("street_a_committee", "accepted", "reply", {"text": "好", "settle": "1"}),
        ("station_a_staff", "to_assign", "assign", {}),  # only the committee assigns
        ("station_a_staff", "in_progress", "urge", {}),
        ("station_a_staff", "assigned", "sign", {}),  # only the department signs
    ],
)
def test_forbidden_action_is_403(
    client, flow, accounts, district, unchanged, role, status, action, data
):
    case = flow.to(status, **PHONE_CALL)
    if action == "assign":
        data = {"lead_department": district.department_a.pk}
    signed_in(client, getattr(accounts, role))
    with unchanged(case):
        response = act(client, case, action, **data)
    assert response.status_code == 403
    assert "may" in response.content.decode()  # "…may not take this action…", "Only the…"


@pytest.mark.parametrize(
    ("status", "role", "action", "data", "message"),
    [
        (
            "submitted",
            "station_a_staff",
            "request_info",
            {"reason": " "},
            "This field is required.",
        ),
        (
            "submitted",
            "station_a_staff",
            "reject",
            {"reason": "bored", "confirm": "on"},
            "Select a valid choice.",
        ),
        ("accepted", "deputy_a", "reply", {"text": "好"}, "This field is required."),
        (
            "in_progress",
            "handler_a",
            "request_extension",
            {"days_requested": "99", "reason": "x"},
            "less than or equal to 30",
        ),
        ("in_progress", "handler_a", "report", {"text": ""}, "This field is required."),
        (
            "submitted",
            "station_a_staff",
            "accept",
            {"seen_status": "nonsense"},
            "Select a valid choice.",
        ),
    ],
)
def test_bad_input_is_400(client, flow, accounts, unchanged, status, role, action, data, message):
    case = flow.to(status, **PHONE_CALL)
    signed_in(client, getattr(accounts, role))
    with unchanged(case):
        response = act(client, case, action, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Please correct the form below." in page


def test_unknown_action_is_404_and_get_is_405(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    assert act(client, case, "explode").status_code == 404
    assert client.get(action_url(case, "accept")).status_code == 405
