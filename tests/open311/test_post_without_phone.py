"""GeoReport v2 makes the phone optional: a request without one is filed as is, flagged for
staff, sends no SMS, and the answer says the service_request_id is the only way back."""

import pytest

from liaison.cases.models import Case, CaseEvent
from liaison.cases.workflow import Status
from liaison.notifications.models import Notification
from tests.cases.staff_pages import signed_in

from .conftest import body, xml_requests
from .test_requests_post import _post, located_staff


def no_phone_warning(row) -> bool:
    """The notice's warning, in the site's language or in English."""
    return any(words in row["service_notice"] for words in ("未留电话", "without a phone"))


@pytest.mark.parametrize("phone", [None, "", "   "])
def test_a_request_without_a_phone_is_filed_and_flagged(client, located, api_key, phone):
    response = _post(client, api_key, phone=phone)
    assert response.status_code == 200, response.content
    [row] = response.json()
    case = Case.objects.get(tracking_number=row["service_request_id"])
    assert case.status == Status.SUBMITTED and case.due_at is not None
    assert case.citizen_phone == "" and not case.has_contact
    assert no_phone_warning(row) and case.tracking_number in row["service_notice"]
    consent = CaseEvent.objects.get(case=case, verb="case.submitted").data["privacy_consent"]
    assert consent["no_contact"] is True
    assert consent["vouched_by_partner"] == ["privacy_notice"]
    assert not Notification.objects.filter(channel="sms").exists()


def test_the_xml_answer_says_the_same(client, located, api_key):
    [row] = xml_requests(body(_post(client, api_key, "xml", phone=None), "xml"))
    assert no_phone_warning(row)


def test_with_a_phone_the_citizen_gets_the_sms_and_no_warning(client, located, api_key):
    [row] = _post(client, api_key).json()
    assert not no_phone_warning(row)
    assert Notification.objects.filter(channel="sms").count() == 1
    case = Case.objects.get(tracking_number=row["service_request_id"])
    event = CaseEvent.objects.get(case=case, verb="case.submitted")
    assert "no_contact" not in event.data["privacy_consent"]


def test_staff_see_that_the_request_has_no_contact(client, located, api_key):
    [row] = _post(client, api_key, phone=None).json()
    signed_in(client, located_staff(located))
    page = client.get(f"/staff/cases/{row['service_request_id']}/").content.decode()
    assert "No contact details" in page
