"""CSV as Chinese Excel writes it: GBK, or UTF-8 with or without a BOM."""

import pytest

from liaison.directory.models import Region

from .importfiles import REGION_HEADER, csv_bytes, problems, run

ROWS = [
    REGION_HEADER,
    ["110000000000", "北京市", "省", ""],
    ["110101000000", "东城区", "区", "110000000000"],
]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_each_encoding(db, encoding):
    report = run("region", csv_bytes(ROWS, encoding), "regions.csv", dry_run=False)

    assert report.ok, report.problems
    assert Region.objects.get(code="110101000000").name == "东城区"


def test_tab_separated_utf16_from_excel_unicode_text(db):
    data = "\r\n".join("\t".join(row) for row in ROWS).encode("utf-16")

    report = run("region", data, "regions.csv", dry_run=False)

    assert report.ok, report.problems
    assert Region.objects.get(code="110000000000").name == "北京市"


def test_a_gbk_file_with_a_bad_row_reports_the_row(db):
    rows = [*ROWS, ["110102000000", "西城区", "区", "999"]]

    report = run("region", csv_bytes(rows, "gbk"), "regions.csv")

    assert problems(report) == [(4, "上级代码")]
