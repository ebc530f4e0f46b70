"""Budget supervision in the browser (docs/budget.md): the committee imports the finance bureau's
table through the page, publishes it; a deputy browses it — the chart is drawn from the table, the
lagging line carries its badge —, downloads the lines as a workbook and drills down to the
department; no CSP violation."""

import io

import openpyxl
import pytest

from liaison.budget import services

from ..budget.conftest import finance_table, workbook

PASSWORD = "pass-for-tests"  # tests/factories.py


@pytest.fixture
def person(browser, live_site):
    contexts = []

    def login(user):
        context = browser.new_context(
            viewport={"width": 1024, "height": 768},
            locale="zh-CN",
            base_url=live_site.url,
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click(".login-form button[type=submit]")
        page.wait_for_url("**/accounts/")
        return page

    yield login
    for context in contexts:
        context.close()


def test_import_publish_and_browse(person, district, accounts, tmp_path):
    budget = services.create_budget(
        actor=accounts.county_committee, region=district.county, year=2026, title="西湖区2026年预算"
    )
    table = tmp_path / "预算.xlsx"
    table.write_bytes(workbook(finance_table()))
    staff = person(accounts.county_committee)
    staff.goto(f"/budget/{budget.pk}/")
    staff.set_input_files("#id_file", str(table))
    staff.click("#budget-import button[type=submit]")
    staff.wait_for_selector("#by-department tbody th a")
    staff.check("input[name=published]")
    staff.click("form[action$='/flags/'] button[type=submit]")
    staff.wait_for_load_state()

    deputy = person(accounts.deputy_a)
    deputy.goto(f"/budget/{budget.pk}/")
    deputy.wait_for_selector("[data-budget-chart][data-drawn]")
    rows = deputy.inner_text("#by-function")
    assert "2120803" in rows and "⚠" in rows
    # The deputy downloads the lines as a workbook: every line, the amounts as numbers.
    with deputy.expect_download() as download:
        deputy.click("form[action*='/budget-lines/'] button[value=xlsx]")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    header, *lines = list(book.active.values)
    assert len(header) == 11 and len(lines) == 3
    assert sum(line[6] for line in lines) == 3620  # 调整预算数: 520 + 3000 + 100
    deputy.click("#by-department a:has-text('区住房和城乡建设局')")
    deputy.wait_for_selector("#lines")
    assert "城市建设支出" in deputy.inner_text("#lines")
