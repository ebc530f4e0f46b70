"""Staff create, announce and cancel activities of stations in their scope only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from liaison.activities import services
from liaison.activities.models import Activity, ActivityKind, ActivityStatus
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.models import AuditEvent


def _form(district, **over):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "station": district.station_a.pk,
        "kind": ActivityKind.objects.get(code="policy-briefing").pk,
        "title": "政策宣讲：新版物业管理条例",
        "description": "议程：一、宣讲；二、答疑",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "北山街道联络站",
        "capacity": "30",
        "deputies": [district.dep_a.pk],
    }
    data.update(over)
    return data


def test_kinds_are_seeded(db):
    names = set(ActivityKind.objects.values_list("name", flat=True))
    assert {"约您共学", "约您共享", "集中研判", "民情恳谈会", "代表约见", "向选民述职"} <= names
    assert ActivityKind.objects.count() == 14
    assert not ActivityKind.objects.filter(name_en="").exists()


def test_station_staff_creates_announces_and_cancels(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    response = client.post(reverse("activities:staff-new"), _form(district))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.DRAFT and activity.capacity == 30
    assert list(activity.deputies.all()) == [district.dep_a]
    assert activity.created_by == accounts.station_a_staff

    client.post(reverse("activities:staff-action", args=[activity.pk, "announce"]))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ANNOUNCED
    client.post(reverse("activities:staff-action", args=[activity.pk, "cancel"]), {"reason": "雨"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    events = AuditEvent.objects.filter(object_id=str(activity.pk)).order_by("pk")
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == ["activity.created", "activity.announced", "activity.cancelled"]


def test_other_station_staff_cannot_see_or_act(client, district, accounts, make_activity):
    activity = make_activity(announce=False)
    client.force_login(accounts.station_b_staff)
    assert client.get(reverse("activities:staff-detail", args=[activity.pk])).status_code == 404
    response = client.post(reverse("activities:staff-action", args=[activity.pk, "announce"]))
    assert response.status_code == 404
    listed = client.get(reverse("activities:staff-list"))
    assert activity not in listed.context["activities"]
    assert f'id="activity-{activity.pk}"' not in listed.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
    with pytest.raises(NotAllowed):
        services.announce_activity(activity, actor=accounts.station_b_staff)


def test_staff_cannot_create_for_a_station_out_of_scope(client, district, accounts):
    client.force_login(accounts.station_b_staff)
    response = client.post(reverse("activities:staff-new"), _form(district))
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_committee_above_manages_deputy_does_not(client, district, accounts, make_activity):
    activity = make_activity(announce=False)
    client.force_login(accounts.street_a_committee)
    assert client.get(reverse("activities:staff-detail", args=[activity.pk])).status_code == 200
    client.force_login(accounts.deputy_a)
    assert client.get(reverse("activities:staff-list")).status_code == 403


def test_invited_deputy_must_sit_in_the_station(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    response = client.post(
        reverse("activities:staff-new"), _form(district, deputies=[district.dep_b.pk])
    )
    assert response.status_code == 400
    assert "deputies" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_end_before_start_is_refused(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    data = _form(district)
    data["ends_at"] = data["starts_at"]
    response = client.post(reverse("activities:staff-new"), data)
    assert response.status_code == 400
    assert "ends_at" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_cancelled_activity_cannot_be_announced(district, accounts, make_activity):
    activity = make_activity(announce=False)
    activity = services.cancel_activity(activity, actor=accounts.station_a_staff)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.announce_activity(activity, actor=accounts.station_a_staff)
    assert refused.value.code == "transition_refused"
    assert str(refused.value.message) == "This activity is Cancelled; that is not possible now."
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED


def test_pages_render(client, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    assert client.get(reverse("activities:staff-new")).status_code == 200
    assert client.get(reverse("activities:staff-edit", args=[activity.pk])).status_code == 200
    assert activity.title in client.get(reverse("activities:staff-list")).content.decode()


def test_pages_show_a_refusal_by_status_as_before(client, accounts, make_activity):
    """The table refuses (TransitionRefused); the pages say it in the words they always had:
    a message on the detail page, a form error on the edit page."""
    client.force_login(accounts.station_a_staff)
    client.cookies["django_language"] = "en"
    cancelled = services.cancel_activity(make_activity(), actor=accounts.station_a_staff)
    url = reverse("activities:staff-action", args=[cancelled.pk, "announce"])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [
        (reverse("activities:staff-detail", args=[cancelled.pk]), 302)
    ]
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["This activity is Cancelled; that is not possible now."]

    edit = client.get(reverse("activities:staff-edit", args=[cancelled.pk]))
    data = {
        name: value
        for name, value in edit.context["form"].initial.items()
        if name not in ("deputies", "departments", "starts_at", "ends_at") and value is not None
    }
    data["starts_at"] = timezone.localtime(cancelled.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = timezone.localtime(cancelled.ends_at).strftime("%Y-%m-%dT%H:%M")
    data["capacity"] = ""
    response = client.post(reverse("activities:staff-edit", args=[cancelled.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert errors == ["A cancelled or held activity can no longer be changed."]
    cancelled.refresh_from_db()
    assert cancelled.status == ActivityStatus.CANCELLED
