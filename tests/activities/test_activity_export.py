"""The staff activity list exports with attendance (liaison/activities/exports.py): counts of
sign-ups and check-ins, the deputies invited and present; no participant's phone."""

import csv
import io

import pytest
from django.utils import timezone

from liaison.activities import services
from liaison.activities.models import SignUp
from liaison.core.models import AuditEvent

pytestmark = pytest.mark.django_db
EXPORT = "/staff/exports/activities/"


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_activities_with_attendance(client, make_activity, accounts, district):
    activity = make_activity()
    make_activity(title="另一个", station=district.station_b)
    services.sign_up(activity, name="陈女士", phone="13912345678")
    services.sign_up(activity, name="王先生", phone="13912345679")
    SignUp.objects.filter(phone="13912345678").update(checked_in_at=timezone.now())
    client.force_login(accounts.station_a_staff)
    client.cookies["django_language"] = "en"
    header, *body = rows(client.post(f"{EXPORT}?q=民情", {"format": "csv"}))
    assert len(body) == 1
    record = dict(zip(header, body[0], strict=True))
    assert record["Title"] == "民情恳谈会"
    assert (record["Signed up"], record["Checked in"]) == ("2", "1")
    assert record["Invited deputies"] == district.dep_a.name
    assert "13912345678" not in ",".join(body[0])
    assert AuditEvent.objects.get(verb="export.made").data["filters"] == {"q": "民情"}


def test_bad_filter_is_400(client, accounts):
    client.force_login(accounts.station_a_staff)
    response = client.post(f"{EXPORT}?starts_from=nope", {"format": "csv"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(verb="export.made").exists()
