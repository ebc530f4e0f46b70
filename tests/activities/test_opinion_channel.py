"""An opinion raised at an activity is a case of channel "activity" (Channel.ACTIVITY): staff
register it in person like a reception visit, and every page and interface that shows a case's
channel takes it in its stride (staff case page, staff API, Open311)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.activities import services
from liaison.api.keys import create_key
from liaison.cases import services as case_services
from liaison.cases.models import Case, CaseEvent, Channel


@pytest.fixture
def opinion_case(district, accounts, make_activity):
    activity = make_activity()
    opinion = services.Opinion(
        citizen_name="赵阿姨",
        citizen_phone="13812345678",
        category=district.category,
        title="小区门口路灯不亮",
        description="保俶路小区北门路灯坏了两个月。",
        deputy=district.dep_a,
    )
    with time_machine.travel(activity.starts_at + timedelta(minutes=20), tick=False):
        link = services.register_opinion(
            activity, actor=accounts.station_a_staff, opinion=opinion, privacy_accepted=True
        )
    return link.case


def test_the_case_has_the_activity_channel_and_counts_at_once(opinion_case):
    case = Case.objects.verified().get()  # registered in person: no SMS code to wait for
    assert case == opinion_case and case.channel == Channel.ACTIVITY == "activity"
    assert case.due_at is not None  # the review clock runs
    submitted = CaseEvent.objects.get(case=case, verb="case.submitted")
    assert submitted.data["channel"] == "activity"
    assert submitted.data["privacy_consent"]["how"] == "in_person_at_activity"


def test_the_staff_case_page_shows_the_channel(client, accounts, opinion_case):
    client.cookies["django_language"] = "en"
    client.force_login(accounts.station_a_staff)
    response = client.get(reverse("staff:case-detail", args=[opinion_case.tracking_number]))
    assert response.status_code == 200
    assert "<dd>Activity</dd>" in response.content.decode()


def test_only_the_citizens_online_message_is_confirmed_by_sms_code(district, accounts):
    with pytest.raises(ValidationError) as refused:
        case_services.submit_case(
            channel=Channel.ACTIVITY,
            station=district.station_a,
            deputy=None,
            category=district.category,
            title="路灯",
            description="路灯不亮",
            citizen_phone="13812345678",
            privacy_accepted=True,
            verify_phone=True,
            actor=accounts.station_a_staff,
        )
    assert "channel" in refused.value.message_dict
    assert not Case.objects.exists()


def test_the_staff_api_and_open311_serialize_it(client, accounts, opinion_case):
    api = APIClient()
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    number = opinion_case.tracking_number
    detail = api.get(f"/api/v1/staff/cases/{number}/")
    assert detail.status_code == 200, detail.content
    assert detail.json()["channel"] == "activity"
    queue = api.get("/api/v1/staff/cases/")
    assert queue.status_code == 200
    assert [row["tracking_number"] for row in queue.json()["results"]] == [number]
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/requests/{number}.{fmt}")
        assert response.status_code == 200, response.content
        assert number in response.content.decode()
