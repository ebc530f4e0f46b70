"""Opinions raised at an activity become cases linked to it — the case and the link, or neither."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.activities import services
from liaison.activities.models import ActivityOpinion
from liaison.cases.models import Case, Channel


def _form(district, **over):
    data = {
        "citizen_name": "赵阿姨",
        "citizen_phone": "13812345678",
        "category": district.category.pk,
        "title": "小区门口路灯不亮",
        "description": "保俶路小区北门路灯坏了两个月。",
        "deputy": district.dep_a.pk,
        "privacy_accepted": "on",
    }
    data.update(over)
    return data


def _during(activity):
    return time_machine.travel(activity.starts_at + timedelta(minutes=20), tick=False)


def test_opinion_becomes_a_linked_case(client, district, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    with _during(activity):
        response = client.post(
            reverse("activities:staff-opinion", args=[activity.pk]), _form(district)
        )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.activity_opinion.activity == activity
    assert case.channel == Channel.ACTIVITY and case.station == district.station_a
    assert case.deputy == district.dep_a and case.citizen_phone == "13812345678"
    page = client.get(reverse("activities:staff-detail", args=[activity.pk])).content.decode()
    assert case.tracking_number[:4] in page and case.get_status_display() in page


def test_bad_input_stores_nothing(client, district, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    url = reverse("activities:staff-opinion", args=[activity.pk])
    with _during(activity):
        bad_phone = client.post(url, _form(district, citizen_phone="12345"))
        no_privacy = client.post(url, _form(district, privacy_accepted=""))
        other_deputy = client.post(url, _form(district, deputy=district.dep_b.pk))
    assert (
        bad_phone.status_code == 400 and "citizen_phone" in bad_phone.context["opinion_form"].errors
    )
    assert no_privacy.status_code == 400
    assert other_deputy.status_code == 400
    assert not Case.objects.exists() and not ActivityOpinion.objects.exists()


def test_case_rolled_back_when_the_link_fails(district, accounts, make_activity, monkeypatch):
    activity = make_activity()

    def broken(**kwargs):
        raise ValidationError("link failed")

    monkeypatch.setattr(ActivityOpinion.objects, "create", broken)
    opinion = services.Opinion(
        citizen_name="赵阿姨",
        citizen_phone="13812345678",
        category=district.category,
        title="路灯",
        description="不亮",
    )
    with _during(activity), pytest.raises(ValidationError):
        services.register_opinion(
            activity, actor=accounts.station_a_staff, opinion=opinion, privacy_accepted=True
        )
    assert not Case.objects.exists()


def test_not_before_start_and_not_out_of_scope(client, district, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    url = reverse("activities:staff-opinion", args=[activity.pk])
    assert client.post(url, _form(district)).status_code == 400  # not started yet
    client.force_login(accounts.station_b_staff)
    with _during(activity):
        assert client.post(url, _form(district)).status_code == 404
    assert not Case.objects.exists()
