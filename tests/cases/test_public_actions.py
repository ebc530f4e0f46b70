"""The citizen's actions on the tracking page: add the information asked for, withdraw (after a
confirmation step). Only whoever opened the page may act."""

import pytest
from django.test import Client

from liaison.cases.models import Case
from liaison.cases.workflow import Status

from .public_support import PHONE, english

pytestmark = pytest.mark.django_db


def _opened(client, case):
    english(client)
    client.post(f"/t/{case.tracking_number}", {"action": "last4", "last4": PHONE[-4:]})
    return client


def test_the_citizen_adds_the_information_asked_for(client, flow):
    case = flow.to("needs_info")
    _opened(client, case)
    page = client.get(f"/t/{case.tracking_number}").content.decode()
    assert "More information is needed" in page and "请说明具体位置。" in page
    response = client.post(f"/t/{case.tracking_number}/supplement/", {"text": "在保俶路12号东侧。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.due_at is not None
    event = case.events.latest("id")
    assert event.verb == "case.supplemented" and event.note == "在保俶路12号东侧。"
    assert event.actor is None


def test_an_empty_supplement_is_explained(client, flow):
    case = flow.to("needs_info")
    _opened(client, case)
    response = client.post(f"/t/{case.tracking_number}/supplement/", {"text": "  "})
    assert response.status_code == 400
    assert "Please write the information that was asked for." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.NEEDS_INFO


def test_a_supplement_when_none_was_asked_is_refused(client, flow):
    case = flow.to("accepted")
    _opened(client, case)
    response = client.post(f"/t/{case.tracking_number}/supplement/", {"text": "补充"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and not case.events.filter(verb="case.supplemented")
    page = client.get(response["Location"]).content.decode()
    assert "More information is needed" not in page


def test_actions_need_the_page_opened(flow):
    case = flow.to("needs_info")
    stranger = Client()
    response = stranger.post(f"/t/{case.tracking_number}/supplement/", {"text": "x"})
    assert response.status_code == 302 and response["Location"] == f"/t/{case.tracking_number}"
    response = stranger.post(f"/t/{case.tracking_number}/withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.NEEDS_INFO


def test_withdrawing_asks_for_confirmation_first(client, flow):
    case = flow.to("assigned")
    _opened(client, case)
    page = client.get(f"/t/{case.tracking_number}/withdraw/")
    assert page.status_code == 200 and "Withdraw your message?" in page.content.decode()
    # A post without the confirming button changes nothing.
    assert client.post(f"/t/{case.tracking_number}/withdraw/", {}).status_code == 400
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    response = client.post(
        f"/t/{case.tracking_number}/withdraw/", {"confirm": "yes", "reason": "已自行解决"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.events.latest("id").note == "已自行解决"
    page = client.get(f"/t/{case.tracking_number}").content.decode()
    assert "Withdrawn by the citizen" in page and "Withdraw my message" not in page


def test_a_closed_case_cannot_be_withdrawn(client, flow):
    case = flow.to("closed")
    _opened(client, case)
    response = client.post(f"/t/{case.tracking_number}/withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    page = client.get(response["Location"]).content.decode()
    assert "can no longer be withdrawn" in page
