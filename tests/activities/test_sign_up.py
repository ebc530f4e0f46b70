"""Citizens sign up with a mobile number: once per phone, never beyond capacity, never late."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from liaison.activities import services
from liaison.activities.models import Activity, SignUp
from liaison.notifications.models import Notification


def _post(client, activity, **data):
    url = reverse("activities_public:public-detail", args=[activity.public_code])
    return client.post(url, {"name": "陈阿姨", "phone": "13812345678", **data})


def test_happy_path_sends_one_sms(client, make_activity):
    activity = make_activity(capacity=10)
    response = _post(client, activity)
    assert response.status_code == 302
    signup = SignUp.objects.get()
    assert (signup.activity, signup.phone, signup.name) == (activity, "13812345678", "陈阿姨")
    sms = Notification.objects.get()
    assert sms.recipient == "13812345678" and sms.channel == "sms"
    assert activity.title in sms.body and sms.dedupe_key == f"activity-signup:{signup.pk}"
    page = client.get(response.url).content.decode()
    assert "9" in page  # places left


def test_duplicate_phone_refused(client, make_activity):
    activity = make_activity()
    _post(client, activity)
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
    _post(client, activity, phone="13900000001")
    response = _post(client, activity, phone="13900000002")
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert SignUp.objects.count() == 1


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
