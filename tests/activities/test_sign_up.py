"""Citizens sign up with a mobile number confirmed by an SMS code, having accepted the privacy
notice (as for a message): once per phone, never beyond capacity, never late."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from liaison.activities import services, signups
from liaison.activities.models import Activity, PendingSignUp, SignUp
from liaison.notifications.models import Notification
from tests.appointments.support import code_sent_to


def _post(client, activity, *, address="127.0.0.1", **data):
    url = reverse("activities_public:public-detail", args=[activity.public_code])
    return client.post(
        url,
        {"name": "陈阿姨", "phone": "13812345678", "privacy_accepted": "on", **data},
        REMOTE_ADDR=address,
    )


def _confirm(client, activity, code):
    url = reverse("activities_public:sign-up-confirm", args=[activity.public_code])
    return client.post(url, {"action": "verify", "code": code})


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"  # the SMS in English, for code_sent_to
    return client


def test_happy_path_code_then_one_sms(client, make_activity):
    activity = make_activity(capacity=10)
    response = _post(client, activity)
    confirm_url = reverse("activities_public:sign-up-confirm", args=[activity.public_code])
    assert response.status_code == 302 and response.url == confirm_url
    assert not SignUp.objects.exists()  # no place before the code
    pending = PendingSignUp.objects.get()
    assert pending.privacy_accepted_at is not None
    code_sms = Notification.objects.get()
    assert code_sms.recipient == "13812345678" and activity.title in code_sms.body
    page = client.get(confirm_url)
    assert page.status_code == 200 and "138****5678" in page.content.decode()
    assert _confirm(client, activity, "000000").status_code == 400
    assert not SignUp.objects.exists()
    response = _confirm(client, activity, code_sent_to("13812345678"))
    assert response.status_code == 302 and response.url == f"/a/{activity.public_code}/"
    signup = SignUp.objects.get()
    assert (signup.activity, signup.phone, signup.name) == (activity, "13812345678", "陈阿姨")
    assert signup.privacy_accepted_at == pending.privacy_accepted_at
    assert not PendingSignUp.objects.exists()
    sms = Notification.objects.exclude(pk=code_sms.pk).get()
    assert sms.dedupe_key == f"activity-signup:{signup.pk}"
    page = client.get(response.url).content.decode()
    assert "9" in page  # places left
    assert client.get(confirm_url).status_code == 404  # nothing pending any more


def test_privacy_notice_must_be_accepted(client, make_activity):
    activity = make_activity()
    response = _post(client, activity, privacy_accepted="")
    assert response.status_code == 400
    assert "privacy_accepted" in response.context["form"].errors
    assert not PendingSignUp.objects.exists() and not Notification.objects.exists()


def test_confirm_page_without_a_pending_sign_up_is_404(client, make_activity):
    activity = make_activity()
    assert _confirm(client, activity, "123456").status_code == 404
    _post(client, activity)
    other = make_activity(title="另一场")
    assert _confirm(client, other, "123456").status_code == 404  # another activity's page


def test_resend_waits_a_minute(client, make_activity):
    activity = make_activity()
    _post(client, activity)
    url = reverse("activities_public:sign-up-confirm", args=[activity.public_code])
    assert client.post(url, {"action": "resend"}).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.post(url, {"action": "resend"}).status_code == 302
    assert Notification.objects.count() == 2


def test_full_meanwhile_is_409_and_keeps_the_code(client, make_activity):
    activity = make_activity(capacity=1)
    _post(client, activity)
    services.sign_up(activity, name="", phone="13900000001")
    response = _confirm(client, activity, code_sent_to("13812345678"))
    assert response.status_code == 409 and "full" in response.context["problem"]
    assert SignUp.objects.count() == 1 and PendingSignUp.objects.count() == 1


def test_unconfirmed_sign_ups_are_deleted_after_a_day(client, make_activity):
    activity = make_activity()
    _post(client, activity)
    assert signups.delete_unverified() == 0
    later = timezone.now() + timedelta(hours=25)
    assert signups.delete_unverified(now=later) == 1
    assert not PendingSignUp.objects.exists()


def test_duplicate_phone_refused(client, make_activity):
    activity = make_activity()
    services.sign_up(activity, name="", phone="13812345678")
    response = _post(client, activity, phone="138 1234 5678")
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert SignUp.objects.count() == 1 and Notification.objects.count() == 1


def test_full_refused(make_activity):
    activity = make_activity(capacity=1)
    services.sign_up(activity, name="", phone="13900000001")
    with translation.override("en"), pytest.raises(ValidationError, match="full"):
        services.sign_up(activity, name="", phone="13900000002")
    assert SignUp.objects.count() == 1 and Notification.objects.count() == 1


def test_full_refused_on_the_page(client, make_activity):
    activity = make_activity(capacity=1)
    services.sign_up(activity, name="", phone="13900000001")
    response = _post(client, activity, phone="13900000002")
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert SignUp.objects.count() == 1 and not PendingSignUp.objects.exists()


def test_past_refused(make_activity):
    activity = make_activity()
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        services.sign_up(activity, name="", phone="13900000001")
    assert not SignUp.objects.exists() and not Notification.objects.exists()


def test_cancelled_refused(accounts, make_activity):
    activity = make_activity()
    services.cancel_activity(activity, actor=accounts.station_a_staff)
    with translation.override("en"), pytest.raises(ValidationError, match="cancelled"):
        services.sign_up(activity, name="", phone="13900000001")
    assert not SignUp.objects.exists()


def test_invalid_phone_refused(client, make_activity):
    activity = make_activity()
    response = _post(client, activity, phone="12345")
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    assert not SignUp.objects.exists()


def test_honeypot_stores_nothing(client, make_activity):
    activity = make_activity()
    response = _post(client, activity, website="http://spam.example")
    assert response.status_code == 302
    assert not SignUp.objects.exists() and not Notification.objects.exists()


def test_sign_ups_per_network_are_limited(client, make_activity, settings):
    settings.LIAISON_RATE_MESSAGES_PER_IP = 2
    activity = make_activity()
    for n in range(2):
        assert _post(client, activity, phone=f"1380000000{n}").status_code == 302
    response = _post(client, activity, phone="13800000009")
    assert response.status_code == 429 and response.context["form"].non_field_errors()
    assert PendingSignUp.objects.count() == 2 and Notification.objects.count() == 2
    other = _post(client, activity, phone="13800000009", address="10.9.9.9")
    assert other.status_code == 302  # another network
