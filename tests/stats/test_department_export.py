"""The department timeliness table's export from /staff/stats/ (liaison/stats/exports.py): the
dashboard's period, place and scope, the table's order, each rate with its two numbers, the
audit row, bad input refused."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.cases import services
from liaison.core.models import AuditEvent
from liaison.stats import rollup

EXPORT = "/staff/exports/departments/"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def counted(flow, district, accounts):
    """Department A resolved one case on time (rated satisfied); the county's department has one
    assigned and not yet signed."""
    flow.to("closed")
    waiting = flow.to("to_assign")
    services.assign_case(
        waiting, actor=accounts.county_committee, lead_department=district.department_county
    )
    rollup.update()


def table(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:3] == ["Department", "Department code", "Assigned"]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_table_with_its_numbers_in_the_dashboards_order(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    rows = table(client.post(EXPORT, {"format": "csv"}))
    assert [r["Department"] for r in rows] == [
        district.department_a.name,  # 1 of 1 on time ranks above 0 due
        district.department_county.name,
    ]
    a, county = rows
    assert (a["Assigned"], a["Resolved on time"], a["Due to resolve"]) == ("1", "1", "1")
    assert a["Resolved on time (%)"] == "100.0"
    assert float(a["95% interval, lower end (%)"]) < 100 <= float(a["95% interval, upper end (%)"])
    assert (a["Satisfied"], a["Rated"], a["Satisfaction (%)"]) == ("1", "1", "100.0")
    assert (county["Assigned"], county["Due to resolve"], county["Resolved on time (%)"]) == (
        "1",
        "0",
        "",  # no denominator: no rate, not 0 %
    )
    assert county["Department code"] == district.department_county.code


def test_xlsx_has_numbers_and_the_export_is_audited(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    today = timezone.localdate()
    query = f"start={today:%Y-01-01}&end={today}&region={district.street_a.code}"
    response = client.post(f"{EXPORT}?{query}", {"format": "xlsx"})
    assert response.status_code == 200
    assert 'filename="department-timeliness-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert isinstance(rows[0][header.index("Assigned")], int)
    assert rows[0][header.index("Resolved on time (%)")] == 100  # a number, not text
    event = AuditEvent.objects.get(verb="export.made")
    assert event.actor == accounts.county_committee
    assert event.data == {
        "list": "departments",
        "format": "xlsx",
        "filters": {
            "start": f"{today:%Y-01-01}",
            "end": today.isoformat(),
            "region": district.street_a.code,
        },
        "rows": 2,
    }


def test_scope_is_the_dashboards(client, accounts, district, counted):
    client.force_login(accounts.handler_a)  # a department sees its own line only
    assert [r["Department"] for r in table(client.post(EXPORT, {"format": "csv"}))] == [
        district.department_a.name
    ]
    client.force_login(accounts.station_b_staff)  # nothing assigned from station B
    assert table(client.post(EXPORT, {"format": "csv"})) == []
    client.force_login(accounts.street_a_committee)
    made = AuditEvent.objects.filter(verb="export.made").count()
    for query in (
        f"region={district.street_b.code}",
        f"region={district.county.code}",
        f"station={district.station_b.code}",
        f"region={district.street_a.code}&station={district.station_b.code}",
    ):
        refused = client.post(f"{EXPORT}?{query}", {"format": "csv"})
        assert refused.status_code == 400, query
        page = refused.content.decode()
        assert "outside your scope" in page and district.department_a.name not in page
    assert AuditEvent.objects.filter(verb="export.made").count() == made


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-05-01&end=2026-04-01", "comes after the last day"),
        ("start=2010-01-01&end=2026-04-01", "at most 10 years"),
        ("start=2026-01-01", "Give both"),
        ("region=999999999999", "no region with this division code"),
        ("station=nope", "no station with this number"),
    ],
)
def test_bad_input_is_refused_with_its_message(client, accounts, counted, query, message):
    client.force_login(accounts.county_committee)
    refused = client.post(f"{EXPORT}?{query}", {"format": "csv"})
    assert refused.status_code == 400
    assert message in refused.content.decode()
    assert not AuditEvent.objects.filter(verb="export.made").exists()


def test_a_period_without_assignments_has_no_rows(client, accounts, counted):
    client.force_login(accounts.county_committee)
    assert table(client.post(f"{EXPORT}?start=2020-01-01&end=2020-12-31", {"format": "csv"})) == []


def test_the_dashboard_offers_it_and_the_public_page_does_not(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    page = client.get("/staff/stats/", {"region": district.street_a.code}).content.decode()
    assert f'action="/staff/exports/departments/?region={district.street_a.code}"' in page
    assert "Export the department timeliness table:" in page
    assert "/staff/exports/departments/" not in client.get("/stats/").content.decode()
