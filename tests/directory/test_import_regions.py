"""Regions import from .xlsx and .csv; parents come from the directory or from the same file."""

from liaison.directory.models import Region, RegionLevel

from .importfiles import REGION_HEADER, csv_bytes, problems, run, xlsx


def test_xlsx_creates_regions_with_parents_from_the_file_in_any_order(district):
    data = xlsx(
        [
            REGION_HEADER,
            # The community comes before its street: parents are created first anyway.
            ["330106003001", "新苑社区", "村(社区)", "330106003000"],
            ["330106003000", "新街道", "乡镇(街道)", "330106000000"],
        ]
    )

    report = run("region", data, "regions.xlsx", dry_run=False)

    assert report.ok, report.problems
    assert (report.created, report.updated) == (2, 0)
    community = Region.objects.get(code="330106003001")
    assert community.level == RegionLevel.COMMUNITY
    assert community.parent.code == "330106003000"
    assert community.path == ("/330000000000/330100000000/330106000000/330106003000/330106003001/")
    assert community in Region.objects.subtree(district.county)


def test_csv_with_english_headers_and_stored_values(db):
    data = csv_bytes(
        [
            ["code", "name", "level", "parent_code"],
            ["110000000000", "北京市", "1", ""],
            ["110101000000", "东城区", "county", "110000000000"],
        ]
    )

    report = run("region", data, "regions.csv", dry_run=False)

    assert report.ok, report.problems
    assert Region.objects.get(code="110101000000").parent.name == "北京市"
    assert Region.objects.get(code="110000000000").parent is None


def test_unknown_parent_and_wrong_level_are_reported_at_the_parent_column(district):
    data = xlsx(
        [
            REGION_HEADER,
            ["330106003000", "新街道", "街道", "999999999999"],
            ["330106004000", "错层街道", "街道", "330106001000"],  # a street under a street
            ["330106005000", "好街道", "街道", "330106000000"],
        ]
    )

    with_problems = run("region", data, "regions.xlsx", dry_run=False)

    assert problems(with_problems) == [(2, "上级代码"), (3, "上级代码")]
    assert "999999999999" in with_problems.problems[0].message
    assert "higher level" in with_problems.problems[1].message
    assert not Region.objects.filter(code="330106005000").exists()


def test_bad_code_and_level_are_both_reported(db):
    data = xlsx([REGION_HEADER, ["33-01", "某地", "大区", ""]])

    report = run("region", data, "regions.xlsx")

    assert problems(report) == [(2, "区划代码"), (2, "级别")]
    assert "digits only" in report.problems[0].message
    assert "省 (1)" in report.problems[1].message


def test_the_parent_of_an_existing_region_cannot_change(district):
    data = xlsx([REGION_HEADER, ["330106001000", "北山街道", "街道", "330106002000"]])

    report = run("region", data, "regions.xlsx", dry_run=False)

    assert problems(report) == [(2, "上级代码")]
    district.street_a.refresh_from_db()
    assert district.street_a.parent == district.county
