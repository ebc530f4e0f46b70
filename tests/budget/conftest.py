import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.budget import services

HEADERS = ["部门", "功能分类编码", "功能分类名称", "年初预算数", "调整预算数", "月份", "累计执行数"]


def workbook(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def finance_table() -> list[list]:
    """A finance bureau's table: two departments, three lines, execution up to month 6."""
    return [
        ["区住房和城乡建设局", "2120101", "行政运行", 500, 520, 5, 200],
        ["区住房和城乡建设局", "2120101", "行政运行", 500, 520, 6, 260],
        ["区住房和城乡建设局", "2120803", "城市建设支出", 3000, 3000, 6, 300],  # 10 %: behind
        ["北山街道城市管理科", "2120501", "城乡社区环境卫生", 100, 100, 6, 120],  # over 100 %
    ]


def upload(data: bytes, name="预算.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def budget(district, accounts):
    return services.create_budget(
        actor=accounts.county_committee, region=district.county, year=2026, title="西湖区2026年预算"
    )


@pytest.fixture
def imported(budget, accounts):
    services.import_table(budget, actor=accounts.county_committee, data=workbook(finance_table()))
    return budget


@pytest.fixture
def published(imported, accounts):
    return services.set_flags(
        imported, actor=accounts.county_committee, published=True, public=False
    )
