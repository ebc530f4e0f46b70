"""Administrators configure activity kinds; activities are read-only in the admin."""

from django.urls import reverse

from liaison.activities.models import ActivityKind


def test_administrator_adds_and_deactivates_a_kind(client, accounts):
    client.force_login(accounts.administrator)
    response = client.post(
        reverse("admin:activities_activitykind_add"),
        {"code": "law-clinic", "name": "普法小课堂", "name_en": "Law clinic", "position": 20},
    )
    assert response.status_code == 302
    kind = ActivityKind.objects.get(code="law-clinic")
    assert kind.is_active is False  # an unticked checkbox: added inactive until switched on
    url = reverse("admin:activities_activitykind_change", args=[kind.pk])
    client.post(url, {"name": "普法课堂", "name_en": "Law class", "is_active": "on", "position": 3})
    kind.refresh_from_db()
    assert (kind.name, kind.is_active, kind.code) == ("普法课堂", True, "law-clinic")


def test_activity_admin_is_read_only_and_for_administrators(client, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.administrator)
    change = reverse("admin:activities_activity_change", args=[activity.pk])
    page = client.get(change)
    assert page.status_code == 200 and activity.checkin_code.encode() not in page.content
    assert client.get(reverse("admin:activities_activity_add")).status_code == 403
    client.force_login(accounts.station_a_staff)
    assert client.get(reverse("admin:activities_activitykind_changelist")).status_code == 403
    assert client.get(change).status_code == 403
