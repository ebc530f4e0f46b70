"""Check-in at the venue (签到): the QR code's URL, a phone, once; refused codes store nothing."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from liaison.activities import services
from liaison.activities.models import SignUp
from liaison.core.models import AuditEvent


def _url(activity, token=None):
    token = activity.checkin_code if token is None else token
    return reverse("activities_public:check-in", args=[activity.public_code, token])


def _at(activity, delta):
    return time_machine.travel(activity.starts_at + delta, tick=False)


def test_signed_up_phone_checks_in_once(client, make_activity):
    activity = make_activity(capacity=5)
    services.sign_up(activity, name="陈阿姨", phone="13812345678")
    with _at(activity, timedelta(minutes=-30)):
        assert client.get(_url(activity)).status_code == 200
        response = client.post(_url(activity), {"phone": "138 1234 5678"})
        assert response.status_code == 302
        signup = SignUp.objects.get()
        assert signup.checked_in_at is not None and not signup.walk_in
        first = signup.checked_in_at

        again = client.post(_url(activity), {"phone": "13812345678"})
    assert again.status_code == 409
    assert again.context["refusal_code"] == "already"
    signup.refresh_from_db()
    assert signup.checked_in_at == first and SignUp.objects.count() == 1
    assert AuditEvent.objects.filter(verb="activity.checked_in").count() == 1


def test_walk_in_creates_a_checked_in_sign_up(client, make_activity):
    activity = make_activity()
    with _at(activity, timedelta(minutes=10)):
        response = client.post(_url(activity), {"phone": "13900001111", "name": "王大伯"})
    assert response.status_code == 302
    signup = SignUp.objects.get()
    assert signup.walk_in and signup.checked_in_at and signup.name == "王大伯"


def test_without_walk_ins_an_unknown_phone_is_refused(client, make_activity):
    activity = make_activity(allow_walk_ins=False)
    with _at(activity, timedelta(minutes=10)):
        response = client.post(_url(activity), {"phone": "13900001111"})
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert not SignUp.objects.exists()


def test_bad_phone_is_400(client, make_activity):
    activity = make_activity()
    with _at(activity, timedelta(minutes=10)):
        response = client.post(_url(activity), {"phone": "12345"})
    assert response.status_code == 400
    assert not SignUp.objects.exists()


def test_code_of_another_activity_is_refused(client, make_activity):
    activity = make_activity(title="活动甲")
    other = make_activity(title="活动乙")
    services.sign_up(activity, name="", phone="13812345678")
    with _at(activity, timedelta(minutes=10)):
        page = client.get(_url(activity, other.checkin_code))
        response = client.post(_url(activity, other.checkin_code), {"phone": "13812345678"})
    assert page.status_code == 409 == response.status_code
    assert response.context["refusal_code"] == "other_activity"
    assert SignUp.objects.get().checked_in_at is None
    assert not AuditEvent.objects.filter(verb="activity.checked_in").exists()


def test_unknown_code_is_refused(client, make_activity):
    activity = make_activity()
    with _at(activity, timedelta(minutes=10)):
        response = client.post(_url(activity, "not-a-code"), {"phone": "13812345678"})
        unknown_activity = client.get(
            reverse("activities_public:check-in", args=["nosuch", activity.checkin_code])
        )
    assert response.status_code == 404 == unknown_activity.status_code
    assert response.context["refusal_code"] == "unknown"
    assert not SignUp.objects.exists()


def test_outside_the_window_nothing_is_stored(client, make_activity):
    activity = make_activity()
    services.sign_up(activity, name="", phone="13812345678")
    with _at(activity, timedelta(hours=-2)):  # check-in opens one hour before the start
        early = client.post(_url(activity), {"phone": "13812345678"})
    with _at(activity, timedelta(hours=3)):  # the activity lasts two hours
        late = client.post(_url(activity), {"phone": "13812345678"})
        walk_in = client.post(_url(activity), {"phone": "13900001111"})
    assert early.status_code == 409 and early.context["refusal_code"] == "not_open"
    assert late.status_code == 409 and late.context["refusal_code"] == "closed"
    assert walk_in.status_code == 409
    assert SignUp.objects.count() == 1 and SignUp.objects.get().checked_in_at is None


def test_cancelled_activity_refuses_check_in(client, accounts, make_activity):
    activity = make_activity()
    services.cancel_activity(activity, actor=accounts.station_a_staff)
    with _at(activity, timedelta(minutes=10)):
        response = client.post(_url(activity), {"phone": "13812345678"})
    assert response.status_code == 409 and not SignUp.objects.exists()


def test_staff_print_the_qr_code(client, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    sheet = client.get(reverse("activities:staff-checkin-sheet", args=[activity.pk]))
    assert sheet.status_code == 200
    assert b"<svg" in sheet.content and activity.checkin_code.encode() in sheet.content
    png = client.get(reverse("activities:staff-checkin-png", args=[activity.pk]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    client.force_login(accounts.station_b_staff)
    other = client.get(reverse("activities:staff-checkin-sheet", args=[activity.pk]))
    assert other.status_code == 404


def test_check_in_code_is_not_on_the_public_page(client, make_activity):
    activity = make_activity()
    page = client.get(reverse("activities_public:public-detail", args=[activity.public_code]))
    assert activity.checkin_code.encode() not in page.content
