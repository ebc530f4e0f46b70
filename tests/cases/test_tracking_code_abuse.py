""" "Send me a code" on the tracking page and its API (issue 15): the answer never tells whether a
tracking number exists, SMS to a phone are capped, and wrong last-4 guesses never lock the owner
out of the SMS-code way."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.cases.models import PhoneCode
from liaison.notifications import phonecodes
from liaison.notifications.models import Notification

from .public_support import PHONE, english

pytestmark = pytest.mark.django_db

UNKNOWN = "1234567890"


@pytest.fixture
def fixed_code(monkeypatch):
    monkeypatch.setattr(phonecodes, "new_code", lambda: "123456")
    return "123456"


def _codes_sent() -> int:
    return Notification.objects.filter(recipient=PHONE, template="tracking_code").count()


def _ask(client, number):
    response = client.post(f"/t/{number}", {"action": "send_code"})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location", "").replace(number, "N"), shown


def test_the_page_answers_alike_for_a_real_and_an_unknown_number(flow):
    case = flow.submit()
    real = _ask(english(Client()), case.tracking_number)
    unknown = _ask(english(Client()), UNKNOWN)
    assert real == unknown and real[0] == 302
    assert _codes_sent() == 1


def test_asking_again_within_the_minute_answers_alike_and_sends_nothing(flow):
    case = flow.submit()
    first = _ask(english(Client()), case.tracking_number)
    # Asked again at once (from another browser): it used to be an error only real numbers got.
    again = _ask(english(Client()), case.tracking_number)
    assert again == first == _ask(english(Client()), UNKNOWN)
    assert _codes_sent() == 1


def test_the_api_answers_alike_for_a_real_and_an_unknown_number(flow):
    case = flow.submit()
    api = APIClient()
    url = "/api/v1/cases/{}/tracking-code"
    answers = []
    for number in (case.tracking_number, UNKNOWN, case.tracking_number, UNKNOWN):
        response = api.post(url.format(number))
        body = dict(response.json(), tracking_number="N")
        answers.append((response.status_code, body, response.get("Retry-After")))
    assert answers[0][0] == 202
    assert all(answer == answers[0] for answer in answers)  # the second real one included
    assert _codes_sent() == 1


def test_texts_to_one_phone_are_capped_per_day(flow, settings):
    settings.LIAISON_RATE_CODES_PER_PHONE = 3
    settings.LIAISON_RATE_CODE_REQUESTS_PER_IP = 100
    case = flow.submit()
    start = timezone.now()
    statuses = set()
    for minute in range(6):
        with time_machine.travel(start + timedelta(minutes=2 * minute), tick=False):
            # A new client each time: the phone's cap holds whoever asks.
            client = Client(REMOTE_ADDR=f"10.0.0.{minute + 1}")
            statuses.add(
                client.post(f"/t/{case.tracking_number}", {"action": "send_code"}).status_code
            )
    assert statuses == {302}
    assert _codes_sent() == 3


def test_code_requests_per_client_are_limited_for_any_number(flow, settings):
    settings.LIAISON_RATE_CODE_REQUESTS_PER_IP = 2
    case = flow.submit()
    client = Client()
    assert _ask(client, UNKNOWN)[0] == 302
    assert _ask(client, UNKNOWN)[0] == 302
    assert client.post(f"/t/{case.tracking_number}", {"action": "send_code"}).status_code == 429
    assert client.post(f"/t/{UNKNOWN}", {"action": "send_code"}).status_code == 429
    api = APIClient()
    api.post(f"/api/v1/cases/{UNKNOWN}/tracking-code", REMOTE_ADDR="10.9.9.9")
    api.post(f"/api/v1/cases/{UNKNOWN}/tracking-code", REMOTE_ADDR="10.9.9.9")
    refused = api.post(
        f"/api/v1/cases/{case.tracking_number}/tracking-code", REMOTE_ADDR="10.9.9.9"
    )
    assert refused.status_code == 429 and refused["Content-Type"].startswith("application/")
    assert _codes_sent() == 0
    # Another client is not affected.
    assert _ask(Client(REMOTE_ADDR="10.1.1.1"), case.tracking_number)[0] == 302
    assert _codes_sent() == 1


def test_after_five_wrong_digits_the_owner_still_opens_the_page_with_a_code(flow, fixed_code):
    case = flow.submit()
    url = f"/t/{case.tracking_number}"
    guesser = Client(REMOTE_ADDR="10.6.6.6")
    for last4 in ("0000", "1111", "2222", "3333", "4444"):
        assert guesser.post(url, {"action": "last4", "last4": last4}).status_code == 400
    owner = english(Client(REMOTE_ADDR="10.2.2.2"))
    closed = owner.post(url, {"action": "last4", "last4": PHONE[-4:]})
    assert closed.status_code == 429  # the digits wait an hour for this number …
    assert "ask for a code by text message" in closed.content.decode()
    assert owner.post(url, {"action": "send_code"}).status_code == 302  # … the code does not
    assert _codes_sent() == 1
    assert owner.post(url, {"action": "code", "code": fixed_code}).status_code == 302
    assert owner.get(url).context["case"] == case
    # The lookup form sends a blocked number to the page that offers the code.
    lookup = owner.post("/track/", {"number": case.tracking_number, "last4": PHONE[-4:]})
    assert lookup.status_code == 302 and lookup["Location"] == url


def test_after_five_wrong_digits_the_api_still_opens_the_case_with_a_code(flow, fixed_code):
    case = flow.submit()
    url = f"/api/v1/cases/{case.tracking_number}"
    guesser = APIClient(REMOTE_ADDR="10.6.6.6")
    for last4 in ("0000", "1111", "2222", "3333", "4444"):
        assert guesser.get(url, {"phone_last4": last4}).status_code == 404
    owner = APIClient(REMOTE_ADDR="10.2.2.2")
    assert owner.get(url, {"phone_last4": PHONE[-4:]}).status_code == 429
    assert owner.post(f"{url}/tracking-code").status_code == 202
    opened = owner.get(url, {"code": fixed_code})
    assert opened.status_code == 200 and opened.json()["tracking_number"] == case.tracking_number


def test_wrong_codes_use_up_the_code_not_the_number(flow, fixed_code, settings):
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_IP = 100
    case = flow.submit()
    url = f"/t/{case.tracking_number}"
    guesser = Client(REMOTE_ADDR="10.6.6.6")
    guesser.post(url, {"action": "send_code"})
    for _ in range(6):
        assert guesser.post(url, {"action": "code", "code": "000000"}).status_code == 400
    assert PhoneCode.objects.get(case=case, purpose="track").attempts == 5
    # The code is spent; the owner asks for a new one a minute later and gets in.
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        owner = Client(REMOTE_ADDR="10.2.2.2")
        assert owner.post(url, {"action": "send_code"}).status_code == 302
        assert owner.post(url, {"action": "code", "code": fixed_code}).status_code == 302
        assert owner.get(url).context["case"] == case
