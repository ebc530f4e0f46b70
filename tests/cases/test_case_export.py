"""The case list's export (liaison/cases/exports.py over liaison/core/exports.py): CSV with a BOM
and xlsx, the queue's filters, the same masking as the screen, and a row in the audit trail."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.cases.models import Channel
from liaison.core.models import AuditEvent, ExportJob

from .conftest import PHONE
from .staff_pages import PHONE_CALL, signed_in

EXPORT = "/staff/exports/cases/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    return [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]


def test_csv_has_bom_header_and_the_filtered_rows(client, flow, accounts):
    letter = flow.submit(channel=Channel.LETTER, title="=HYPERLINK(1)")
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = client.post(f"{EXPORT}?tab=all&channel=letter", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="cases-' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = csv_rows(response)
    assert header[:3] == ["Tracking number", "Received at", "Channel"]
    assert [row[0] for row in rows] == [letter.tracking_number]
    row = dict(zip(header, rows[0], strict=True))
    assert row["Channel"] == "Letter"
    assert row["Title"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert row["Phone"] == letter.masked_phone and PHONE not in body_text(row)


def body_text(row: dict) -> str:
    return " ".join(row.values())


def test_xlsx_opens_and_has_the_rows(client, flow, accounts):
    cases = [flow.submit(**PHONE_CALL) for _ in range(3)]
    signed_in(client, accounts.station_a_staff)
    response = client.post(f"{EXPORT}?tab=all&sort=oldest", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, *rows = xlsx_rows(response)
    assert header[0] == "Tracking number" and "Citizen's name" in header
    assert [row[0] for row in rows] == [c.tracking_number for c in cases]
    received = rows[0][header.index("Received at")]
    # Beijing time without a zone: the day is the local one (past 16:00 UTC it is tomorrow's).
    local = timezone.localtime(cases[0].created_at).replace(tzinfo=None, microsecond=0)
    assert received.tzinfo is None and received == local


@pytest.mark.parametrize(
    ("role", "sees_name"),
    [("station_a_staff", True), ("street_a_committee", False), ("administrator", False)],
)
def test_confidential_name_masked_as_on_screen(client, flow, accounts, role, sees_name):
    flow.submit(confidential=True, **PHONE_CALL)
    signed_in(client, getattr(accounts, role))
    header, row = csv_rows(client.post(f"{EXPORT}?tab=all", {"format": "csv"}))
    name = row[header.index("Citizen's name")]
    assert name == ("陈女士" if sees_name else "(confidential)")
    assert row[header.index("Phone")] != PHONE


def test_every_export_is_in_the_audit_trail(client, flow, accounts, district):
    flow.submit(channel=Channel.LETTER)
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.county_committee)
    client.post(
        f"{EXPORT}?tab=all&channel=letter&station={district.station_a.pk}", {"format": "xlsx"}
    )
    event = AuditEvent.objects.get(verb="export.made")
    assert event.actor == accounts.county_committee
    assert event.data == {
        "list": "cases",
        "format": "xlsx",
        "filters": {
            "tab": "all",
            "channel": "letter",
            "station": district.station_a.public_code,
        },
        "rows": 1,
    }


def test_bad_filters_and_format_are_400_and_export_nothing(client, flow, accounts, district):
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    outside = client.post(f"{EXPORT}?station={district.station_b.pk}", {"format": "csv"})
    assert outside.status_code == 400
    assert "No such station in your scope." in outside.content.decode()
    inverted = client.post(
        f"{EXPORT}?received_from=2026-03-02&received_to=2026-03-01", {"format": "csv"}
    )
    assert inverted.status_code == 400
    assert "before its start" in inverted.content.decode()
    assert client.post(f"{EXPORT}?tab=all", {"format": "pdf"}).status_code == 400
    assert client.get(f"{EXPORT}?tab=all").status_code == 405
    assert not AuditEvent.objects.filter(verb__startswith="export.").exists()
    assert not ExportJob.objects.exists()


def test_scope_of_the_rows_is_the_accounts(client, flow, accounts, district):
    mine = flow.submit(**PHONE_CALL)
    flow.submit(station=district.station_b, deputy=district.dep_b, **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    _header, *rows = csv_rows(client.post(f"{EXPORT}?tab=all", {"format": "csv"}))
    assert [row[0] for row in rows] == [mine.tracking_number]


def test_unknown_list_is_404_and_anonymous_goes_to_login(client, accounts):
    assert client.post("/staff/exports/cases/", {"format": "csv"}).status_code == 302
    signed_in(client, accounts.station_a_staff)
    assert client.post("/staff/exports/nothing/", {"format": "csv"}).status_code == 404


def test_queue_offers_the_export_with_its_filters(client, flow, accounts):
    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    html = client.get("/staff/cases/", {"tab": "all", "channel": "phone"}).content.decode()
    assert 'action="/staff/exports/cases/?tab=all&amp;channel=phone"' in html
    assert 'name="format" value="xlsx"' in html and 'name="format" value="csv"' in html


def test_query_count_does_not_grow_with_rows(client, flow, accounts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    flow.submit(**PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    client.post(f"{EXPORT}?tab=all", {"format": "csv"})  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(client.post(f"{EXPORT}?tab=all", {"format": "csv"}))
        return len(captured)

    few = queries()
    for _ in range(5):
        flow.submit(**PHONE_CALL)
    assert queries() == few
