"""PDF statistics reports per region: queued by the worker after each month, quarter and year and
on demand, written by the worker's drain with the embedded Chinese font, listed and downloaded
within the viewer's scope; bad requests refused with nothing queued."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from liaison.core.models import AuditEvent
from liaison.receptions.services import Matter, register_visit
from liaison.stats import figures, jobs, reports, rollup, selectors, work
from liaison.stats.models import StatsReport
from liaison.stats.report_pdf import summary

from ..directory.test_signs import Pdf

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = "/staff/stats/reports/"


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def counted(flow, district):
    """In February 2026: two cases at station A (one closed and rated), one at station B."""
    with at(2026, 2, 10, 10):
        flow.to("closed")
        flow.submit()
        flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()


def drain() -> int:
    return reports.run_waiting(100, lambda: False)


def pdf_of(client, report, tmp_path) -> Pdf:
    response = client.get(f"{LIST}{report.pk}/download")
    assert response.status_code == 200
    return Pdf(_Flat(response), tmp_path)


def expected_summary(report) -> str:
    """The opening sentence as the report's language (zh-hans, whatever its catalogue says)
    words it, with the report's figures."""
    found = reports.overview_of(report)
    with translation.override("zh-hans"):
        return summary(found.cases, found.work)


def squeezed(text: str) -> str:
    return "".join(text.split())


class _Flat:
    """A FileResponse read into memory, as the PDF helper expects a response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = response
        self.content = b"".join(response.streaming_content)

    def __getitem__(self, name):
        return self.headers[name]


def test_the_worker_writes_the_reports_of_the_periods_that_ended(
    client, accounts, district, counted, tmp_path
):
    with at(2026, 3, 1, 1):
        # February for the five regions; the quarter that ended (2025 Q4) had no figures.
        assert jobs.schedule_reports() == "5 statistics reports queued"
        assert jobs.schedule_reports() == "0 statistics reports queued"  # once per period
    assert set(StatsReport.objects.values_list("period", flat=True)) == {"month"}
    assert drain() == 5
    assert not StatsReport.objects.exclude(state="done").exists()
    report = StatsReport.objects.get(region=district.street_a, period="month")
    client.force_login(accounts.street_a_committee)
    pdf = pdf_of(client, report, tmp_path)
    pdf.assert_fonts_embedded()
    text = pdf.text().replace("\n", "")
    assert district.street_a.name in text and "2026" in text
    assert squeezed(expected_summary(report)) in squeezed(text)
    found = figures.compute(selectors.public_rows(report.region), report.start, report.end)
    with translation.override("en"):
        assert "collected 2 opinions and suggestions and resolved 1;" in summary(found)
    assert "100.0%" in text  # satisfaction: 1 of 1
    for private in ("陈女士", "13912345678", "路灯不亮"):
        assert private not in text
    assert AuditEvent.objects.filter(verb="statsreport.written").count() == 5


def test_the_sentence_counts_the_visitors_received(client, accounts, district, counted, tmp_path):
    """本期共接待群众 … 人次: the visits of the period at the region's stations (work rollup)."""
    for day, station, staff in (
        (date(2026, 2, 11), district.station_a, accounts.station_a_staff),
        (date(2026, 2, 12), district.station_a, accounts.station_a_staff),
        (date(2026, 2, 12), district.station_b, accounts.station_b_staff),
        (date(2026, 3, 2), district.station_a, accounts.station_a_staff),  # another month
    ):
        register_visit(
            actor=staff,
            station=station,
            visitor_name="陈女士",
            visitor_phone="13912345678",
            matters=[Matter(district.category, "路灯不亮", "路灯不亮，请代表关注。")],
            privacy_accepted=True,
            deputies=[],
            received_on=day,
        )
    work.update()
    with at(2026, 3, 1, 1):
        reports.schedule()
    drain()
    report = StatsReport.objects.get(region=district.street_a, period="month")
    found = reports.overview_of(report)
    with translation.override("en"):
        assert summary(found.cases, found.work).startswith(
            "In this period we received 2 visitors, collected 2 opinions"
        )
    client.force_login(accounts.street_a_committee)
    text = squeezed(pdf_of(client, report, tmp_path).text())
    assert squeezed(expected_summary(report)) in text
    assert "本期共接待群众2人次" in text


def test_the_quarter_and_the_year_are_scheduled_when_they_end(counted):
    with at(2026, 4, 1, 1):
        reports.schedule()
    periods = {
        (r.period, r.start.isoformat(), r.end.isoformat()) for r in StatsReport.objects.all()
    }
    # Q1 for the five regions; March itself had no figures, the year 2025 none either.
    assert periods == {("quarter", "2026-01-01", "2026-03-31")}
    with at(2027, 1, 2, 1):
        reports.schedule()
    assert StatsReport.objects.filter(period="year", start="2026-01-01").count() == 5


