"""Activities over the API: the public list with its filters, one activity (public fields
only), signing up as on the page (privacy notice, SMS code), and the month calendars as JSON."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.activities import services
from liaison.activities.models import PendingSignUp, SignUp
from liaison.notifications.models import Notification

from ..activities.conftest import make_activity  # noqa: F401  (a fixture)
from ..appointments.support import code_sent_to

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["public_code"] for row in response.json()["results"]]


def test_list_filters_and_never_drafts(api, district, make_activity):  # noqa: F811
    a = make_activity()
    b = make_activity(station=district.station_b, title="政策宣讲")
    make_activity(announce=False, title="草稿")
    assert codes(api.get("/api/v1/activities/")) == [a.public_code, b.public_code]
    assert codes(api.get(f"/api/v1/activities/?station={a.station.public_code}")) == [a.public_code]
    assert codes(api.get(f"/api/v1/activities/?region={district.street_b.code}")) == [b.public_code]
    assert codes(api.get("/api/v1/activities/?station=nope")) == []
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert codes(api.get(f"/api/v1/activities/?from={later}")) == []
    bad = api.get("/api/v1/activities/?from=soon")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "from"


def test_detail_public_fields_only(api, district, make_activity):  # noqa: F811
    activity = make_activity(capacity=10)
    services.sign_up(activity, name="陈女士", phone="13912345678")
    response = api.get(f"/api/v1/activities/{activity.public_code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["places_left"] == 9 and body["sign_up_open"] is True
    assert body["deputies"] == [{"code": district.dep_a.public_code, "name": "张明华"}]
    text = json.dumps(body, ensure_ascii=False)
    assert "13912345678" not in text and "陈女士" not in text
    assert activity.checkin_code not in text and "minutes" not in body
    draft = make_activity(announce=False)
    assert api.get(f"/api/v1/activities/{draft.public_code}/").status_code == 404


def test_sign_up_with_privacy_and_the_sms_code(api, make_activity):  # noqa: F811
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the SMS in English, for code_sent_to
    activity = make_activity(capacity=1)
    url = f"/api/v1/activities/{activity.public_code}/sign-up"
    bad = api.post(url, {"phone": "123", "privacy_accepted": True}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "phone"
    no_consent = api.post(url, {"phone": "13912345678"}, format="json")
    assert no_consent.status_code == 400
    assert no_consent.json()["error"]["field"] == "privacy_accepted"
    assert not PendingSignUp.objects.exists() and not Notification.objects.exists()
    body = {"phone": "13912345678", "name": "陈女士", "privacy_accepted": True}
    sent = api.post(url, body, format="json")
    assert sent.status_code == 201 and sent.json()["status"] == "pending"
    assert "13912345678" not in sent.content.decode()
    assert not SignUp.objects.exists()  # nothing taken before the code
    pending = sent.json()["pending"]
    wrong = api.post("/api/v1/activities/sign-up/verify", {"pending": pending, "code": "000000"})
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "code"
    assert not SignUp.objects.exists()
    code = code_sent_to("13912345678")
    done = api.post("/api/v1/activities/sign-up/verify", {"pending": pending, "code": code})
    assert done.status_code == 201 and done.json()["places_left"] == 0
    signup = SignUp.objects.get()
    assert signup.privacy_accepted_at is not None and signup.name == "陈女士"
    again = api.post("/api/v1/activities/sign-up/verify", {"pending": pending, "code": code})
    assert again.status_code == 404  # confirmed already: nothing waits for a code
    twice = api.post(url, {**body, "name": ""}, format="json")
    assert twice.status_code == 400 and twice.json()["error"]["field"] == "phone"
    full = api.post(url, {**body, "phone": "13900000001"}, format="json")
    assert full.status_code == 409 and full.json()["error"]["code"] == "refused"
    assert SignUp.objects.count() == 1


def test_sign_up_full_meanwhile_keeps_the_code(api, make_activity):  # noqa: F811
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    activity = make_activity(capacity=1)
    url = f"/api/v1/activities/{activity.public_code}/sign-up"
    sent = api.post(url, {"phone": "13912345678", "privacy_accepted": True}, format="json")
    services.sign_up(activity, name="", phone="13900000001")  # the last place goes
    code = code_sent_to("13912345678")
    body = {"pending": sent.json()["pending"], "code": code}
    refused = api.post("/api/v1/activities/sign-up/verify", body)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "refused"
    assert SignUp.objects.count() == 1 and PendingSignUp.objects.count() == 1


def test_sign_up_resend_and_bad_tokens(api, make_activity):  # noqa: F811
    activity = make_activity()
    url = f"/api/v1/activities/{activity.public_code}/sign-up"
    sent = api.post(url, {"phone": "13912345678", "privacy_accepted": True}, format="json")
    pending = sent.json()["pending"]
    too_soon = api.post("/api/v1/activities/sign-up/resend-code", {"pending": pending})
    assert too_soon.status_code == 429
    for bad in ("nonsense", "", pending + "x"):
        answer = api.post("/api/v1/activities/sign-up/verify", {"pending": bad, "code": "1"})
        assert answer.status_code in (400, 404), bad
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        again = api.post("/api/v1/activities/sign-up/resend-code", {"pending": pending})
    assert again.status_code == 202
    assert Notification.objects.filter(recipient="13912345678").count() == 2


def test_sign_up_codes_per_network_are_limited(api, make_activity, settings):  # noqa: F811
    settings.LIAISON_RATE_MESSAGES_PER_IP = 1
    activity = make_activity()
    url = f"/api/v1/activities/{activity.public_code}/sign-up"
    first = api.post(url, {"phone": "13800000001", "privacy_accepted": True}, format="json")
    assert first.status_code == 201
    second = api.post(url, {"phone": "13800000002", "privacy_accepted": True}, format="json")
    assert second.status_code == 429 and "Retry-After" in second
    assert PendingSignUp.objects.count() == 1


def test_sign_up_cancelled_is_409(api, accounts, make_activity):  # noqa: F811
    activity = make_activity()
    services.cancel_activity(activity, actor=accounts.administrator, reason="天气")
    response = api.post(
        f"/api/v1/activities/{activity.public_code}/sign-up",
        {"phone": "13912345678", "privacy_accepted": True},
        format="json",
    )
    assert response.status_code == 409
    assert SignUp.objects.count() == 0 and PendingSignUp.objects.count() == 0


def test_month_calendars(api, district, make_activity):  # noqa: F811
    activity = make_activity()
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    station = api.get(f"/api/v1/stations/{district.station_a.public_code}/calendar?month={month}")
    assert station.status_code == 200
    days = station.json()["days"]
    assert [a["public_code"] for day in days for a in day["activities"]] == [activity.public_code]
    region = api.get(f"/api/v1/regions/{district.county.code}/calendar?month={month}")
    assert region.json()["count"] == 1
    other = api.get(f"/api/v1/regions/{district.street_b.code}/calendar?month={month}")
    assert other.json()["count"] == 0
    bad = api.get(f"/api/v1/stations/{district.station_a.public_code}/calendar?month=2026-13")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "month"
    assert api.get("/api/v1/regions/999/calendar").status_code == 404


def test_detail_lists_the_guests(api, accounts, make_activity):  # noqa: F811
    activity = make_activity()
    services.add_activity_guest(
        activity,
        actor=accounts.station_a_staff,
        kind="police",
        name="孙警官",
        organisation="北山派出所",
        role="社区民警",
    )
    body = api.get(f"/api/v1/activities/{activity.public_code}/").json()
    assert body["guests"] == [
        {"kind": "police", "name": "孙警官", "organisation": "北山派出所", "role": "社区民警"}
    ]
