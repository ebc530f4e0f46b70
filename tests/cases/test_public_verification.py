"""Confirming the phone of a new message by SMS code: wrong, expired, too many tries, resend
cooldown, demo mode; the confirmed message starts its review clock; drafts are deleted."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from liaison.cases import jobs as case_jobs  # noqa: F401  (registers the periodic jobs)
from liaison.cases import verification
from liaison.cases.models import Case, CasePhoto, PhoneCode
from liaison.cases.workflow import Status
from liaison.core import jobs
from liaison.notifications.models import Notification

from .public_support import (
    PHONE,
    confirmed_case,
    deputy_form_url,
    english,
    jpeg,
    last_code,
    message_data,
    send_message,
)

pytestmark = pytest.mark.django_db


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_right_code_confirms_and_shows_the_tracking_number(client, district):
    english(client)
    case = confirmed_case(client, district)
    assert case.phone_verified_at is not None
    assert case.status == Status.SUBMITTED and case.due_at is not None
    event = case.events.get()
    assert event.verb == "case.submitted" and event.data["phone_verified"] is True
    assert Case.objects.verified().get() == case
    tracking_sms = Notification.objects.filter(recipient=PHONE).latest("id")
    assert case.tracking_number in tracking_sms.body
    page = client.get("/message/sent/")
    html = page.content.decode()
    number = case.tracking_number
    assert f"{number[:3]} {number[3:6]} {number[6:]}" in html
    assert f"http://testserver/t/{number}" in html
    assert "within 3 working days" in html
    # The tracking page opens without asking again in this browser.
    assert client.get(f"/t/{number}").context["case"] == case


def test_a_wrong_code_is_refused_and_counted(client, district):
    english(client)
    send_message(client, district)
    response = client.post("/message/confirm/", {"code": _wrong(last_code())})
    assert response.status_code == 400
    assert "The code is not right. You can try 4 more times." in response.content.decode()
    assert PhoneCode.objects.get().attempts == 1
    assert Case.objects.get().phone_verified_at is None


def test_a_malformed_code_is_refused_without_counting(client, district):
    english(client)
    send_message(client, district)
    response = client.post("/message/confirm/", {"code": "12ab"})
    assert response.status_code == 400 and "The code has 6 digits." in response.content.decode()
    assert PhoneCode.objects.get().attempts == 0


def test_five_wrong_tries_use_up_the_code(client, district):
    english(client)
    send_message(client, district)
    code = last_code()
    for _ in range(5):
        client.post("/message/confirm/", {"code": _wrong(code)})
    response = client.post("/message/confirm/", {"code": code})
    assert response.status_code == 400
    assert "Too many wrong tries. Please ask for a new code." in response.content.decode()
    assert Case.objects.get().phone_verified_at is None


def test_an_expired_code_is_refused(client, district):
    english(client)
    send_message(client, district)
    code = last_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post("/message/confirm/", {"code": code})
    assert response.status_code == 400
    assert "This code has expired" in response.content.decode()


def test_a_new_code_after_the_cooldown_replaces_the_old_one(client, district):
    english(client)
    send_message(client, district)
    old = last_code()
    response = client.post("/message/confirm/", {"action": "resend"})
    assert response.status_code == 400
    assert "before asking for a new code" in response.content.decode()
    assert PhoneCode.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert client.post("/message/confirm/", {"action": "resend"}).status_code == 302
        new = last_code()
        if new != old:
            assert client.post("/message/confirm/", {"code": old}).status_code == 400
        assert client.post("/message/confirm/", {"code": new}).status_code == 302
    assert Case.objects.get().phone_verified_at is not None


def test_codes_per_phone_are_limited(district, settings):
    settings.LIAISON_RATE_CODES_PER_PHONE = 1
    client = Client()
    send_message(client, district)
    case = Case.objects.get()
    later = timezone.now() + timedelta(seconds=61)
    with time_machine.travel(later), pytest.raises(ValidationError) as refused:
        verification.send_verification_code(case)
    with translation.override("en"):
        assert "Too many codes" in str(refused.value)
    assert PhoneCode.objects.count() == 1


def test_demo_mode_shows_the_code_on_screen(client, district, settings):
    settings.DEMO_MODE = True
    send_message(client, district)
    assert last_code() in client.get("/message/confirm/").content.decode()


def test_without_demo_mode_the_code_is_not_shown(client, district):
    send_message(client, district)
    assert last_code() not in client.get("/message/confirm/").content.decode()


def test_confirm_page_without_a_draft_is_a_friendly_404(client, district):
    english(client)
    response = client.get("/message/confirm/")
    assert response.status_code == 404 and "No message is waiting here" in response.content.decode()
    assert client.get("/message/sent/").status_code == 404


def test_the_code_is_stored_only_as_a_hash(client, district):
    send_message(client, district)
    row = PhoneCode.objects.get()
    assert len(row.code_hash) == 64 and row.code_hash != last_code()
    assert last_code() not in str(PhoneCode.objects.values().get())


def test_unconfirmed_drafts_are_deleted_after_a_day_with_their_photos(
    client, district, settings, django_capture_on_commit_callbacks
):
    data = message_data(district)
    data["photos"] = [jpeg()]
    client.post(deputy_form_url(district), data)
    confirmed = confirmed_case(client, district, citizen_phone="13800001111")
    name = CasePhoto.objects.get().image.name
    assert (settings.MEDIA_ROOT / name).exists()
    assert verification.delete_unverified() == 0  # not a day old yet
    later = timezone.now() + timedelta(hours=25)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        job = next(job for job in jobs.registered() if job.name == "cases.delete_unverified")
        assert job.func() == "1 unconfirmed messages deleted"
    assert list(Case.objects.all()) == [confirmed]
    assert not CasePhoto.objects.exists() and not PhoneCode.objects.filter(case__isnull=True)
    assert not (settings.MEDIA_ROOT / name).exists()
