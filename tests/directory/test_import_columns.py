"""The header row: unknown, missing and repeated columns are one clear problem each."""

from liaison.directory.models import Region

from .importfiles import REGION_HEADER, STATION_HEADER, csv_bytes, problems, run, xlsx


def test_unknown_and_missing_columns_are_named(district):
    rows = [["站点编号", "名称", "备注", "负责人"], ["X1", "某站", "", ""]]

    report = run("station", xlsx(rows), "stations.xlsx")

    assert problems(report) == [(1, ""), (1, "")]
    unknown, missing = (p.message for p in report.problems)
    assert "备注" in unknown and "负责人" in unknown
    assert "类型" in missing and "所属区划代码" in missing


def test_a_repeated_column_is_reported(district):
    rows = [[*STATION_HEADER, "电话"], ["X1", "某站", "联络站", "330106001000", "", "", "", "", ""]]

    report = run("station", xlsx(rows), "stations.xlsx")

    assert problems(report) == [(1, "电话")]


def test_data_under_an_empty_header_is_an_unknown_column(db):
    rows = [[*REGION_HEADER, ""], ["110000000000", "北京市", "省", "", "something"]]

    report = run("region", csv_bytes(rows), "regions.csv")

    assert problems(report) == [(1, "")]
    assert "column 5" in report.problems[0].message


def test_a_title_row_above_the_header_is_skipped_and_row_numbers_stay_true(db):
    rows = [
        ["北京市区划名册（2024年）"],
        [],
        [" 区划代码 ", "名称*", "级别", "上级代码"],  # spaces and a required-marker are fine
        ["110000000000", "北京市", "省", ""],
        ["110101000000", "东城区", "区", "nope"],
    ]

    report = run("region", xlsx(rows), "regions.xlsx")

    assert problems(report) == [(5, "上级代码")]


def test_full_width_headers_and_labels_are_accepted(db):
    rows = [["区划代码", "名称", "级别", "上级代码"], ["110000000000", "北京市", "省", ""]]
    run("region", xlsx(rows), "regions.xlsx", dry_run=False)
    rows = [
        ["ＣＯＤＥ", "名称", "级别", "上级代码"],
        ["110101000000", "东城区", "县（区）", "110000000000"],
    ]

    assert run("region", xlsx(rows), "regions.xlsx", dry_run=False).ok
    assert Region.objects.get(code="110101000000").level == 3


def test_a_header_without_rows_is_reported(db):
    report = run("region", xlsx([REGION_HEADER]), "regions.xlsx")

    assert problems(report) == [(None, "")]
    assert "no rows" in report.problems[0].message
