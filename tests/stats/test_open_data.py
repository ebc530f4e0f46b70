"""Open data: each ended month's public figures per region as CSV (with BOM) and JSON, written
once by the worker's job, listed on /stats/open-data/ and served by the API; columns exactly as
docs/open-data.md documents them; small counts hidden; no personal data."""

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from liaison.core.models import AuditEvent
from liaison.receptions.services import Matter, register_visit
from liaison.stats import jobs, opendata, rollup, work

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PAGE = "/stats/open-data/"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def march(flow, district):
    """Six messages at station A (street A), one at station B (street B), in March 2026."""
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=SHANGHAI), tick=False):
        for _ in range(6):
            flow.submit()
        flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()


def documented_columns() -> list[str]:
    section = DOC.read_text(encoding="utf-8").split("## Columns", 1)[1]
    return re.findall(r"^\| `([a-z_]+)` \|", section, re.M)


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {row["region_code"]: row for row in rows}


def download(client, name: str) -> bytes:
    response = client.get(f"{PAGE}{name}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_stations_work_is_in_the_last_columns(client, district, accounts, march):
    for n in range(6):
        register_visit(
            actor=accounts.station_a_staff,
            station=district.station_a,
            visitor_name="陈女士",
            visitor_phone="13912345678",
            matters=[Matter(district.category, "路灯不亮", "路灯不亮，请代表关注。")],
            privacy_accepted=True,
            deputies=[],
            received_on=date(2026, 3, 1 + n) if n < 5 else date(2026, 4, 1),
        )
    register_visit(
        actor=accounts.station_b_staff,
        station=district.station_b,
        visitor_name="王先生",
        visitor_phone="13912345679",
        matters=[Matter(district.category, "路灯不亮", "路灯不亮，请代表关注。")],
        privacy_accepted=True,
        deputies=[],
        received_on=date(2026, 3, 3),
    )
    work.update()
    opendata.write_month(2026, 3)
    rows = by_code(read_csv(download(client, "liaison-stats-2026-03.csv")))
    assert rows[district.street_a.code]["visitors"] == "5"  # the April visit is not March's
    assert rows[district.street_b.code]["visitors"] == "<5"
    assert rows[district.county.code]["visitors"] == "6"
    assert rows[district.county.code]["activities"] == "0"
    assert "陈女士" not in download(client, "liaison-stats-2026-03.json").decode()


def test_the_files_columns_are_the_documented_schema(client, march):
    opendata.write_month(2026, 3)
    documented = documented_columns()
    assert len(documented) > 20 and documented[:2] == ["month", "region_code"]
    content = download(client, "liaison-stats-2026-03.csv")
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == documented
    document = json.loads(download(client, "liaison-stats-2026-03.json"))
    assert document["columns"] == documented
    assert all(list(row) == documented for row in document["rows"])


def test_small_counts_are_hidden_and_no_personal_data(client, district, march):
    assert opendata.write_month(2026, 3) == 5  # province, city, county, two streets
    content = download(client, "liaison-stats-2026-03.csv")
    rows = by_code(read_csv(content))
    county, street_a, street_b = (
        rows[district.county.code],
        rows[district.street_a.code],
        rows[district.street_b.code],
    )
    assert county["received"] == "7" and county["region_name"] == district.county.name
    assert county["parent_code"] == district.city.code and county["region_level"] == "3"
    assert street_a["received"] == "6" and street_a["received_online"] == "6"
    assert street_b["received"] == "<5"
    assert street_a["accepted"] == "0" and street_a["satisfaction_rate"] == ""
    document = json.loads(download(client, "liaison-stats-2026-03.json"))
    json_rows = by_code(document["rows"])
    assert json_rows[district.street_b.code]["received"] is None
    assert json_rows[district.county.code]["received"] == 7
    assert document["month"] == "2026-03" and document["end"] == "2026-03-31"
    both = content + download(client, "liaison-stats-2026-03.json")
    for private in ("陈女士", "13912345678", "路灯不亮", "保俶路"):
        assert private.encode() not in both


def test_rates_are_hidden_when_a_count_in_them_is_small(flow):
    with time_machine.travel(datetime(2026, 5, 6, 10, tzinfo=SHANGHAI), tick=False):
        flow.to("closed")
    rollup.update()
    opendata.write_month(2026, 5)
    table = json.loads(opendata.open_file("liaison-stats-2026-05.json").read())["rows"]
    assert table and all(row["satisfaction_rate"] is None for row in table)
    assert all(row["rated"] is None for row in table)  # 1: hidden


def test_the_job_writes_each_ended_month_once(client, march):
    with time_machine.travel(datetime(2026, 3, 31, 23, tzinfo=SHANGHAI), tick=False):
        assert jobs.write_open_data() == "open data up to date"  # March has not ended
    assert opendata.published() == []
    with time_machine.travel(datetime(2026, 5, 2, 1, tzinfo=SHANGHAI), tick=False):
        assert jobs.write_open_data() == "open data written for 2026-03, 2026-04"
        assert jobs.write_open_data() == "open data up to date"
    written = AuditEvent.objects.filter(verb="opendata.written")
    assert [event.data["month"] for event in written.order_by("id")] == ["2026-03", "2026-04"]
    assert [p.month for p in opendata.published()] == ["2026-04", "2026-03"]
    page = client.get(PAGE).content.decode()
    assert "/stats/open-data/liaison-stats-2026-03.csv" in page
    assert "/stats/open-data/liaison-stats-2026-04.json" in page
    assert 'id="open-data-link"' in client.get("/stats/").content.decode()


def test_the_page_without_files_and_unknown_names(client, march):
    page = client.get(PAGE)
    assert page.status_code == 200 and "No month has ended" in page.content.decode()
    opendata.write_month(2026, 3)
    for name in (
        "liaison-stats-2026-04.csv",
        "liaison-stats-2026-03.xlsx",
        "..%2Fsecret.csv",
        "liaison-stats-2026-03.csv.bak",
    ):
        assert client.get(f"{PAGE}{name}").status_code == 404, name


def test_the_api_serves_a_months_json(client, district, march):
    assert client.get("/api/v1/stats/open-data/2026-03/").status_code == 404
    opendata.write_month(2026, 3)
    response = client.get("/api/v1/stats/open-data/2026-03/")
    assert response.status_code == 200
    assert by_code(response.json()["rows"])[district.county.code]["received"] == 7
    assert client.get("/api/v1/stats/open-data/2026-13/").status_code == 404


def test_the_command_writes_a_month_and_refuses_a_bad_one(march):
    out = io.StringIO()
    call_command("stats", "opendata", "--month", "2026-03", stdout=out)
    assert "5 regions" in out.getvalue()
    assert [p.month for p in opendata.published()] == ["2026-03"]
    for bad in ("2026-13", "March", "２０２６-03"):
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("stats", "opendata", "--month", bad)
    assert opendata.month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
