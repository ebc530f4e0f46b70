"""Departments import, and the same region and phone checks."""

from liaison.directory.models import Department, DepartmentLevel

from .importfiles import DEPARTMENT_HEADER, csv_bytes, problems, run, xlsx


def test_xlsx_and_csv_create_departments(district):
    rows = [
        DEPARTMENT_HEADER,
        ["XH-JT", "区交通运输局", "330106000000", "县(区)", "0571-87000001"],
        ["XH-BS-CG", "北山街道城管中队", "330106001000", "街道", ""],
    ]

    assert run("department", xlsx(rows), "departments.xlsx", dry_run=False).ok
    assert Department.objects.get(code="XH-JT").level == DepartmentLevel.COUNTY
    assert Department.objects.get(code="XH-BS-CG").region == district.street_a

    more = [DEPARTMENT_HEADER, ["XH-SW", "区水务局", "330106000000", "3", "12345"]]
    assert run("department", csv_bytes(more), "departments.csv", dry_run=False).ok
    assert Department.objects.get(code="XH-SW").phone == "12345"


def test_bad_rows_are_reported_per_cell(district):
    rows = [
        DEPARTMENT_HEADER,
        ["XH-JT", "区交通运输局", "999", "省", "hotline"],
        ["XH-SW", "", "330106000000", "县(区)", ""],
    ]

    report = run("department", xlsx(rows), "departments.xlsx", dry_run=False)

    assert problems(report) == [(2, "所属区划代码"), (2, "层级"), (2, "联系电话"), (3, "名称")]
    assert not Department.objects.filter(code__in=["XH-JT", "XH-SW"]).exists()
