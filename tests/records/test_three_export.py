"""The 三个一 table's export (liaison/records/exports.py): the overview's filters and order, the
cells in words, scope, the audit row, a province's deputies read a batch at a time, and the
worker path for a large one."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from liaison.core.models import AuditEvent, ExportJob
from liaison.records import selectors, three

from ..factories import DeputyFactory
from .conftest import local

pytestmark = pytest.mark.django_db

EXPORT = "/staff/exports/three/"


@pytest.fixture
def now():
    with time_machine.travel(local(2026, 5, 21, 10), tick=False):
        yield


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def by_name(table) -> dict[str, dict[str, str]]:
    header, *rows = table
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_csv_has_the_cells_in_words(client, accounts, district, doings, now):
    doings.duty(district.dep_a, date(2026, 1, 5))
    doings.activity(local(2026, 2, 5, 9), attended=[district.dep_a], kind="report-to-voters")
    signed_in(client, accounts.station_a_staff)
    table = csv_rows(client.post(f"{EXPORT}?year=2026", {"format": "csv"}))
    header = table[0]
    assert header[:5] == ["Deputy", "Number", "Level", "Year", "Month 1"]
    assert header[16:21] == ["Q1", "Q2", "Q3", "Q4", "Report"]
    rows = by_name(table)
    assert set(rows) == {district.dep_a.name, district.dep_shared.name}  # station A's deputies
    a = rows[district.dep_a.name]
    assert a["Number"] == district.dep_a.code and a["Year"] == "2026"
    assert [a[f"Month {m}"] for m in range(1, 7)] == [
        "done",
        "done",
        "missed",
        "missed",
        "not yet, reminded",
        "to come",
    ]
    assert [a["Q1"], a["Q2"], a["Q3"], a["Report"]] == ["done", "not yet", "to come", "done"]
    assert a["Months with contact with voters"] == "2"
    assert a["Periods missed or overdue"] == "3"  # March, April, and May reminded


def test_the_filters_and_order_of_the_page(client, accounts, district, doings, now):
    for month in range(1, 6):
        doings.duty(district.dep_a, date(2026, month, 5))
    doings.activity(local(2026, 2, 5, 9), attended=[district.dep_a])
    signed_in(client, accounts.station_a_staff)

    def names(query):
        table = csv_rows(client.post(f"{EXPORT}?{query}", {"format": "csv"}))
        return [row[0] for row in table[1:]]

    behind = names("year=2026&behind=on")
    assert behind == [district.dep_shared.name]
    assert names("year=2026&sort=contact") == [district.dep_shared.name, district.dep_a.name]
    assert names(f"year=2026&q={district.dep_a.code}") == [district.dep_a.name]
    assert names(f"year=2026&station={district.station_a.pk}&sort=behind") == [
        district.dep_shared.name,
        district.dep_a.name,
    ]


def test_xlsx_opens_and_the_export_is_in_the_audit_trail(client, accounts, district, now):
    signed_in(client, accounts.county_committee)
    response = client.post(f"{EXPORT}?year=2026&behind=on&q=", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="three-ones-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Deputy" and len(header) == 4 + 12 + 4 + 3
    assert len(rows) == 3  # the district's three deputies, all behind in May
    event = AuditEvent.objects.get(verb="export.made")
    assert event.actor == accounts.county_committee
    assert event.data == {
        "list": "three",
        "format": "xlsx",
        "filters": {"year": "2026", "behind": "True"},
        "rows": 3,
    }


def test_scope_and_bad_filters(client, accounts, district, now):
    signed_in(client, accounts.station_b_staff)
    table = csv_rows(client.post(f"{EXPORT}?year=2026", {"format": "csv"}))
    assert {row[0] for row in table[1:]} == {district.dep_b.name, district.dep_shared.name}
    # Another station's number in the URL: refused, not answered with its deputies.
    refused = client.post(f"{EXPORT}?station={district.station_a.pk}", {"format": "csv"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert client.post(f"{EXPORT}?year=1900", {"format": "csv"}).status_code == 400
    assert client.post(f"{EXPORT}?sort=bogus", {"format": "csv"}).status_code == 400
    # Deputies and departments do not look after deputies: no such list for them.
    for role in ("deputy_a", "handler_a"):
        signed_in(client, getattr(accounts, role))
        assert client.post(EXPORT, {"format": "csv"}).status_code == 404
    assert AuditEvent.objects.filter(verb="export.made").count() == 1


@pytest.mark.parametrize("query", ["", "behind=on", "sort=behind", "sort=level"])
def test_read_a_batch_of_deputies_at_a_time(accounts, district, doings, monkeypatch, now, query):
    """A province's table is never worked out at once: three.progress_for sees one batch."""
    for i in range(7):
        DeputyFactory(name=f"代表{i:02}", region=district.county, stations=[district.station_a])
    doings.duty(district.dep_a, date(2026, 5, 5))
    user = accounts.county_committee
    flags = dict(p.split("=") for p in query.split("&") if p)
    page_query = selectors.OverviewQuery(
        year=2026, behind=bool(flags.get("behind")), sort=flags.get("sort", "name"), page=1
    )
    seen = []
    real = three.progress_for

    def spy(ids, year, **kwargs):
        seen.append(len(list(ids)))
        return real(ids, year, **kwargs)

    monkeypatch.setattr(selectors.OverviewRows, "BATCH", 3)
    source = selectors.OverviewRows(user, page_query)
    monkeypatch.setattr(three, "progress_for", spy)
    rows = list(source.iterator(chunk_size=3))
    assert seen and max(seen) <= 3
    monkeypatch.setattr(three, "progress_for", real)
    page, on_screen = selectors.overview(user, page_query)
    assert source.count() == page.paginator.count == len(rows)
    assert [d.pk for d, _p in rows] == [d.pk for d, _p in on_screen]
    assert [p.behind_count for _d, p in rows] == [p.behind_count for _d, p in on_screen]


def test_large_one_is_written_by_the_worker(client, accounts, district, settings, now):
    settings.EXPORT_DIRECT_MAX_ROWS = 1
    signed_in(client, accounts.county_committee)
    response = client.post(f"{EXPORT}?year=2026&sort=level", {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and (job.kind, job.total) == ("three", 3)
    call_command("worker", "--once")
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 3)
    download = client.get(f"/staff/exports/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]
    expected = selectors.overview(
        accounts.county_committee, selectors.OverviewQuery(year=2026, sort="level")
    )[1]
    assert names == [deputy.name for deputy, _p in expected]


def test_the_overview_offers_the_export_with_its_filters(client, accounts, district, now):
    signed_in(client, accounts.station_a_staff)
    page = client.get("/staff/records/", {"year": 2026, "behind": "on", "page": 1}).content.decode()
    assert 'action="/staff/exports/three/?year=2026&amp;behind=on"' in page
