"""The statistics charts (vendored Apache ECharts) drawn from the tables on /staff/stats/ and
/stats/, on a phone, with axe and the CSP watcher (conftest: any violation fails the test); the
tables stay for screen readers and without JavaScript. Also axe on the open data and reports
pages."""

import pytest

from liaison.cases.models import Channel
from liaison.stats import opendata, rollup

from .test_accessibility import check
from .test_staff_first_week import flow, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e
CHARTS = "[data-chart][data-drawn] canvas"


@pytest.fixture
def counted(flow):  # noqa: F811
    for _ in range(6):
        flow.submit()
    for _ in range(5):
        flow.submit(channel=Channel.LETTER)
    rollup.update()


def test_charts_on_the_staff_dashboard(person, accounts, counted):  # noqa: F811
    page = person(accounts.county_committee)
    page.goto("/staff/stats/")
    page.locator(CHARTS).nth(2).wait_for()
    assert page.locator("[data-chart][data-drawn]").count() == 3
    assert page.locator("#table-months").is_visible()  # the table stays beside its chart
    assert page.locator("[data-chart]").first.get_attribute("aria-hidden") == "true"
    check(page, "staff-stats-charts")


def test_charts_on_the_public_page_and_open_data(person, accounts, phone, counted):  # noqa: F811
    phone.goto("/stats/")
    phone.locator(CHARTS).nth(2).wait_for()
    check(phone, "stats-charts")
    phone.click("#open-data-link")
    phone.wait_for_url("**/stats/open-data/")
    check(phone, "stats-open-data-empty")
    from django.utils import timezone

    today = timezone.localdate()
    opendata.write_month(today.year, today.month)
    phone.reload()
    # the figures as CSV and JSON, and the contact points' opinions as CSV (docs/open-data.md)
    assert phone.locator("#table-open-data a").count() == 3
    check(phone, "stats-open-data")
    page = person(accounts.county_committee)
    page.goto("/staff/stats/reports/")
    check(page, "staff-stats-reports")


def test_without_javascript_no_empty_chart_box(person, accounts, counted):  # noqa: F811
    page = person(accounts.county_committee, java_script_enabled=False)
    page.goto("/staff/stats/")
    assert page.locator("#table-channels").is_visible()
    assert page.locator("[data-chart]").count() == 3
    assert all(not box.is_visible() for box in page.locator("[data-chart]").all())
