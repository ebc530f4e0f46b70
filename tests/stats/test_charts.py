"""The chart boxes of the statistics pages (drawn by stats-charts.js, tested in a browser in
tests/e2e/test_stats_charts.py): each names a table on the page, the vendored ECharts is served
from this site, and pages without figures load no chart script."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [False, True])
def test_each_chart_box_names_a_table_of_the_page(client, accounts, staff):
    if staff:
        client.force_login(accounts.county_committee)
    page = client.get("/staff/stats/" if staff else "/stats/").content.decode()
    tables = re.findall(r'data-table="([^"]+)"', page)
    assert sorted(tables) == ["table-categories", "table-channels", "table-months"]
    for table in tables:
        assert f'<table class="stats-table" id="{table}">' in page
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert "/static/liaison/stats-charts.js" in page
    assert "<script>" not in page  # no inline script (CSP)


@pytest.mark.django_db
def test_no_chart_script_without_figures(client):
    page = client.get("/stats/", {"start": "2026-05-01", "end": "2026-04-01"})
    assert page.status_code == 400
    assert "echarts" not in page.content.decode()


def test_the_vendored_files_are_found():
    for name in ("echarts.min.js", "LICENSE", "NOTICE", "README.md"):
        assert finders.find(f"vendor/echarts/{name}"), name
    assert "Apache License" in Path(finders.find("vendor/echarts/LICENSE")).read_text()
