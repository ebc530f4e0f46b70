"""Issue 6, "done when": a deputy's record and annual report come out of the demo data, which
covers the term year 2026 — duties, visitors, cases, activities, entries and suggestions."""

import io
import subprocess

import pytest
import time_machine
from django.core.management import call_command
from django.http import HttpRequest

from liaison.directory.models import Deputy
from liaison.records import three
from liaison.records.record import build_record
from tests.tools import require_tool

pytestmark = pytest.mark.django_db
TODAY = "2026-11-21 10:00 +0800"


@pytest.fixture
def demo_year(settings):
    settings.DEBUG = True
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=io.StringIO())
        yield


def test_the_demo_deputy_has_a_full_year_from_every_source(demo_year):
    deputy = Deputy.objects.get(code="JB-Q01")  # 林志强, the demo deputy account
    record = build_record(deputy, 2026)
    figures = record.figures
    for source in ("duties", "people_received", "cases_answered", "activities", "suggestions"):
        assert figures[source] > 0, source
    assert figures["entries"] > 0
    months = {item.day.month for item in record.items}
    assert months >= set(range(1, 12)), sorted(months)
    assert record.progress.contact_months >= set(range(1, 11))
    assert record.progress.activity_quarters >= {1, 2, 3}


def test_the_overview_shows_demo_deputies_who_are_behind(demo_year):
    deputies = Deputy.objects.filter(code__startswith="JB-").values_list("pk", flat=True)
    progress = three.progress_for(deputies, 2026, on=three.today())
    behind = {pk for pk, p in progress.items() if p.behind}
    assert behind, "the demo keeps someone behind so the overview has something to show"
    assert len(behind) < len(progress)


def test_the_annual_report_of_the_demo_deputy_prints(client, demo_year, tmp_path):
    pdftotext = require_tool("pdftotext")
    client.login(request=HttpRequest(), username="deputy", password="liaison-demo")
    page = client.get("/staff/records/me/?year=2026")
    assert page.status_code == 200
    deputy = Deputy.objects.get(code="JB-Q01")
    client.logout()
    client.login(request=HttpRequest(), username="station", password="liaison-demo")
    response = client.get(f"/staff/records/deputies/{deputy.pk}/report.pdf?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "林志强" in text and "2026" in text
    assert "述职报告" in text  # the Chinese title: the report is printed in the default language
