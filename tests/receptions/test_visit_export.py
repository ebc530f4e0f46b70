"""The reception registrations export (liaison/receptions/exports.py): the account's visits with
their case numbers, the phone masked as on the list, in the audit trail."""

import io

import pytest
from openpyxl import load_workbook

from liaison.core.models import AuditEvent
from liaison.receptions.models import Visit

from .support import NEW, signed_in, visit_form

pytestmark = pytest.mark.django_db
EXPORT = "/staff/exports/visits/"


def sheet(response) -> list[tuple]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_visits_export_with_masked_phone(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    assert client.post(NEW, visit_form(district)).status_code == 302
    visit = Visit.objects.get()
    assert 'action="/staff/exports/visits/"' in client.get("/staff/receptions/").content.decode()
    header, row = sheet(client.post(EXPORT, {"format": "xlsx"}))
    record = dict(zip(header, row, strict=True))
    assert record["Visitor's name"] == "陈女士"
    assert record["Phone"] == visit.masked_phone and "13912345678" not in str(row)
    assert record["Case numbers"] == visit.matters.get().case.tracking_number
    assert record["Deputies"].count("、") == 1
    assert AuditEvent.objects.get(verb="export.made").data["rows"] == 1
    signed_in(client, accounts.station_b_staff)
    assert sheet(client.post(EXPORT, {"format": "xlsx"}))[1:] == []
    signed_in(client, accounts.handler_a)
    assert client.post(EXPORT, {"format": "xlsx"}).status_code == 404