def test_reports_are_listed_and_downloaded_within_the_scope(client, accounts, district, counted):
    with at(2026, 3, 1, 1):
        reports.schedule()
    drain()
    mine = StatsReport.objects.get(region=district.street_a, period="month")
    other = StatsReport.objects.get(region=district.street_b, period="month")
    client.force_login(accounts.street_a_committee)
    page = client.get(LIST).content.decode()
    assert f'data-report="{mine.pk}"' in page and f'data-report="{other.pk}"' not in page
    assert f'data-report="{mine.pk}"' in client.get("/staff/stats/").content.decode()
    assert client.get(f"{LIST}{other.pk}/download").status_code == 404
    assert client.get(f"{LIST}{other.pk}/").status_code == 404
    client.force_login(accounts.county_committee)
    page = client.get(LIST).content.decode()
    assert f'data-report="{mine.pk}"' in page and f'data-report="{other.pk}"' in page
    assert client.get(f"{LIST}{other.pk}/download").status_code == 200
    client.force_login(accounts.station_a_staff)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{mine.pk}/download").status_code == 403
    assert 'id="table-reports"' not in client.get("/staff/stats/").content.decode()


def test_a_report_on_demand(client, accounts, district, counted, tmp_path):
    client.force_login(accounts.street_a_committee)
    with at(2026, 3, 15, 9):
        response = client.post(
            LIST, {"region": district.street_a.code, "period": "quarter", "year": 2026, "number": 1}
        )
    report = StatsReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{report.pk}/"
    assert (report.start.isoformat(), report.end.isoformat()) == ("2026-01-01", "2026-03-31")
    assert report.requested_by == accounts.street_a_committee
    page = client.get(f"{LIST}{report.pk}/").content.decode()
    assert "data-export-pending" in page and 'id="report-download"' not in page
    assert AuditEvent.objects.filter(
        verb="statsreport.requested", object_id=str(report.pk)
    ).exists()
    drain()
    page = client.get(f"{LIST}{report.pk}/").content.decode()
    assert 'id="report-download"' in page and "data-export-pending" not in page
    text = pdf_of(client, report, tmp_path).text().replace("\n", "")
    assert squeezed(expected_summary(report)) in squeezed(text)


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (
            {"region": "330106002000", "period": "month", "year": 2026, "number": 2},
            403,
            "outside your scope",
        ),
        ({"region": "330106000000", "period": "year", "year": 2026}, 403, "outside your scope"),
        (
            {"region": "999999999999", "period": "month", "year": 2026, "number": 2},
            400,
            "no region",
        ),
        (
            {"region": "330106001000", "period": "month", "year": 2026, "number": 13},
            400,
            "less than or equal to 12",
        ),
        (
            {"region": "330106001000", "period": "quarter", "year": 2026, "number": 5},
            400,
            "A quarter is",
        ),
        ({"region": "330106001000", "period": "month", "year": 2026}, 400, "Give the month"),
        (
            {"region": "330106001000", "period": "month", "year": 2026, "number": 4},
            400,
            "not begun",
        ),
        (
            {"region": "330106001000", "period": "week", "year": 2026, "number": 1},
            400,
            "valid choice",
        ),
        ({"region": "330106001000", "period": "year", "year": "２０２６"}, 400, "whole number"),
    ],
)
def test_bad_requests_queue_nothing(client, accounts, district, data, status, message):
    client.force_login(accounts.street_a_committee)
    with at(2026, 3, 15, 9):
        response = client.post(LIST, data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not StatsReport.objects.exists()


def test_a_report_that_fails_is_marked_and_a_stale_one_is_taken_up(district, counted, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("liaison.stats.report_pdf.report_pdf", broken)
    with at(2026, 3, 1, 1):
        reports.schedule()
    assert drain() == 5
    failed = StatsReport.objects.filter(state="failed")
    assert failed.count() == 5 and failed.first().error == "RuntimeError: disk full"
    assert AuditEvent.objects.filter(verb="statsreport.failed").count() == 5
    monkeypatch.undo()
    # A worker that died while writing: taken up again after 10 minutes without a heartbeat.
    running = StatsReport.objects.filter(pk__in=list(failed.values_list("pk", flat=True)))
    running.update(state="running", heartbeat_at=timezone.now())
    assert drain() == 0
    running.update(heartbeat_at=timezone.now() - reports.STALE_AFTER * 2)
    assert drain() == 5
    assert StatsReport.objects.filter(state="done").count() == 5
