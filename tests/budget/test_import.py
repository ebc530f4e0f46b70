"""Importing the finance bureau's table: the happy path, and every bad input refused with a
row- and column-precise message, 400, nothing saved."""

import pytest
from django.urls import reverse

from liaison.budget.models import BudgetLine, MonthlyExecution
from liaison.core.models import AuditEvent

from .conftest import HEADERS, finance_table, upload, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def post(client, budget, data, name="预算.xlsx"):
    return client.post(reverse("budget:import", args=[budget.pk]), {"file": upload(data, name)})


def test_a_finance_bureau_table_is_imported(client, budget, accounts):
    client.force_login(accounts.county_committee)
    response = post(client, budget, workbook(finance_table()))
    assert response.status_code == 302
    lines = {line.function_code: line for line in BudgetLine.objects.filter(budget=budget)}
    assert set(lines) == {"2120101", "2120803", "2120501"}
    assert str(lines["2120101"].adjusted) == "520.00"
    assert str(lines["2120101"].executed) == "260.00"
    assert lines["2120101"].executed_month == 6
    assert MonthlyExecution.objects.filter(line__budget=budget).count() == 4
    assert AuditEvent.objects.filter(verb="budget.imported").count() == 1
    page = client.get(reverse("budget:detail", args=[budget.pk]))
    text = page.content.decode()
    assert "区住房和城乡建设局" in text and "Over the budget" in text
    assert "Behind schedule" in text  # 2120803 at 10 % in June; the department at 16.2 %


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a workbook", "预算.xlsx", "not an .xlsx workbook"),
        ("部门,功能分类编码\n".encode(), "预算.xlsx", "not an .xlsx workbook"),
        (
            workbook([["区住房和城乡建设局", "2120101", "行政运行", 500]], HEADERS[:4]),
            "t.xlsx",
            "Column “调整预算数” is missing",
        ),
        (
            workbook(
                [
                    ["区住房和城乡建设局", "2120101", "行政运行", 500, 520, 6, 1],
                    ["区住房和城乡建设局", "2120102", "一般行政", "五百", 520, 6, 1],
                ]
            ),
            "t.xlsx",
            "Row 3, “年初预算数”: is not a number",
        ),
        (
            workbook([["区教育局", "2050101", "学前教育", 1, 1, 6, 1]]),
            "t.xlsx",
            "Row 2, “部门”: “区教育局” is not a department",
        ),
        (
            workbook(
                [
                    ["区住房和城乡建设局", "2120101", "行政运行", 500, 520],
                    ["区住房和城乡建设局", "2120101", "行政运行", 500, 520],
                ]
            ),
            "t.xlsx",
            "Row 3: the line 区住房和城乡建设局 / 2120101 is already on row 2",
        ),
        (
            workbook([["区住房和城乡建设局", "2120101", "行政运行", 500, 520, 13, 1]]),
            "t.xlsx",
            "Row 2, “月份”: is not a month",
        ),
        (
            workbook(
                [
                    ["区住房和城乡建设局", "2120101", "行政运行", 500, 520, 6, 1],
                    ["区住房和城乡建设局", "2120101", "行政运行", 500, 520, 6, 2],
                ]
            ),
            "t.xlsx",
            "month 6 of 区住房和城乡建设局 / 2120101 comes twice",
        ),
        (workbook([]), "t.xlsx", "The table has no budget line"),
        (workbook(finance_table()), "t.csv", "Please choose an .xlsx file"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(client, imported, accounts, data, name, message):
    client.force_login(accounts.county_committee)
    before = list(BudgetLine.objects.values_list("pk", "executed"))
    response = post(client, imported, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(BudgetLine.objects.values_list("pk", "executed")) == before
    assert AuditEvent.objects.filter(verb="budget.imported").count() == 1  # the fixture's


def test_a_department_of_another_region_is_unknown(client, budget, accounts, district):
    from tests.factories import DepartmentFactory, RegionFactory

    elsewhere = RegionFactory(code="330108000000", name="滨江区", parent=district.city)
    DepartmentFactory(name="滨江区财政局", region=elsewhere)
    client.force_login(accounts.county_committee)
    response = post(client, budget, workbook([["滨江区财政局", "2010101", "行政运行", 1, 1]]))
    assert response.status_code == 400
    assert "“滨江区财政局” is not a department" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_only_the_region_committee_imports(client, budget, accounts):
    client.force_login(accounts.street_a_committee)
    response = post(client, budget, workbook(finance_table()))
    assert response.status_code == 404  # the county's draft budget is beyond the street's scope
    client.force_login(accounts.deputy_a)
    assert post(client, budget, workbook(finance_table())).status_code == 404
    assert not BudgetLine.objects.exists()


def test_the_template_downloads_and_imports(client, budget, accounts):
    response = client.get(reverse("budget:template"))
    assert response.status_code == 200
    data = response.content
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == [
        *HEADERS[:5],
        "经济分类编码",
        "经济分类名称",
        *HEADERS[5:],
    ]


ECONOMIC = [*HEADERS[:5], "经济分类编码", "经济分类名称", *HEADERS[5:]]


def test_lines_by_economic_classification(client, budget, accounts):
    """按经济分类: one function split into economic classes is several lines; the page sums them
    beside the department and function tables; a line without one is "Not classified"."""
    client.force_login(accounts.county_committee)
    rows = [
        ["区住房和城乡建设局", "2120101", "行政运行", 300, 300, "30101", "基本工资", 6, 150],
        ["区住房和城乡建设局", "2120101", "行政运行", 200, 220, "30201", "办公费", 6, 110],
        ["北山街道城市管理科", "2120501", "城乡社区环境卫生", 100, 100, "30201", "办公费", 6, 30],
        ["北山街道城市管理科", "2120803", "城市建设支出", 50, 50, None, None, 6, 5],
    ]
    assert post(client, budget, workbook(rows, ECONOMIC)).status_code == 302
    lines = BudgetLine.objects.filter(budget=budget, function_code="2120101")
    assert sorted(lines.values_list("economic_code", "economic_name")) == [
        ("30101", "基本工资"),
        ("30201", "办公费"),
    ]
    page = client.get(reverse("budget:detail", args=[budget.pk])).content.decode()
    assert "By economic classification" in page
    table = page.split('id="by-economic"')[1].split("</table>")[0]
    office = table.split("30201 办公费")[1].split("</tr>")[0]
    assert "<td>320" in office  # adjusted: 220 + 100 across departments and functions
    assert "Not classified" in table
    dept = BudgetLine.objects.filter(function_code="2120101").first().department_id
    drill = client.get(reverse("budget:department", args=[budget.pk, dept])).content.decode()
    assert "2120101 行政运行 · 30101 基本工资" in drill


def test_without_economic_columns_the_table_is_not_shown(client, imported, accounts):
    client.force_login(accounts.county_committee)
    page = client.get(reverse("budget:detail", args=[imported.pk])).content.decode()
    assert 'id="by-economic"' not in page
    assert set(BudgetLine.objects.values_list("economic_code", flat=True)) == {""}


@pytest.mark.parametrize(
    ("rows", "headers", "message"),
    [
        (
            [["区住房和城乡建设局", "2120101", "行政运行", 1, 1, "三零一", "工资", 6, 1]],
            ECONOMIC,
            "Row 2, “经济分类编码”: is not a classification code",
        ),
        (
            [["区住房和城乡建设局", "2120101", "行政运行", 1, 1, "30101", "", 6, 1]],
            ECONOMIC,
            "Row 2, “经济分类名称”: is empty",
        ),
        (
            [["区住房和城乡建设局", "2120101", "行政运行", 1, 1, "30101"]],
            [*HEADERS[:5], "经济分类编码"],
            "Column “经济分类名称” is missing",
        ),
        (
            [
                [
                    "区住房和城乡建设局",
                    "2120101",
                    "行政运行",
                    1,
                    1,
                    "30101",
                    "基本工资",
                    None,
                    None,
                ],
                [
                    "区住房和城乡建设局",
                    "2120101",
                    "行政运行",
                    1,
                    1,
                    "30101",
                    "基本工资",
                    None,
                    None,
                ],
            ],
            ECONOMIC,
            "Row 3: the line 区住房和城乡建设局 / 2120101 30101 is already on row 2",
        ),
    ],
)
def test_bad_economic_classification_is_refused(client, imported, accounts, rows, headers, message):
    client.force_login(accounts.county_committee)
    before = list(BudgetLine.objects.values_list("pk", "economic_code"))
    response = post(client, imported, workbook(rows, headers))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(BudgetLine.objects.values_list("pk", "economic_code")) == before
