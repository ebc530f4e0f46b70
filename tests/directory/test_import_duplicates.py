"""A code that appears twice in one file is a problem on both rows."""

from liaison.directory.models import Department

from .importfiles import DEPARTMENT_HEADER, problems, run, xlsx


def test_duplicate_codes_are_reported_on_both_rows(district):
    rows = [
        DEPARTMENT_HEADER,
        ["XH-1", "区交通运输局", "330106000000", "县(区)", ""],
        ["XH-2", "区水务局", "330106000000", "县(区)", ""],
        ["XH-1", "区交通局", "330106000000", "县(区)", "bad phone"],
    ]

    report = run("department", xlsx(rows), "departments.xlsx", dry_run=False)

    # The rest of a repeated row is checked too: one dry run shows every problem.
    assert problems(report) == [(2, "单位代码"), (4, "单位代码"), (4, "联系电话")]
    assert "rows 2, 4" in report.problems[0].message
    assert not Department.objects.filter(code__startswith="XH-").exists()


def test_numeric_codes_typed_into_number_cells_match_text_codes(district):
    # Excel turns 330106000000 into a number; it must still be the same region code.
    rows = [DEPARTMENT_HEADER, ["777", "区某局", 330106000000, "县(区)", 12345]]

    assert run("department", xlsx(rows), "departments.xlsx", dry_run=False).ok
    assert Department.objects.get(code="777").region == district.county
