"""The staff booking list exports (liaison/appointments/exports.py): the list's filters and scope,
the phone masked as on the list, in the audit trail."""

import csv
import io

import pytest
import time_machine
from django.utils.translation import override

from liaison.core.models import AuditEvent
from tests.receptions.support import signed_in

from .support import TODAY, book, monday_rule

pytestmark = pytest.mark.django_db
EXPORT = "/staff/exports/appointments/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_follows_the_list(client, district, accounts):
    monday_rule(district, accounts)
    booking = book(district, deputy=district.dep_a)
    signed_in(client, accounts.station_a_staff)
    list_page = client.get("/staff/appointments/").content.decode()
    assert f'action="{EXPORT}"' in list_page or f'action="{EXPORT}?' in list_page
    header, row = rows(client.post(EXPORT, {"format": "csv"}))
    record = dict(zip(header, row, strict=True))
    assert record["Booking code"] == booking.code
    assert record["Phone"] == booking.masked_phone != booking.phone
    event = AuditEvent.objects.get(verb="export.made")
    assert event.data["list"] == "appointments" and event.data["rows"] == 1
    # Filtered to another status: nothing; another station's staff: nothing.
    assert rows(client.post(f"{EXPORT}?status=cancelled", {"format": "csv"}))[1:] == []
    signed_in(client, accounts.station_b_staff)
    assert rows(client.post(EXPORT, {"format": "csv"}))[1:] == []


def test_bad_filter_and_roles_without_the_list(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    assert client.post(f"{EXPORT}?day=2025-02-30", {"format": "csv"}).status_code == 400
    signed_in(client, accounts.deputy_a)
    assert client.post(EXPORT, {"format": "csv"}).status_code == 404
