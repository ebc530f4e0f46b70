"""The citizen's timeline shows one line per stage (issue 16): a reassignment, a department's
return, an answered request for information and a co-handler's steps collapse to the latest line
of their stage; staff still see every event."""

import re

import pytest
from rest_framework.test import APIClient

from liaison.accounts.models import Role
from liaison.cases import services, tracking
from liaison.cases.selectors import timeline
from tests.factories import UserFactory

from .public_support import PHONE, english
from .staff_pages import detail_url, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_handler(district):
    return UserFactory(role=Role.DEPARTMENT_HANDLER, department=district.department_county)


@pytest.fixture
def reassigned(flow, accounts, district):
    """Assigned to street A's office, returned by it (internal), then to the county bureau."""
    case = services.return_assignment(
        flow.to("assigned"), actor=accounts.handler_a, reason="非本单位"
    )
    return services.assign_case(
        case, actor=accounts.county_committee, lead_department=district.department_county
    )


def _citizen_timeline(client, case) -> str:
    english(client)
    client.post(f"/t/{case.tracking_number}", {"action": "last4", "last4": PHONE[-4:]})
    html = client.get(f"/t/{case.tracking_number}").content.decode()
    return re.search(r'<ol class="public-timeline">.*?</ol>', html, re.S).group(0)


def test_a_reassignment_leaves_one_line_naming_the_department(client, reassigned, district):
    section = _citizen_timeline(client, reassigned)
    assert section.count("Passed to ") == 1
    assert f"Passed to {district.department_county.name} for handling" in section
    assert district.department_a.name not in section  # the first, corrected, assignment
    assert section.count('class="timeline-entry"') == 4  # received, accepted, reply, handling


def test_staff_still_see_the_whole_history(client, reassigned, accounts, district):
    verbs = [e.verb for e in timeline(reassigned, public=False)]
    assert verbs.count("case.assigned") == 2 and "case.returned" in verbs
    signed_in(client, accounts.county_committee)
    page = client.get(detail_url(reassigned)).content.decode()
    # The event's words are written in the language of the moment; both departments are named.
    assert district.department_a.name in page
    assert district.department_county.name in page


def test_the_public_api_shows_the_same_lines(reassigned, district):
    response = APIClient().get(
        f"/api/v1/cases/{reassigned.tracking_number}", HTTP_X_PHONE_LAST4=PHONE[-4:]
    )
    assert response.status_code == 200
    lines = response.json()["timeline"]
    assert [e["verb"] for e in lines] == [
        "case.submitted",
        "case.accepted",
        "case.replied",
        "case.assigned",
    ]
    assert district.department_county.name in lines[-1]["what"]


def test_each_stage_keeps_its_latest_line_and_a_re_handling_round_starts_again(
    flow, accounts, district, county_handler
):
    a, d = accounts, district
    case = services.request_info(flow.submit(), actor=a.station_a_staff, reason="请说明位置。")
    case = services.supplement_case(case, text="保俶路12号。")
    case = services.accept_case(case, actor=a.station_a_staff)
    case = services.reply_case(case, actor=a.deputy_a, text="建议交办。", settle=False)
    case = services.assign_case(
        case,
        actor=a.county_committee,
        lead_department=d.department_county,
        co_departments=[d.department_a],
    )
    case = services.sign_assignment(case, actor=a.handler_a)  # the co-handler
    case = services.sign_assignment(case, actor=county_handler)
    case = services.report_result(case, actor=a.handler_a, text="协办意见")
    case = services.report_result(case, actor=county_handler, text="已处理")
    case = services.answer_case(case, actor=a.deputy_a, text="已处理好。")
    case = services.rate_case(case, rating="unsatisfied")
    case = services.assign_case(case, actor=a.county_committee, lead_department=d.department_a)
    case = services.sign_assignment(case, actor=a.handler_a)

    lines = tracking.public_timeline(case)
    assert [e["verb"] for e in lines] == [
        "case.submitted",
        "case.accepted",
        "case.replied",
        "case.reported",
        "case.answered",
        "case.rehandle_requested",
        "case.signed",
    ]
    assert lines[3]["who"] == d.department_county.name  # the lead's report, not the co-handler's
    assert lines[-1]["who"] == d.department_a.name
    # Nothing of the citizen's timeline is lost for staff.
    assert len(timeline(case, public=False)) > len(lines) + 5
