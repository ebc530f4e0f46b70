"""A co-handler (协办) that never signed holds the lead's report until it reports or the
committee releases it; the staff page shows each department's state (issue 16)."""

import pytest
from django.core.exceptions import ValidationError

from liaison.accounts.models import Role
from liaison.cases import services
from liaison.cases.models import Assignment
from liaison.cases.workflow import Status
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.notifications.models import Notification
from tests.factories import UserFactory

from .staff_pages import act, detail_url, reload, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_handler(district):
    return UserFactory(role=Role.DEPARTMENT_HANDLER, department=district.department_county)


@pytest.fixture
def co_handled(flow, accounts, district, lead_handler):
    """In progress: the county bureau leads and signed; street A's office co-handles, unsigned."""
    case = services.assign_case(
        flow.to("to_assign"),
        actor=accounts.county_committee,
        lead_department=district.department_county,
        co_departments=[district.department_a],
    )
    return services.sign_assignment(case, actor=lead_handler)


def test_the_lead_report_waits_for_an_unsigned_co_handler(co_handled, lead_handler, unchanged):
    with unchanged(co_handled), pytest.raises(TransitionRefused) as refused:
        services.report_result(co_handled, actor=lead_handler, text="已处理")
    assert refused.value.code == "co_handlers_awaited"
    assert co_handled.assignments.get(role="co").department.name in str(refused.value.message)


def test_the_lead_reports_once_the_co_handler_has(co_handled, lead_handler, accounts):
    case = services.sign_assignment(co_handled, actor=accounts.handler_a)
    case = services.report_result(case, actor=accounts.handler_a, text="协办意见")
    case = services.report_result(case, actor=lead_handler, text="已处理")
    assert case.status == Status.FEEDBACK


def test_a_returned_co_handler_holds_nothing(co_handled, lead_handler, accounts):
    case = services.return_assignment(co_handled, actor=accounts.handler_a, reason="非本单位")
    assert services.report_result(case, actor=lead_handler, text="已处理").status == "feedback"


def test_the_committee_releases_the_co_handlers(co_handled, lead_handler, accounts, district):
    case = services.release_co_handlers(
        co_handled, actor=accounts.county_committee, note="久未签收"
    )
    co = case.assignments.get(role="co")
    assert co.state == Assignment.State.RELEASED and not co.is_active
    event = case.events.get(verb="case.co_handlers_released")
    assert event.is_public is False
    assert event.data["released"] == [district.department_a.name]
    # The lead's handlers hear that they may report now (cases/notices.py).
    told = Notification.objects.filter(dedupe_key__startswith=f"case-event:{event.pk}:notice:")
    assert {n.recipient for n in told if n.channel == "in_app"} == {str(lead_handler.pk)}
    assert services.report_result(case, actor=lead_handler, text="已处理").status == "feedback"


def test_release_refusals(co_handled, accounts, lead_handler, unchanged):
    for who in (accounts.station_a_staff, accounts.handler_a, lead_handler, accounts.deputy_a):
        with unchanged(co_handled), pytest.raises(NotAllowed):
            services.release_co_handlers(co_handled, actor=who)
    case = services.release_co_handlers(co_handled, actor=accounts.county_committee)
    with unchanged(case), pytest.raises(ValidationError):
        services.release_co_handlers(case, actor=accounts.county_committee)


def test_release_is_refused_outside_the_handling(flow, accounts, unchanged):
    case = flow.to("to_assign")
    with unchanged(case), pytest.raises(TransitionRefused):
        services.release_co_handlers(case, actor=accounts.county_committee)


def test_the_page_shows_each_department_and_offers_the_release(client, co_handled, accounts):
    page = signed_in(client, accounts.county_committee).get(detail_url(co_handled))
    html = page.content.decode()
    assert 'id="co-awaited"' in html
    assert "state-pending" in html and "state-signed" in html
    assert "release_co_handlers" in [a["name"] for a in page.context["actions"]]
    response = act(client, co_handled, "release_co_handlers", note="")
    assert response.status_code == 302
    page = client.get(detail_url(co_handled))
    assert "release_co_handlers" not in [a["name"] for a in page.context["actions"]]
    assert 'id="co-awaited"' not in page.content.decode()
    assert "state-released" in page.content.decode()


def test_the_held_report_over_http_is_409_and_says_why(client, co_handled, lead_handler):
    response = act(signed_in(client, lead_handler), co_handled, "report", text="已处理")
    assert response.status_code == 409
    assert co_handled.assignments.get(role="co").department.name in response.context["error"]
    assert reload(co_handled).status == "in_progress"
