"""The queue's filters on a phone (issue 16): filled in, kept in the URL, refused with a message
on the form, cleared, and the filtered list exported; axe on each state of the page."""

from urllib.parse import parse_qs, urlparse

import pytest

from liaison.cases.models import Channel

from .test_accessibility import check
from .test_staff_first_week import flow, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e


def test_filter_form_on_a_phone(person, flow, accounts, tmp_path):  # noqa: F811
    letter = flow.submit(channel=Channel.LETTER, title="来信反映路灯")
    call = flow.submit(channel=Channel.PHONE, title="来电反映噪音")
    page = person(accounts.county_committee)
    page.goto("/staff/cases/?tab=all")
    check(page, "staff-queue-filters-closed")

    page.locator(".more-filters summary").click()
    page.fill("#id_received_from", "2020-01-01")
    page.select_option("#id_channel", "letter")
    check(page, "staff-queue-filters-open")
    page.locator(".queue-filters button[type=submit]").click()
    page.wait_for_load_state()
    query = parse_qs(urlparse(page.url).query)
    assert query["channel"] == ["letter"] and query["received_from"] == ["2020-01-01"]
    assert letter.tracking_number in page.content()
    assert call.tracking_number not in page.content()
    check(page, "staff-queue-filtered")

    # The filtered list downloads as it is shown.
    with page.expect_download() as download:
        page.locator(".export-form button[value=csv]").click()
    saved = tmp_path / "cases.csv"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert letter.tracking_number.encode() in data and call.tracking_number.encode() not in data

    # An inverted range: a message at the field, nothing listed, the form still open.
    page.fill("#id_received_to", "2019-01-01")
    page.locator(".queue-filters button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator(".field.has-error")
    assert error.count() == 1
    assert "received_to" in (error.locator("input").get_attribute("name") or "")
    assert letter.tracking_number not in page.content()
    check(page, "staff-queue-filter-error")

    page.locator(".queue-filters a.button.secondary").click()  # clear filters
    page.wait_for_load_state()
    assert parse_qs(urlparse(page.url).query) == {"tab": ["all"]}
    assert call.tracking_number in page.content()


def test_large_export_page_on_a_phone(person, flow, accounts, settings, tmp_path):  # noqa: F811
    from liaison.core import exports

    settings.EXPORT_DIRECT_MAX_ROWS = 0
    case = flow.submit(channel=Channel.LETTER)
    page = person(accounts.station_a_staff)
    page.goto("/staff/cases/?tab=all")
    page.locator(".export-form button[value=xlsx]").click()
    page.wait_for_url("**/staff/exports/*/")
    # A plain link refreshes the page without JavaScript; with it, the page reloads itself.
    assert page.locator("a#export-refresh").get_attribute("href") == urlparse(page.url).path
    check(page, "export-job-pending")
    exports.run_waiting(1, lambda: False)  # what the worker does
    page.locator("#export-download").wait_for()
    check(page, "export-job-ready")
    with page.expect_download() as download:
        page.locator("#export-download").click()
    saved = tmp_path / "cases.xlsx"
    download.value.save_as(saved)
    from openpyxl import load_workbook

    rows = list(load_workbook(saved, read_only=True).active.iter_rows(values_only=True))
    assert rows[1][0] == case.tracking_number
